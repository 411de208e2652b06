//! The export's pipeline on two threads: this thread reads batches of sessions from the store
//! and writes finished rows into the sink, a worker parses each batch and makes its rows.
//! Batches travel through bounded channels in order, so the output is the same as one thread's
//! and memory holds a few batches at most.

use super::{Cell, ExportError, RowSink, SessionRows};
use crate::store::{BatchCount, RawBatch, Status, Store, StoreError};
use std::sync::mpsc;

/// Sessions read from the store at a time: a batch's records and rows are all an export holds
/// in memory per stage (about 2 MB for sessions of 40 answers).
const SESSIONS_PER_BATCH: usize = 256;

/// Batches waiting between two stages: enough to keep both threads busy.
const QUEUED: usize = 2;

type Made = Result<Vec<Vec<Cell>>, StoreError>;

/// Streams the sessions of `surveys` that `keep` accepts through `layout` into `sink` (whose
/// header is written already); returns the sessions counted and the rows written.
pub(super) fn stream(
    store: &Store,
    surveys: &[i64],
    keep: impl Fn(Status) -> bool,
    layout: &(dyn SessionRows + Sync),
    sink: &mut dyn RowSink,
) -> Result<(BatchCount, usize), ExportError> {
    std::thread::scope(|scope| {
        let (to_worker, batches) = mpsc::sync_channel::<RawBatch>(QUEUED);
        let (to_writer, made) = mpsc::sync_channel::<Made>(QUEUED);
        // Written rows go back to the worker to be dropped: memory is freed by the thread that
        // allocated it, which spares this thread the allocator's cross-thread locking.
        let (to_recycle, written_rows) = mpsc::channel::<Vec<Vec<Cell>>>();
        let worker = scope.spawn(move || {
            for batch in batches {
                while let Ok(rows) = written_rows.try_recv() {
                    drop(rows);
                }
                let rows = batch.parse().map(|sessions| {
                    let mut rows = Vec::new();
                    for data in &sessions {
                        layout.session_rows(data, &mut rows);
                    }
                    rows
                });
                if to_writer.send(rows).is_err() {
                    return;
                }
            }
        });
        let mut written = 0;
        let mut in_flight = 0usize;
        let read = store.session_batches(surveys, keep, SESSIONS_PER_BATCH, |batch| {
            if to_worker.send(batch).is_err() {
                return Err(gone());
            }
            in_flight += 1;
            if in_flight > QUEUED {
                let Ok(rows) = made.recv() else {
                    return Err(gone());
                };
                in_flight -= 1;
                deliver(rows, sink, &mut written, &to_recycle)?;
            }
            Ok(())
        });
        drop(to_worker);
        let result = read.and_then(|count| {
            for rows in made.iter() {
                deliver(rows, sink, &mut written, &to_recycle)?;
            }
            Ok((count, written))
        });
        // Dropping the receiver stops a worker still sending after an error.
        drop(made);
        match worker.join() {
            // A panic in making rows is a bug: it is raised here as it would have been raised
            // on one thread (the send or receive that found the worker gone is not the error).
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => result,
        }
    })
}

fn deliver(
    made: Made,
    sink: &mut dyn RowSink,
    written: &mut usize,
    recycle: &mpsc::Sender<Vec<Vec<Cell>>>,
) -> Result<(), ExportError> {
    let mut rows = made?;
    *written += rows.len();
    sink.rows(&mut rows).map_err(ExportError::Write)?;
    // A worker that has ended leaves the rows to be dropped here.
    let _ = recycle.send(rows);
    Ok(())
}

fn gone() -> ExportError {
    ExportError::Write(std::io::Error::other("the export's worker thread stopped"))
}
