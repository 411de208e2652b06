//! The web front-end's part of the store: session access tokens and single-use links, kept
//! only as SHA-256 hashes so that a copy of the store opens nobody's session.

use super::{NewSession, Store, StoreError, stamp};
use chrono::{DateTime, Utc};
use rand::RngExt;
use rusqlite::{OptionalExtension, params};

/// The SHA-256 of a token, in hex: what the store keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A new random token of 128 bits, in hex, from the thread's CSPRNG.
pub fn new_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// What a link token opened: nothing, a session already started with it, or a fresh start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    Unknown,
    Unused,
    Used { session: String },
}

impl Store {
    /// Gives a session its web access token (kept hashed) and CSRF secret.
    pub fn grant_web_access(
        &self,
        session: &str,
        token: &str,
        csrf: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.transaction("saving the session's access", |tx| {
            tx.execute(
                "INSERT INTO web_access (token_hash, session, csrf, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![token_hash(token), session, csrf, stamp(now)],
            )?;
            Ok(())
        })
    }

    /// The session and CSRF secret a web access token opens.
    pub fn web_access(&self, token: &str) -> Result<Option<(String, String)>, StoreError> {
        self.connection
            .query_row(
                "SELECT session, csrf FROM web_access WHERE token_hash = ?1",
                params![token_hash(token)],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| self.error("reading an access token", e))
    }

    /// Creates single-use links for a survey; returns their tokens (shown once, kept hashed).
    pub fn create_links(
        &self,
        survey_id: &str,
        n: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let tokens: Vec<String> = (0..n).map(|_| new_token()).collect();
        self.transaction("creating links", |tx| {
            for token in &tokens {
                tx.execute(
                    "INSERT INTO links (token_hash, survey_id, created_at) VALUES (?1, ?2, ?3)",
                    params![token_hash(token), survey_id, stamp(now)],
                )?;
            }
            Ok(())
        })?;
        Ok(tokens)
    }

    /// Whether a link exists for this survey, and whether it started a session.
    pub fn link_state(&self, survey_id: &str, token: &str) -> Result<LinkState, StoreError> {
        let found: Option<Option<String>> = self
            .connection
            .query_row(
                "SELECT session FROM links WHERE token_hash = ?1 AND survey_id = ?2",
                params![token_hash(token), survey_id],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.error("reading a link", e))?;
        Ok(match found {
            None => LinkState::Unknown,
            Some(None) => LinkState::Unused,
            Some(Some(session)) => LinkState::Used { session },
        })
    }

    /// Marks a link as used by a session; false when another request used it first.
    pub fn use_link(&self, token: &str, session: &str) -> Result<bool, StoreError> {
        self.transaction("using a link", |tx| {
            Ok(tx.execute(
                "UPDATE links SET session = ?2 WHERE token_hash = ?1 AND session IS NULL",
                params![token_hash(token), session],
            )? == 1)
        })
    }

    /// Starts a web session in one transaction: the session, its access token and CSRF secret,
    /// and — with a single-use link — the link's use. When the link was used meanwhile nothing
    /// is kept and the result is `None`, so a refused start leaves no session behind.
    pub fn start_web_session(
        &self,
        new: &NewSession<'_>,
        token: &str,
        csrf: &str,
        link: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        let now = stamp(new.now);
        self.create_session_with(new, |tx, id| {
            if let Some(link) = link {
                let bound = tx.execute(
                    "UPDATE links SET session = ?2 WHERE token_hash = ?1 AND session IS NULL",
                    params![token_hash(link), id],
                )?;
                if bound != 1 {
                    return Ok(false);
                }
            }
            tx.execute(
                "INSERT INTO web_access (token_hash, session, csrf, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![token_hash(token), id, csrf, now],
            )?;
            Ok(true)
        })
    }
}
