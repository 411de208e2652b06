//! The accept loop of `kith serve`, with the limits a server on the open internet needs: a
//! connection cap below the open-file limit (a connection is a file descriptor, and a server out
//! of them serves no one), and a timeout for reading each request's headers, which also closes
//! connections that sit idle between requests (slowloris, forgotten keep-alive sockets).
//!
//! axum's own `serve` has neither, so connections are served here with hyper's HTTP/1
//! connection builder: `header_read_timeout` starts when the connection is opened and again
//! after every response, so one timer bounds both the slow header and the idle connection.

use super::{App, LogLevel, Peer, router};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, watch};

/// The file descriptors kept out of the connection cap: standard streams, the listener, the
/// runtime's own, and the store's files (two connections, each with its file, `-wal` and `-shm`,
/// and a backup or rescue copy).
pub const RESERVED_FILES: u64 = 32;

/// The most connections served at once unless `--max-connections` says otherwise; below that,
/// the open-file limit decides.
pub const DEFAULT_MAX_CONNECTIONS: u64 = 4096;

/// How long a client has to send a request's headers, from the moment its connection opens or
/// its previous response ends, and then its body.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How often the store's files are checked while no page is submitted, so that a store deleted
/// underneath the server is noticed (and what it held rescued) without waiting for a page.
const FILE_CHECK_INTERVAL: Duration = Duration::from_secs(5);

/// The limits the server runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most connections served at once; more wait in the listen queue until one closes.
    pub max_connections: usize,
    /// How long a client has to send a request's headers (counted from when its connection
    /// opens, or its previous response ends) and then its body.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: DEFAULT_MAX_CONNECTIONS as usize,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
        }
    }
}

/// Why the limits asked for cannot be kept; `hint` says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("--max-connections {asked} needs more open files than this process may have ({limit})")]
    TooManyConnections { asked: u64, limit: u64, most: u64 },
    #[error("this process may open only {limit} files, too few to serve participants")]
    TooFewFiles { limit: u64 },
    #[error("--max-connections must be at least 1")]
    NoConnections,
    #[error("--request-timeout must be between 1 and 3600 seconds")]
    BadTimeout,
}

impl LimitError {
    /// What to do about the error.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            LimitError::TooManyConnections { most, .. } => format!(
                "raise the limit (`ulimit -n`, or LimitNOFILE= in a systemd unit) or ask for at most {most} connections"
            ),
            LimitError::TooFewFiles { .. } => {
                "raise the limit with `ulimit -n 4096` (or LimitNOFILE= in a systemd unit)"
                    .to_string()
            }
            LimitError::NoConnections => {
                "leave it out to get a limit that fits the open-file limit".to_string()
            }
            LimitError::BadTimeout => format!(
                "leave it out for {} seconds",
                DEFAULT_REQUEST_TIMEOUT.as_secs()
            ),
        })
    }
}

/// Raises this process's soft limit of open files to its hard limit (a no-op where they are
/// equal) and returns the soft limit in force afterwards; `None` where there is no such limit.
pub fn raise_open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Nofile);
        if limit.maximum != limit.current {
            // A refusal (a hard limit the kernel does not grant) leaves the soft limit as it
            // was, which is then what the cap is computed from.
            let _ = setrlimit(
                Resource::Nofile,
                rustix::process::Rlimit {
                    current: limit.maximum,
                    maximum: limit.maximum,
                },
            );
        }
        getrlimit(Resource::Nofile).current
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The limits for `--max-connections` and `--request-timeout` (either may be left out), checked
/// against the open-file limit `files` (`None`: unlimited).
pub fn limits_for(
    max_connections: Option<u64>,
    request_timeout_s: Option<u64>,
    files: Option<u64>,
) -> Result<Limits, LimitError> {
    let request_timeout = match request_timeout_s {
        None => DEFAULT_REQUEST_TIMEOUT,
        Some(seconds @ 1..=3600) => Duration::from_secs(seconds),
        Some(_) => return Err(LimitError::BadTimeout),
    };
    let most = match files {
        Some(limit) if limit < RESERVED_FILES + 8 => return Err(LimitError::TooFewFiles { limit }),
        Some(limit) => limit - RESERVED_FILES,
        None => u64::MAX,
    };
    let max_connections = match max_connections {
        Some(0) => return Err(LimitError::NoConnections),
        Some(asked) if asked > most => {
            return Err(LimitError::TooManyConnections {
                asked,
                limit: files.unwrap_or(u64::MAX),
                most,
            });
        }
        Some(asked) => asked,
        None => most.min(DEFAULT_MAX_CONNECTIONS),
    };
    Ok(Limits {
        max_connections: usize::try_from(max_connections).unwrap_or(usize::MAX),
        request_timeout,
    })
}

/// Whether an accept error means the process is out of file descriptors (or the system out of
/// memory for sockets), which passes as connections close: ENFILE, EMFILE, ENOBUFS and ENOMEM
/// (Linux's numbers; elsewhere such errors take the general path).
fn out_of_resources(error: &std::io::Error) -> bool {
    matches!(error.raw_os_error(), Some(23 | 24 | 105 | 12))
}

/// Serves until `shutdown` resolves, then lets requests in flight finish (SIGTERM drains):
/// open connections are told to close after their current request, and the server returns
/// when the last one has.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = app.options.limits;
    let router = router(app.clone());
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopped) = watch::channel(false);
    let checker = tokio::spawn(check_store_files(app.clone()));
    let mut shutdown = std::pin::pin!(shutdown);
    let mut reported_full = false;
    loop {
        // A free slot first: at the cap, new connections wait in the kernel's listen queue
        // (and are served as others close) instead of taking file descriptors.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) if out_of_resources(&error) => {
                if !reported_full {
                    app.log(
                        LogLevel::Warning,
                        format!("cannot accept connections: {error}; waiting for some to close"),
                        None,
                    );
                    reported_full = true;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            // A connection reset before it was accepted concerns no one else; the pause keeps
            // an error that repeats from spinning the loop.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
        };
        reported_full = false;
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(
            stream,
            peer,
            router.clone(),
            limits,
            stopped.clone(),
            slot,
        ));
    }
    checker.abort();
    let _ = stop.send(true);
    // Every connection holds a slot until it ends: having them all back means all have ended.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = slots.acquire_many(all).await;
    Ok(())
}

/// Serves one connection until it closes, the header timeout passes, or the server stops.
async fn connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    router: axum::Router,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
    slot: tokio::sync::OwnedSemaphorePermit,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let service = hyper::service::service_fn(move |mut request: hyper::Request<_>| {
        request.extensions_mut().insert(Peer(peer.ip()));
        let mut router = router.clone();
        async move {
            tower_service::Service::call(&mut router, request.map(axum::body::Body::new)).await
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.request_timeout)
        .keep_alive(true);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    let mut connection = std::pin::pin!(connection);
    loop {
        tokio::select! {
            // A connection that failed (a timeout, a reset, garbage) is simply closed.
            _ = connection.as_mut() => break,
            changed = stopped.changed() => {
                if changed.is_err() || *stopped.borrow() {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.as_mut().await;
                    break;
                }
            }
        }
    }
    drop(slot);
}

/// Checks the store's files now and then, so that a store deleted or replaced underneath the
/// server is reported (and rescued) even while no page is submitted.
async fn check_store_files(app: Arc<App>) {
    loop {
        tokio::time::sleep(FILE_CHECK_INTERVAL).await;
        let checking = app.clone();
        let found = tokio::task::spawn_blocking(move || {
            let store = checking.store.lock().ok()?;
            store.check_files().err()
        })
        .await
        .ok()
        .flatten();
        if let Some(error) = found {
            super::report_store_error(&app, &error);
        }
    }
}
