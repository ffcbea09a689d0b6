//! Responses written as they are made: a blocking job (reading the archive
//! on its own thread) hands chunks to the response body through a small
//! channel, so that an export of any size holds a few chunks in memory, its
//! first byte leaves as soon as its first rows are read, and a client that
//! goes away stops the job (its next chunk finds nobody to take it).

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::Frame;
use tokio::sync::mpsc;

/// Chunks in flight between the job and the connection.
const CHUNKS_IN_FLIGHT: usize = 8;

/// A body whose chunks come from a channel.
struct ChannelBody {
    rx: mpsc::Receiver<Result<Bytes, std::io::Error>>,
}

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        self.rx.poll_recv(cx).map(|chunk| chunk.map(|r| r.map(Frame::data)))
    }
}

/// Where a job writes: `send` returns false once the client is gone.
pub struct Sink {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl Sink {
    /// Sends a chunk; false when nobody reads any more (stop then).
    pub fn send(&self, chunk: Vec<u8>) -> bool {
        self.tx.blocking_send(Ok(Bytes::from(chunk))).is_ok()
    }
}

/// A response body written by `job` on the blocking pool. A job that
/// fails after it started ends the body with an error (the client sees a
/// cut-off download, never a complete-looking wrong one).
pub fn streamed<F>(job: F) -> axum::body::Body
where
    F: FnOnce(&Sink) -> archive::Result<()> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
    tokio::task::spawn_blocking(move || {
        let sink = Sink { tx };
        if let Err(e) = job(&sink) {
            let _ = sink.tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    axum::body::Body::new(ChannelBody { rx })
}
