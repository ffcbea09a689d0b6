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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;

    #[tokio::test]
    async fn a_client_that_goes_away_stops_the_job() {
        let sent = Arc::new(AtomicUsize::new(0));
        let stopped = Arc::new(AtomicBool::new(false));
        let (s, done) = (sent.clone(), stopped.clone());
        let body = streamed(move |sink| {
            // An endless export: only the client's leaving ends it.
            while sink.send(vec![b'x'; 1024]) {
                s.fetch_add(1, Ordering::SeqCst);
            }
            done.store(true, Ordering::SeqCst);
            Ok(())
        });
        let mut body = Box::pin(body);
        for _ in 0..3 {
            let frame = std::future::poll_fn(|cx| http_body::Body::poll_frame(body.as_mut(), cx)).await;
            assert!(frame.is_some());
        }
        drop(body);
        for _ in 0..200 {
            if stopped.load(Ordering::SeqCst) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(stopped.load(Ordering::SeqCst), "the job still runs after its client left");
        let n = sent.load(Ordering::SeqCst);
        assert!(n < 3 + CHUNKS_IN_FLIGHT + 2, "{n} chunks made for a client that read 3");
    }
}
