//! What guards the researchers' pages: a check that an admin token chosen by hand is hard to
//! guess, a throttle on failed sign-ins, and the signed-in sessions the admin cookie holds
//! instead of the token itself. Pure state with the time passed in, so that tests can move the
//! clock.

use crate::store::{new_token, token_hash};
use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// The fewest guesses (as a power of ten, zxcvbn's estimate) an admin token chosen by hand must
/// take: 10^18, about 60 bits, far out of reach at the rate the throttle lets guesses through.
/// A random token of 18 or more characters has it; words, names, dates, keyboard rows, repeats
/// and short codes do not. (zxcvbn counts guesses in 64 bits, so its estimate ends near 10^19.)
pub const MIN_GUESSES_LOG10: f64 = 18.0;

/// An admin token that is too easy to guess; `hint` says what to use instead.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "KITH_ADMIN_TOKEN is too easy to guess (about 10^{guesses_log10:.0} guesses; kith needs at least 10^{MIN_GUESSES_LOG10:.0})"
)]
pub struct WeakToken {
    pub guesses_log10: f64,
}

impl WeakToken {
    /// What to use instead.
    pub fn hint(&self) -> Option<String> {
        Some("use a long random value, e.g. the output of `openssl rand -hex 16` (32 characters), or unset KITH_ADMIN_TOKEN and kith serve makes a random one and prints it".to_string())
    }
}

/// Checks that an admin token chosen by hand is hard to guess (zxcvbn's estimate, which knows
/// words, names, keyboard patterns, repeats and sequences, not only the length).
pub fn check_admin_token(token: &str) -> Result<(), WeakToken> {
    let guesses_log10 =
        zxcvbn::zxcvbn(token, &["kith", "admin", "token", "survey"]).guesses_log10();
    if guesses_log10 >= MIN_GUESSES_LOG10 {
        Ok(())
    } else {
        Err(WeakToken {
            guesses_log10: guesses_log10.max(0.0),
        })
    }
}

/// A token bucket: `burst` attempts at once, then one more every `refill`.
#[derive(Debug, Clone)]
struct Bucket {
    tokens: f64,
    at: Instant,
    /// Whether the refusal of this bucket's attempts was already logged since it last allowed
    /// one (so that a flood is one log line, not thousands).
    refusal_logged: bool,
}

impl Bucket {
    fn full(burst: u32, now: Instant) -> Bucket {
        Bucket {
            tokens: f64::from(burst),
            at: now,
            refusal_logged: false,
        }
    }

    fn refill(&mut self, burst: u32, refill: Duration, now: Instant) {
        let gained = now.saturating_duration_since(self.at).as_secs_f64() / refill.as_secs_f64();
        self.tokens = (self.tokens + gained).min(f64::from(burst));
        self.at = now;
    }

    /// How long until one attempt is allowed (zero when one is now).
    fn wait(&self, refill: Duration) -> Duration {
        if self.tokens >= 1.0 {
            Duration::ZERO
        } else {
            refill.mul_f64(1.0 - self.tokens)
        }
    }
}

/// Failed attempts one address may make at once, and how often it gets one more.
pub const PEER_BURST: u32 = 5;
pub const PEER_REFILL: Duration = Duration::from_secs(12);
/// Failed attempts all addresses together may make at once, and how often they get one more:
/// a guesser with many addresses is held too.
pub const ALL_BURST: u32 = 30;
pub const ALL_REFILL: Duration = Duration::from_secs(2);
/// The most addresses remembered; past it, those whose bucket is full again are forgotten.
const MAX_PEERS: usize = 4096;

/// Why an attempt is refused without being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// When the next attempt from this address may be checked.
    pub retry_after: Duration,
    /// Whether this is the first refusal since attempts were last allowed (to log once).
    pub first: bool,
}

/// The throttle of failed admin sign-ins (the form and Bearer tokens alike): only failures
/// spend attempts, so a researcher who signs in right is never slowed; an address (and all
/// addresses together) that failed too often is refused, unchecked, until its bucket refills.
#[derive(Debug, Clone, Default)]
pub struct SignInThrottle {
    peers: HashMap<IpAddr, Bucket>,
    all: Option<Bucket>,
}

impl SignInThrottle {
    /// Whether an attempt from `peer` may be checked now. Only failures make an address
    /// remembered, so a flood of refused attempts from new addresses grows nothing.
    pub fn check(&mut self, peer: IpAddr, now: Instant) -> Result<(), Refusal> {
        let all = self.all.get_or_insert_with(|| Bucket::full(ALL_BURST, now));
        all.refill(ALL_BURST, ALL_REFILL, now);
        let all_wait = all.wait(ALL_REFILL);
        let own = self.peers.get_mut(&peer);
        let own_wait = own.map_or(Duration::ZERO, |own| {
            own.refill(PEER_BURST, PEER_REFILL, now);
            own.wait(PEER_REFILL)
        });
        if all_wait.is_zero() {
            all.refusal_logged = false;
        }
        let wait = own_wait.max(all_wait);
        if wait.is_zero() {
            if let Some(own) = self.peers.get_mut(&peer) {
                own.refusal_logged = false;
            }
            return Ok(());
        }
        // One log line per flood: per address when it is the address that is held, else one
        // for all addresses together.
        let logged = match self.peers.get_mut(&peer) {
            Some(own) if !own_wait.is_zero() => &mut own.refusal_logged,
            _ => &mut all.refusal_logged,
        };
        let first = !*logged;
        *logged = true;
        Err(Refusal {
            retry_after: wait,
            first,
        })
    }

    /// Records a failed attempt from `peer` (one that `check` allowed).
    pub fn failed(&mut self, peer: IpAddr, now: Instant) {
        let all = self.all.get_or_insert_with(|| Bucket::full(ALL_BURST, now));
        all.refill(ALL_BURST, ALL_REFILL, now);
        all.tokens = (all.tokens - 1.0).max(0.0);
        let own = self
            .peers
            .entry(peer)
            .or_insert_with(|| Bucket::full(PEER_BURST, now));
        own.refill(PEER_BURST, PEER_REFILL, now);
        own.tokens = (own.tokens - 1.0).max(0.0);
        if self.peers.len() > MAX_PEERS {
            self.peers.retain(|_, bucket| {
                bucket.refill(PEER_BURST, PEER_REFILL, now);
                bucket.tokens < f64::from(PEER_BURST)
            });
        }
    }
}

/// How long a sign-in lasts.
pub const ADMIN_SESSION_LIFETIME: Duration = Duration::from_secs(8 * 60 * 60);
/// The most signed-in sessions kept; past it, the one closest to expiring is ended.
const MAX_ADMIN_SESSIONS: usize = 256;

/// A signed-in researcher: when the sign-in ends, and the CSRF secret of its sign-out form.
#[derive(Debug, Clone)]
struct AdminSession {
    expires: Instant,
    csrf: String,
}

/// Signed-in researchers, by the SHA-256 of their cookie's random token. Kept in memory only:
/// restarting the server signs everyone out, and the cookie never holds the admin token.
#[derive(Debug, Clone, Default)]
pub struct AdminSessions {
    sessions: HashMap<String, AdminSession>,
}

impl AdminSessions {
    /// Signs a researcher in; returns the cookie's token and the sign-out form's CSRF secret.
    pub fn create(&mut self, now: Instant) -> (String, String) {
        self.sessions.retain(|_, s| s.expires > now);
        if self.sessions.len() >= MAX_ADMIN_SESSIONS
            && let Some(oldest) = self
                .sessions
                .iter()
                .min_by_key(|(_, s)| s.expires)
                .map(|(hash, _)| hash.clone())
        {
            self.sessions.remove(&oldest);
        }
        let token = new_token();
        let csrf = new_token();
        self.sessions.insert(
            token_hash(&token),
            AdminSession {
                expires: now + ADMIN_SESSION_LIFETIME,
                csrf: csrf.clone(),
            },
        );
        (token, csrf)
    }

    /// The sign-out CSRF secret of a signed-in, unexpired session's token.
    pub fn get(&mut self, token: &str, now: Instant) -> Option<String> {
        let hash = token_hash(token);
        match self.sessions.get(&hash) {
            Some(session) if session.expires > now => Some(session.csrf.clone()),
            Some(_) => {
                self.sessions.remove(&hash);
                None
            }
            None => None,
        }
    }

    /// Signs a session out.
    pub fn end(&mut self, token: &str) {
        self.sessions.remove(&token_hash(token));
    }
}
