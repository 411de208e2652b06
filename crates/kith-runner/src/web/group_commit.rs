//! The web front-end's one writer: requests that change the store run on one thread, in groups
//! that share one transaction and one fsync (`Store::begin_group`).
//!
//! A request's work runs as soon as the writer takes it, in the order requests arrived; what
//! it answers is held until its group's commit is durable and only then sent, so that a page is
//! never acknowledged before it is on disk. When the commit fails, every request of the group is
//! answered with the failure instead (nothing of the group was kept). While one group commits,
//! the requests that arrive meanwhile queue up and form the next group: under load the groups
//! grow by themselves, and a lone request commits alone, as quickly as before.

use super::{App, store_failed};
use crate::store::{Store, StoreError};
use axum::response::Response;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};

/// The most requests one group holds, so that a group's transaction stays short.
const MAX_GROUP: usize = 64;

/// What a request does to the store; returns what answers it once its group has committed.
pub(super) type Job = Box<dyn FnOnce(&Store) -> Deliver + Send>;

/// Sends a request's answer, given whether its group committed.
pub(super) type Deliver = Box<dyn FnOnce(Result<(), &StoreError>) + Send>;

/// Starts the writer thread for `store`; it ends when every sender is dropped.
pub(super) fn start(store: Arc<Mutex<Store>>) -> Sender<Job> {
    let (sender, receiver) = std::sync::mpsc::channel::<Job>();
    // A thread that cannot be started leaves the sender without a receiver: every write then
    // fails with a clear error (`run`) rather than the server not starting.
    let _ = std::thread::Builder::new()
        .name("kith-store-writer".to_string())
        .spawn(move || write_groups(&store, &receiver));
    sender
}

/// Takes the queued jobs in groups of at most `MAX_GROUP`, each group one transaction.
fn write_groups(store: &Mutex<Store>, receiver: &Receiver<Job>) {
    while let Ok(first) = receiver.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_GROUP {
            match receiver.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        // A poisoned lock means a request panicked; its connection is still usable.
        let store = store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if store.begin_group().is_err() {
            // The store cannot open a transaction now (lost files, a lock held elsewhere):
            // each request runs on its own, and its own store step reports why it failed.
            for job in jobs {
                if let Ok(deliver) =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&store)))
                {
                    deliver(Ok(()));
                }
            }
            continue;
        }
        // A request that panicked drops its answer's sender: it is answered with a server error.
        let deliveries: Vec<Deliver> = jobs
            .into_iter()
            .filter_map(|job| store.within_group(job).ok())
            .collect();
        let committed = store.commit_group();
        for deliver in deliveries {
            deliver(committed.as_ref().map(|_| ()));
        }
    }
}

/// Runs `work` on the writer and waits for its answer, which comes after its group's commit.
pub(super) async fn run(
    app: &Arc<App>,
    work: impl FnOnce(&Store, &App) -> Response + Send + 'static,
) -> Result<Response, String> {
    let (reply, answer) = tokio::sync::oneshot::channel::<Response>();
    let writer = app.writer.clone();
    let app = app.clone();
    let job: Job = Box::new(move |store: &Store| {
        let response = work(store, &app);
        Box::new(move |committed: Result<(), &StoreError>| {
            let response = match committed {
                Ok(()) => response,
                Err(error) => store_failed(&app, error),
            };
            // The participant may have gone; the page is saved all the same.
            let _ = reply.send(response);
        })
    });
    writer
        .send(job)
        .map_err(|_| "the store's writer has stopped".to_string())?;
    answer
        .await
        .map_err(|_| "saving the page failed unexpectedly".to_string())
}
