//! Writing files so that a reader sees the old file or the complete new one, never a part.
//!
//! Every file kith writes (scores, exports, results, reports, charts, codebooks, the schema)
//! goes through [`write_file`]: the content is written to a temporary file in the destination's
//! folder, flushed to disk, and renamed over the destination. On Linux the temporary file is
//! unnamed (`O_TMPFILE`) until it is complete, so a `kill -9` while writing leaves nothing
//! behind; elsewhere, or on file systems without unnamed files, it is a hidden named file that
//! is removed when writing fails.

use crate::render::{fail, fail_because};
use anyhow::Result;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

const HINT: &str = "check that the folder exists and is writable and that the disk is not full; the previous file, if any, is unchanged";

/// Writes `path` atomically with what `write` produces, and returns what `write` returned.
///
/// When `write` (or flushing) fails, the destination is left as it was and no temporary file
/// stays behind.
pub fn write_file<T>(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let shown = path.display();
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(fail(
            format!("cannot write `{shown}`: it is a folder"),
            format!("name a file, e.g. `{}`", path.join("output").display()),
        ));
    }
    let failed =
        |cause: anyhow::Error| fail_because(format!("cannot write `{shown}`"), HINT, cause);
    let mut temporary = Temporary::create(&folder, path).map_err(|e| failed(e.into()))?;
    let written = {
        let mut writer = BufWriter::new(temporary.file());
        write(&mut writer)
            .and_then(|value| writer.flush().map(|()| value).map_err(Into::into))
            .map_err(failed)
    };
    let value = written?;
    temporary.file().sync_all().map_err(|e| failed(e.into()))?;
    temporary.persist(path).map_err(|e| failed(e.into()))?;
    // The rename itself is durable once the folder is flushed; where a folder cannot be
    // opened for that (not on every platform), the file is complete all the same.
    if let Ok(directory) = std::fs::File::open(&folder) {
        let _ = directory.sync_all();
    }
    Ok(value)
}

/// Writes `bytes` to `path` atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_file(path, |writer| writer.write_all(bytes).map_err(Into::into))
}

/// A temporary file in the destination's folder.
enum Temporary {
    /// An unnamed file (Linux `O_TMPFILE`): it has no name until it is linked in `persist`.
    #[cfg(target_os = "linux")]
    Unnamed {
        file: std::fs::File,
        folder: PathBuf,
    },
    /// A hidden named file, removed when dropped unless persisted.
    Named(tempfile::NamedTempFile),
}

impl Temporary {
    fn create(folder: &Path, destination: &Path) -> std::io::Result<Self> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC;
            if let Ok(fd) = rustix::fs::openat(rustix::fs::CWD, folder, flags, Mode::from(0o666)) {
                return Ok(Temporary::Unnamed {
                    file: std::fs::File::from(fd),
                    folder: folder.to_path_buf(),
                });
            }
        }
        tempfile::Builder::new()
            .prefix(&hidden_prefix(destination))
            .suffix(".partial")
            .tempfile_in(folder)
            .map(Temporary::Named)
    }

    fn file(&mut self) -> &mut std::fs::File {
        match self {
            #[cfg(target_os = "linux")]
            Temporary::Unnamed { file, .. } => file,
            Temporary::Named(named) => named.as_file_mut(),
        }
    }

    /// Gives the complete file the destination's name, replacing what was there.
    fn persist(self, destination: &Path) -> std::io::Result<()> {
        match self {
            #[cfg(target_os = "linux")]
            Temporary::Unnamed { file, folder } => {
                use std::os::fd::AsRawFd;
                // An unnamed file can only be linked to a name that does not exist yet, so it
                // gets a fresh hidden name first and is then renamed over the destination.
                let proc_path = format!("/proc/self/fd/{}", file.as_raw_fd());
                for attempt in 0..16u32 {
                    let name = folder.join(format!(
                        "{}{:08x}.partial",
                        hidden_prefix(destination),
                        rand_suffix(attempt)
                    ));
                    match rustix::fs::linkat(
                        rustix::fs::CWD,
                        proc_path.as_str(),
                        rustix::fs::CWD,
                        &name,
                        rustix::fs::AtFlags::SYMLINK_FOLLOW,
                    ) {
                        Ok(()) => {
                            return std::fs::rename(&name, destination).inspect_err(|_| {
                                let _ = std::fs::remove_file(&name);
                            });
                        }
                        Err(rustix::io::Errno::EXIST) => continue,
                        Err(error) => return Err(error.into()),
                    }
                }
                Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "no free temporary name in the folder",
                ))
            }
            Temporary::Named(named) => named.persist(destination).map(drop).map_err(|e| e.error),
        }
    }
}

/// `.NAME.` for a destination `NAME`: temporary files are hidden and say what they are for.
fn hidden_prefix(destination: &Path) -> String {
    let name = destination
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".to_string());
    format!(".{name}.")
}

/// A number for a temporary name: the process id and the time mixed with the attempt.
fn rand_suffix(attempt: u32) -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    nanos ^ std::process::id().rotate_left(16) ^ attempt.wrapping_mul(0x9e37_79b9)
}
