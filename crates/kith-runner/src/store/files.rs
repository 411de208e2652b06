//! The store's files on disk: knowing that they are still the ones opened (a store deleted or
//! replaced underneath a running kith must not go on acknowledging answers), checkpoints that
//! move committed answers from the `-wal` file into the store file itself, read snapshots, and
//! online backups written atomically.

use super::{Store, StoreError};
use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// A file's identity: the device and inode it lives on. A file deleted and created again, or
/// replaced by a rename, has another identity under the same path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileIdentity {
    device: u64,
    inode: u64,
}

#[cfg(unix)]
fn identity_of(path: &Path) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| FileIdentity {
        device: m.dev(),
        inode: m.ino(),
    })
}

// Elsewhere there is no inode to compare, and the files are not watched.
#[cfg(not(unix))]
fn identity_of(_path: &Path) -> Option<FileIdentity> {
    None
}

/// The `-wal` file beside a store.
fn wal_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// What a store watches about its files: their identities when it opened them, and whether it
/// has found them gone (with where it rescued what it held).
#[derive(Debug, Default)]
pub(super) struct Watch {
    opened: Option<(FileIdentity, Option<FileIdentity>)>,
    /// Set once, when the files are found deleted or replaced: the rescue copy, if one could be
    /// written.
    lost: OnceLock<Option<String>>,
}

/// What `Store::backup_to` wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupReport {
    /// The copy, as given.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The sessions it holds.
    pub sessions: usize,
}

/// Removes a temporary file (and SQLite's files beside it) unless the work it guards finished.
struct Temporary {
    path: PathBuf,
    keep: bool,
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut name = self.path.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
    }
}

impl Store {
    /// Remembers the identities of the store file and its `-wal` file as they are now, right
    /// after opening: what later checks compare against.
    pub(super) fn watch_files(&mut self) {
        let path = Path::new(&self.path);
        self.watch.opened = identity_of(path).map(|db| (db, identity_of(&wal_of(path))));
    }

    /// Whether the store's files are still the ones this store opened. Called after every
    /// commit, before the caller may acknowledge it: a store whose file (or `-wal` file) was
    /// deleted or replaced goes on committing into a file that no one will ever read again.
    /// The first time that is found, everything the open store holds is copied to a rescue file
    /// beside it; from then on every write is refused.
    pub fn check_files(&self) -> Result<(), StoreError> {
        if let Some(rescued) = self.watch.lost.get() {
            return Err(self.lost(rescued.clone(), false));
        }
        let Some((db, wal)) = self.watch.opened else {
            return Ok(());
        };
        let path = Path::new(&self.path);
        let same_db = identity_of(path) == Some(db);
        // A `-wal` file that did not exist at opening is not watched; SQLite keeps the one it
        // has open for as long as this connection lives.
        let same_wal = wal.is_none_or(|wal| identity_of(&wal_of(path)) == Some(wal));
        if same_db && same_wal {
            return Ok(());
        }
        let rescued = self.rescue();
        let first = self.watch.lost.set(rescued.clone()).is_ok();
        Err(self.lost(rescued, first))
    }

    /// Whether the store's files were found deleted or replaced.
    pub fn is_lost(&self) -> bool {
        self.watch.lost.get().is_some()
    }

    fn lost(&self, rescued: Option<String>, just_found: bool) -> StoreError {
        StoreError::Replaced {
            path: self.path.clone(),
            rescued,
            just_found,
        }
    }

    /// Copies what the open store holds — the deleted or replaced file, still open — to
    /// `<store>.rescued-<time>.sqlite`, so that answers acknowledged before the file went away
    /// are not lost with it.
    fn rescue(&self) -> Option<String> {
        let time = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let rescue = PathBuf::from(format!("{}.rescued-{time}.sqlite", self.path));
        self.backup_to(&rescue)
            .ok()
            .map(|_| rescue.display().to_string())
    }

    /// Moves committed answers from the `-wal` file into the store file, so that the store file
    /// alone holds them (a copy of it, a closed terminal that leaves the `-wal` behind). With
    /// `wait`, waits for readers to finish and empties the `-wal` file (on exit); without, copies
    /// what it can without waiting (when a session ends, while others go on).
    pub fn checkpoint(&self, wait: bool) -> Result<(), StoreError> {
        // Inside a group commit the checkpoint waits for the group's commit (`group.rs`).
        if self.group.defer_checkpoint() {
            return Ok(());
        }
        let sql = if wait {
            "PRAGMA wal_checkpoint(TRUNCATE)"
        } else {
            "PRAGMA wal_checkpoint(PASSIVE)"
        };
        self.connection
            .query_row(sql, [], |_| Ok(()))
            .map_err(|e| self.error("checkpointing it", e))
    }

    /// Runs `work` inside one read transaction: everything it reads comes from one state of the
    /// store, however many writes other connections commit meanwhile (WAL readers keep their
    /// snapshot until the transaction ends).
    pub fn read_snapshot<T, E: From<StoreError>>(
        &self,
        work: impl FnOnce(&Store) -> Result<T, E>,
    ) -> Result<T, E> {
        // A group commit's transaction already gives its work one state of the store.
        if self.group.is_open() {
            return work(self);
        }
        let tx = rusqlite::Transaction::new_unchecked(
            &self.connection,
            rusqlite::TransactionBehavior::Deferred,
        )
        .map_err(|e| self.error("starting to read it", e))?;
        let result = work(self);
        // Nothing was written: ending the read transaction cannot lose anything.
        drop(tx);
        result
    }

    /// Writes a consistent copy of the store to `destination` with SQLite's online backup,
    /// while other connections may go on writing: the copy is made in one step under one read
    /// lock, into a temporary file in the destination's folder, checked, made a single file
    /// (no `-wal` needed), flushed to disk and only then renamed into place. On any failure the
    /// temporary file is removed and `destination` is untouched.
    pub fn backup_to(&self, destination: &Path) -> Result<BackupReport, StoreError> {
        let shown = destination.display().to_string();
        let folder = destination
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = destination
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .ok_or_else(|| StoreError::BackupTarget {
                path: shown.clone(),
                reason: "it names no file".to_string(),
            })?;
        if same_file(Path::new(&self.path), destination) {
            return Err(StoreError::BackupTarget {
                path: shown,
                reason: "it is the store itself".to_string(),
            });
        }
        // A `-wal` beside the destination belongs to a store in use there; renaming a copy over
        // it would pair the copy with someone else's log.
        for suffix in ["-wal", "-shm"] {
            if folder.join(format!("{name}{suffix}")).exists() {
                return Err(StoreError::BackupTarget {
                    path: shown,
                    reason: format!("`{name}{suffix}` beside it shows a store in use there"),
                });
            }
        }
        let temporary = Temporary {
            path: folder.join(format!(".{name}.partial-{}", super::new_token())),
            keep: false,
        };
        let failed = |e: rusqlite::Error| StoreError::Backup {
            path: shown.clone(),
            source: e,
        };
        let mut copy = Connection::open(&temporary.path).map_err(failed)?;
        {
            let backup = Backup::new(&self.connection, &mut copy).map_err(failed)?;
            let mut waits = 0;
            loop {
                match backup.step(-1).map_err(failed)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    // Another connection holds a lock for a moment: try again, for a while.
                    _ if waits < 200 => {
                        waits += 1;
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    _ => {
                        return Err(StoreError::BackupTarget {
                            path: shown.clone(),
                            reason: "the store stayed locked for ten seconds".to_string(),
                        });
                    }
                }
            }
        }
        let check: String = copy
            .query_row("PRAGMA quick_check", [], |row| row.get(0))
            .map_err(failed)?;
        if check != "ok" {
            return Err(StoreError::Damaged {
                path: shown,
                what: format!("the copy failed SQLite's check: {check}"),
            });
        }
        let sessions: i64 = copy
            .query_row("SELECT count(*) FROM sessions", [], |row| row.get(0))
            .map_err(failed)?;
        // A backup is one self-contained file: without WAL mode it needs no `-wal` or `-shm`
        // beside it (kith switches a store back to WAL when it opens it to write).
        copy.pragma_update_and_check(None, "journal_mode", "DELETE", |row| {
            row.get::<_, String>(0)
        })
        .map_err(failed)?;
        copy.close().map_err(|(_, e)| failed(e))?;
        let io_failed = |e: std::io::Error| StoreError::BackupTarget {
            path: shown.clone(),
            reason: e.to_string(),
        };
        let file = std::fs::File::open(&temporary.path).map_err(io_failed)?;
        file.sync_all().map_err(io_failed)?;
        let bytes = file.metadata().map_err(io_failed)?.len();
        std::fs::rename(&temporary.path, destination).map_err(io_failed)?;
        let mut temporary = temporary;
        temporary.keep = true;
        // The rename is durable once the folder is flushed (where the platform allows it).
        if let Ok(dir) = std::fs::File::open(&folder) {
            let _ = dir.sync_all();
        }
        Ok(BackupReport {
            path: shown,
            bytes,
            sessions: sessions as usize,
        })
    }
}

/// Whether two paths name one file (the destination need not exist).
fn same_file(a: &Path, b: &Path) -> bool {
    match (identity_of(a), identity_of(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}
