//! Group commit: several front-end requests' changes in one write transaction and one fsync.
//!
//! A web server with many participants commits a page per request; with `synchronous = FULL`
//! each commit waits for the disk, so one commit per page bounds the server at the disk's
//! flush rate. In a group, the store opens one `BEGIN IMMEDIATE` transaction; every change a
//! request makes (`Store::transaction`) becomes a savepoint of it, so that a request whose
//! change fails leaves the others' changes in place; the group commits once. Nothing a request
//! did may be acknowledged before `commit_group` has returned `Ok`: the caller (the web
//! front-end's writer) holds every response until then, and on a failed commit answers each
//! request with the failure instead.

use super::{Store, StoreError};
use rusqlite::Connection;
use std::cell::Cell;

/// Whether a group is open, and whether a checkpoint was asked for inside it.
#[derive(Debug, Default)]
pub(super) struct Group {
    open: Cell<bool>,
    checkpoint_wanted: Cell<bool>,
}

impl Group {
    pub(super) fn is_open(&self) -> bool {
        self.open.get()
    }

    /// Inside a group a checkpoint cannot run (the group's write transaction is open): it is
    /// remembered and run after the group's commit. Returns whether it was deferred.
    pub(super) fn defer_checkpoint(&self) -> bool {
        if self.open.get() {
            self.checkpoint_wanted.set(true);
        }
        self.open.get()
    }
}

impl Store {
    /// Opens a group: the changes made until `commit_group` or `rollback_group` are one
    /// transaction. Fails when the store cannot be written to (its files were lost, or it is
    /// locked by another program for longer than the busy timeout).
    pub fn begin_group(&self) -> Result<(), StoreError> {
        if self.is_lost() {
            self.check_files()?;
        }
        self.connection
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.error("starting to save", e))?;
        self.group.open.set(true);
        self.group.checkpoint_wanted.set(false);
        Ok(())
    }

    /// Commits the group; returns only once the commit is durable and the store's files are
    /// known to be the ones it was written to, so that every change in it may be acknowledged.
    pub fn commit_group(&self) -> Result<(), StoreError> {
        self.group.open.set(false);
        if let Err(error) = self.connection.execute_batch("COMMIT") {
            // A failed COMMIT may leave the transaction open; nothing of it is kept.
            let _ = self.connection.execute_batch("ROLLBACK");
            return Err(self.error("saving", error));
        }
        self.check_files()?;
        if self.group.checkpoint_wanted.replace(false) {
            // A failed checkpoint loses nothing: the commit is in the `-wal` file.
            let _ = self.checkpoint(false);
        }
        Ok(())
    }

    /// Ends the group without keeping any of its changes.
    pub fn rollback_group(&self) {
        self.group.open.set(false);
        self.group.checkpoint_wanted.set(false);
        let _ = self.connection.execute_batch("ROLLBACK");
    }

    /// Runs `work` for one request inside the open group as a savepoint: a request that
    /// panics or fails keeps none of its changes, and the others' stay.
    pub fn within_group<T>(&self, work: impl FnOnce(&Store) -> T) -> std::thread::Result<T> {
        let begun = self.connection.execute_batch("SAVEPOINT kith_request");
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(self)));
        if begun.is_ok() {
            if result.is_err() {
                let _ = self.connection.execute_batch("ROLLBACK TO kith_request");
            }
            let _ = self.connection.execute_batch("RELEASE kith_request");
        }
        result
    }

    /// `Store::transaction_if` inside a group: the change is a savepoint, released (kept in
    /// the group) or rolled back; it becomes durable with the group's commit.
    pub(super) fn savepoint<T>(
        &self,
        action: &'static str,
        work: impl FnOnce(&Connection) -> rusqlite::Result<(T, bool)>,
    ) -> Result<T, StoreError> {
        let run = || -> rusqlite::Result<T> {
            self.connection.execute_batch("SAVEPOINT kith_change")?;
            match work(&self.connection) {
                Ok((value, keep)) => {
                    if !keep {
                        self.connection.execute_batch("ROLLBACK TO kith_change")?;
                    }
                    self.connection.execute_batch("RELEASE kith_change")?;
                    Ok(value)
                }
                Err(error) => {
                    let _ = self.connection.execute_batch("ROLLBACK TO kith_change");
                    let _ = self.connection.execute_batch("RELEASE kith_change");
                    Err(error)
                }
            }
        };
        run().map_err(|e| self.error(action, e))
    }
}
