//! What a client may hold of the server's connections, and for how long.
//!
//! - [`ConnectionLimits`]: how long a client may take to send its headers,
//!   how long a response may wait on a client that does not read it, how
//!   many connections one client ([`client_of`]) and all clients together may
//!   hold open.
//! - [`Slots`]: the count of open connections, per client and in all; a
//!   connection beyond a limit is answered at once (429 for one client over
//!   its share, 503 when the server is full) and closed.
//! - [`StallLimited`]: a connection whose writes make no progress for the
//!   write stall timeout (a client that stopped reading, or reads a large
//!   export a few bytes at a time) fails, and is closed.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::StatusCode;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;

/// How long a client may take by default to send a request line and its
/// headers, and the longest a kept-alive connection may wait idle for the
/// next request: beyond, the connection is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long by default a response may wait, without a byte of progress, on
/// a client that does not read it: beyond, the connection is closed. The
/// operating system reports a connection writable again only once a good
/// part of its send buffer has drained (tens of kilobytes at least), so
/// this also closes a client that reads a few bytes at a time.
pub const WRITE_STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// The most a connection's buffers hold at once (hyper's `max_buf_size`).
/// hyper refuses a request line and headers (431 or 414, and closes the
/// connection) once this much is buffered without their end; a head that
/// ends within the read that crosses the limit still passes, so a head is
/// refused beyond twice this at most. Browsers send a few kilobytes.
/// hyper's default (408 KiB) would let thousands of slow connections hold
/// gigabytes.
pub const MAX_REQUEST_HEAD: usize = 32 * 1024;

/// How many connections one client ([`client_of`]) may hold open by default.
/// Browsers open six per server; this leaves room for a newsroom behind
/// one address.
pub const CONNECTIONS_PER_CLIENT: usize = 128;

/// File descriptors kept for the archive (SQLite, the index) and the
/// server itself when the total connection limit is derived from the
/// process's limit on open files.
pub const DESCRIPTORS_KEPT: u64 = 256;

/// Refusals being written at once, at most; beyond, a refused connection
/// is closed without an answer (a flood of refusals must not hold file
/// descriptors either).
pub const REFUSALS_IN_FLIGHT: usize = 256;

/// How long a refused connection is given to take its answer.
pub const REFUSAL_TIME: Duration = Duration::from_secs(2);

/// The client a connection or request is counted against: its IPv4
/// address, or the /64 network of its IPv6 address (one subscriber is
/// given a whole /64, so counting single IPv6 addresses would let one
/// client take any share it likes). An IPv4 address mapped into IPv6 is
/// that IPv4 address.
pub fn client_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        },
    }
}

/// The limits [`super::serve_on`] holds every connection to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// A client must send a whole request line and headers within this
    /// time of connecting (or of the previous response on a kept-alive
    /// connection); beyond, the connection is closed (slowloris).
    pub header_read_timeout: Duration,
    /// A response whose writes make no progress for this long is abandoned
    /// and its connection closed.
    pub write_stall_timeout: Duration,
    /// The most connections one client ([`client_of`]) may hold open (0: no
    /// limit); beyond, 429.
    pub per_client: usize,
    /// The most connections open at once in all; beyond, 503.
    pub total: usize,
}

impl Default for ConnectionLimits {
    /// The defaults; `total` leaves [`DESCRIPTORS_KEPT`] of the process's
    /// open-file limit to the archive.
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout: HEADER_READ_TIMEOUT,
            write_stall_timeout: WRITE_STALL_TIMEOUT,
            per_client: CONNECTIONS_PER_CLIENT,
            total: connections_the_file_limit_allows(),
        }
    }
}

/// Raises this process's soft limit on open files to its hard limit (a
/// server holding many connections needs descriptors; shells default to
/// 1,024). Returns the soft limit in force afterwards, if known.
pub fn raise_open_file_limit() -> Option<u64> {
    use rustix::process::{getrlimit, setrlimit, Resource};
    let mut limit = getrlimit(Resource::Nofile);
    if limit.current < limit.maximum {
        limit.current = limit.maximum;
        if setrlimit(Resource::Nofile, limit).is_err() {
            limit = getrlimit(Resource::Nofile);
        }
    }
    limit.current
}

/// How many connections fit under the open-file limit, leaving
/// [`DESCRIPTORS_KEPT`] to everything else.
fn connections_the_file_limit_allows() -> usize {
    let files = rustix::process::getrlimit(rustix::process::Resource::Nofile).current.unwrap_or(1 << 16);
    usize::try_from(files.saturating_sub(DESCRIPTORS_KEPT).clamp(16, 1 << 20)).unwrap_or(1 << 16)
}

/// Why a connection was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The client already holds its share of connections.
    ClientFull {
        /// The client (see [`client_of`]).
        client: IpAddr,
        /// Its share.
        limit: usize,
    },
    /// The server holds as many connections as it may.
    ServerFull,
}

impl Refusal {
    /// The status a refused connection is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::ClientFull { .. } => StatusCode::TOO_MANY_REQUESTS,
            Refusal::ServerFull => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// What the refused client is told.
    pub fn message(&self) -> String {
        match self {
            Refusal::ClientFull { client: IpAddr::V6(net), limit } => {
                format!("too many connections from {net}/64: at most {limit} at once; close one and retry")
            }
            Refusal::ClientFull { client, limit } => {
                format!("too many connections from {client}: at most {limit} at once; close one and retry")
            }
            Refusal::ServerFull => {
                "the server is holding as many connections as it can; retry shortly".into()
            }
        }
    }

    /// The whole HTTP/1.1 answer, with the security headers every response
    /// carries, the error as JSON (as the API's errors), and `Connection:
    /// close`.
    pub fn response(&self) -> Vec<u8> {
        let status = self.status();
        let body = serde_json::to_string(&super::error::ErrorBody {
            error: self.message(),
            status: status.as_u16(),
        })
        .unwrap_or_default();
        let mut head = format!(
            "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\nretry-after: 1\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or_default(),
            body.len()
        );
        for (name, value) in super::SECURITY_HEADERS {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        head.push_str(&body);
        head.into_bytes()
    }
}

/// The open connections, per client and in all.
#[derive(Debug)]
pub struct Slots {
    limits: ConnectionLimits,
    open: Mutex<(usize, HashMap<IpAddr, usize>)>,
    refusals: AtomicUsize,
}

/// A connection's place in [`Slots`], given back when dropped.
#[derive(Debug)]
pub struct Slot {
    slots: Arc<Slots>,
    client: IpAddr,
}

impl Slots {
    /// No connections yet, under `limits`.
    pub fn new(limits: ConnectionLimits) -> Arc<Slots> {
        Arc::new(Slots { limits, open: Mutex::new((0, HashMap::new())), refusals: AtomicUsize::new(0) })
    }

    /// Takes a place for a connection from `peer` (counted against
    /// [`client_of`] it), or says why not.
    pub fn take(self: &Arc<Slots>, peer: IpAddr) -> Result<Slot, Refusal> {
        let client = client_of(peer);
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (total, per_client) = &mut *open;
        if *total >= self.limits.total {
            return Err(Refusal::ServerFull);
        }
        let held = per_client.entry(client).or_insert(0);
        if self.limits.per_client > 0 && *held >= self.limits.per_client {
            return Err(Refusal::ClientFull { client, limit: self.limits.per_client });
        }
        *held += 1;
        *total += 1;
        Ok(Slot { slots: self.clone(), client })
    }

    /// Connections open now: in all, and from `peer`'s client.
    pub fn open(&self, peer: IpAddr) -> (usize, usize) {
        let open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        (open.0, open.1.get(&client_of(peer)).copied().unwrap_or(0))
    }

    /// Answers a refused connection and closes it, in the background and
    /// within [`REFUSAL_TIME`]: the answer is written, the client is given
    /// a moment to read it (what it sent meanwhile is read and dropped, so
    /// that closing does not reset the connection before it has the
    /// answer), then the connection is closed. Beyond
    /// [`REFUSALS_IN_FLIGHT`] refusals at once, it is closed at once.
    pub fn refuse(self: &Arc<Slots>, mut stream: TcpStream, why: &Refusal) {
        if self.refusals.fetch_add(1, Ordering::AcqRel) >= REFUSALS_IN_FLIGHT {
            self.refusals.fetch_sub(1, Ordering::AcqRel);
            return;
        }
        let answer = why.response();
        let slots = self.clone();
        tokio::spawn(async move {
            let _ = tokio::time::timeout(REFUSAL_TIME, async {
                stream.write_all(&answer).await?;
                stream.shutdown().await?;
                let mut sink = [0u8; 4096];
                while stream.read(&mut sink).await? > 0 {}
                io::Result::Ok(())
            })
            .await;
            slots.refusals.fetch_sub(1, Ordering::AcqRel);
        });
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (total, per_client) = &mut *open;
        *total = total.saturating_sub(1);
        if let Some(held) = per_client.get_mut(&self.client) {
            *held -= 1;
            if *held == 0 {
                per_client.remove(&self.client);
            }
        }
    }
}

/// A connection whose writes fail once they have made no progress for a
/// given time (see [`WRITE_STALL_TIMEOUT`]). Reads pass through: their
/// time is bounded by the header read timeout and the request timeout.
#[derive(Debug)]
pub struct StallLimited<S> {
    inner: S,
    limit: Duration,
    /// Runs while a write is waiting on the client; `None` otherwise.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> StallLimited<S> {
    /// `inner`, whose writes may stall for at most `limit`.
    pub fn new(inner: S, limit: Duration) -> StallLimited<S> {
        StallLimited { inner, limit, stalled: None }
    }

    /// Passes on what a write gave, starting the stall clock when it has to
    /// wait and stopping it when it gets on; fails once the clock runs out.
    fn watch<T>(&mut self, cx: &mut Context<'_>, polled: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if polled.is_ready() {
            self.stalled = None;
            return polled;
        }
        let limit = self.limit;
        let stall = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match stall.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("the client read nothing of the response for {} s", limit.as_secs_f64()),
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for StallLimited<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for StallLimited<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, polled)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, polled)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.watch(cx, polled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_client: usize, total: usize) -> ConnectionLimits {
        ConnectionLimits { per_client, total, ..ConnectionLimits::default() }
    }

    #[test]
    fn a_client_over_its_share_and_a_full_server_are_refused_and_places_come_back() {
        let slots = Slots::new(limits(2, 3));
        let (a, b, c) =
            (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]), IpAddr::from([10, 0, 0, 3]));
        let a1 = slots.take(a).unwrap();
        let _a2 = slots.take(a).unwrap();
        assert_eq!(slots.take(a).unwrap_err(), Refusal::ClientFull { client: a, limit: 2 });
        let _b1 = slots.take(b).unwrap();
        assert_eq!(slots.take(c).unwrap_err(), Refusal::ServerFull);
        assert_eq!(slots.open(a), (3, 2));
        drop(a1);
        assert_eq!(slots.open(a), (2, 1));
        let _c1 = slots.take(c).expect("a place given back is taken again");
    }

    #[test]
    fn an_ipv6_client_is_its_slash_64_and_a_mapped_ipv4_address_is_itself() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(client_of(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(client_of(ip("2001:db8:1:2:ffff:1:2:3")), client_of(ip("2001:db8:1:2::9")));
        assert_ne!(client_of(ip("2001:db8:1:2::1")), client_of(ip("2001:db8:1:3::1")));
        assert_eq!(client_of(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(client_of(ip("192.0.2.7")), ip("192.0.2.7"));
        // So one /64 holds one share of connections.
        let slots = Slots::new(limits(2, 10));
        let _held = [slots.take(ip("2001:db8::1")).unwrap(), slots.take(ip("2001:db8::2")).unwrap()];
        assert!(matches!(slots.take(ip("2001:db8::3")), Err(Refusal::ClientFull { .. })));
        assert!(slots.take(ip("2001:db8:0:1::3")).is_ok(), "another /64 is another client");
    }

    #[test]
    fn no_share_per_client_means_only_the_total_counts() {
        let slots = Slots::new(limits(0, 3));
        let a = IpAddr::from([10, 0, 0, 1]);
        let held: Vec<_> = (0..3).map(|_| slots.take(a).unwrap()).collect();
        assert_eq!(slots.take(a).unwrap_err(), Refusal::ServerFull);
        drop(held);
        assert_eq!(slots.open(a), (0, 0));
    }

    #[test]
    fn a_refusal_is_a_whole_http_answer_with_the_security_headers() {
        let why = Refusal::ClientFull { client: IpAddr::from([10, 0, 0, 1]), limit: 2 };
        let text = String::from_utf8(why.response()).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 429 Too Many Requests\r\n"), "{head}");
        assert!(head.contains(&format!("content-length: {}\r\n", body.len())), "{head}");
        assert!(head.contains("content-security-policy: default-src 'none'"), "{head}");
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["status"], 429);
        assert!(json["error"].as_str().unwrap().contains("at most 2"), "{body}");
    }

    #[test]
    fn the_default_total_leaves_descriptors_to_the_archive() {
        let files = rustix::process::getrlimit(rustix::process::Resource::Nofile).current.unwrap_or(1 << 16);
        let total = ConnectionLimits::default().total as u64;
        assert!(
            total >= 16 && (files < 16 + DESCRIPTORS_KEPT || total + DESCRIPTORS_KEPT <= files),
            "{total} of {files}"
        );
    }
}
