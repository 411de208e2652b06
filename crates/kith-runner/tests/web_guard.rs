//! What guards `kith serve`'s researchers' pages, with the clock moved by hand: the throttle of
//! failed sign-ins, the expiry of signed-in sessions, and the check of hand-chosen admin tokens.

use kith_runner::store::new_token;
use kith_runner::web::{
    ADMIN_SESSION_LIFETIME, AdminSessions, SignInThrottle, check_admin_token, limits_for,
};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

fn address(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(192, 0, 2, n))
}

#[test]
fn failed_sign_ins_from_one_address_are_throttled_then_allowed_again() {
    let mut throttle = SignInThrottle::default();
    let start = Instant::now();
    let peer = address(1);
    for _ in 0..5 {
        assert!(throttle.check(peer, start).is_ok());
        throttle.failed(peer, start);
    }
    let refusal = throttle
        .check(peer, start)
        .expect_err("the sixth is refused");
    assert!(refusal.first, "the first refusal is the one logged");
    assert_eq!(refusal.retry_after, Duration::from_secs(12));
    let again = throttle.check(peer, start).expect_err("still refused");
    assert!(!again.first, "a flood is logged once");
    // Another address is not held by this one's failures.
    assert!(throttle.check(address(2), start).is_ok());
    // One attempt more every twelve seconds.
    let later = start + Duration::from_secs(12);
    assert!(throttle.check(peer, later).is_ok());
    throttle.failed(peer, later);
    assert!(throttle.check(peer, later).is_err());
}

#[test]
fn failed_sign_ins_from_many_addresses_are_throttled_together() {
    let mut throttle = SignInThrottle::default();
    let now = Instant::now();
    for n in 0..30 {
        assert!(throttle.check(address(n), now).is_ok());
        throttle.failed(address(n), now);
    }
    assert!(
        throttle.check(address(200), now).is_err(),
        "a guesser with many addresses is held as well"
    );
    assert!(
        throttle
            .check(address(200), now + Duration::from_secs(2))
            .is_ok()
    );
}

#[test]
fn a_sign_in_lasts_eight_hours_and_ends_when_signed_out() {
    let mut sessions = AdminSessions::default();
    let start = Instant::now();
    let (token, csrf) = sessions.create(start);
    assert_eq!((token.len(), csrf.len()), (32, 32));
    assert_ne!(token, csrf);
    assert_eq!(
        sessions.get(
            &token,
            start + ADMIN_SESSION_LIFETIME - Duration::from_secs(1)
        ),
        Some(csrf.clone())
    );
    assert_eq!(sessions.get(&token, start + ADMIN_SESSION_LIFETIME), None);
    let (token, _) = sessions.create(start);
    sessions.end(&token);
    assert_eq!(sessions.get(&token, start), None);
    assert_eq!(sessions.get(&new_token(), start), None, "an unknown token");
}

#[test]
fn guessable_admin_tokens_are_refused_and_random_ones_accepted() {
    for weak in [
        "aaaaaaaaaaaaaaaa",
        "passwordpassword",
        "0123456789abcdef",
        "qwertyuiopasdfgh",
        "kithkithkithkith",
        "Summer2026!",
        "3f9c1a7e5b2d8f40",
    ] {
        assert!(check_admin_token(weak).is_err(), "`{weak}` is refused");
    }
    // What `openssl rand -hex 16` and kith's own tokens look like always passes.
    for _ in 0..200 {
        let token = new_token();
        assert!(check_admin_token(&token).is_ok(), "`{token}` is accepted");
    }
}

#[test]
fn the_connection_cap_stays_below_the_open_file_limit() {
    let limits = limits_for(None, None, Some(1024)).expect("limits");
    assert_eq!(limits.max_connections, 1024 - 32);
    let limits = limits_for(None, Some(3), Some(1_000_000)).expect("limits");
    assert_eq!(limits.max_connections, 4096);
    assert_eq!(limits.request_timeout, Duration::from_secs(3));
    assert!(limits_for(Some(2000), None, Some(1024)).is_err());
    assert!(limits_for(Some(0), None, None).is_err());
    assert!(limits_for(None, Some(0), None).is_err());
    assert!(limits_for(None, None, Some(20)).is_err());
    assert_eq!(
        limits_for(Some(100), None, None)
            .expect("limits")
            .max_connections,
        100
    );
}
