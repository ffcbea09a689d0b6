//! A small HTTP/1.1 load generator for `demarche serve` on loopback: many
//! concurrent keep-alive clients, each sending GETs from a list in turn,
//! every latency recorded. Used by the serving benchmark and the load tests;
//! it speaks just enough HTTP for this server (`Content-Length` bodies).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// What a run measured.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    /// Requests answered with a 2xx status.
    pub ok: u64,
    /// Requests answered with another status, or failed (I/O, timeout).
    pub errors: u64,
    /// The first few errors, for the report.
    pub error_samples: Vec<String>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Latencies of the answered requests, as a histogram of fixed size
    /// (memory stays flat however long the run).
    pub latencies: LatencyHistogram,
}

/// Latencies in microseconds, bucketed with under 1% error: exact below
/// 256 µs, then 128 buckets per power of two.
#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    counts: Vec<u64>,
    total: u64,
    max: Duration,
}

impl Default for LatencyHistogram {
    fn default() -> LatencyHistogram {
        LatencyHistogram { counts: vec![0; 256 + 56 * 128], total: 0, max: Duration::ZERO }
    }
}

impl LatencyHistogram {
    fn bucket(us: u64) -> usize {
        if us < 256 {
            return us as usize;
        }
        let e = 63 - us.leading_zeros() as usize; // 8 and up
        256 + (e - 8) * 128 + ((us >> (e - 7)) as usize - 128)
    }

    fn lower_bound(i: usize) -> u64 {
        if i < 256 {
            return i as u64;
        }
        let (e, m) = ((i - 256) / 128 + 8, (i - 256) % 128 + 128);
        (m as u64) << (e - 7)
    }

    /// Records one latency.
    pub fn record(&mut self, d: Duration) {
        let i = Self::bucket(d.as_micros().min(u128::from(u64::MAX >> 8)) as u64).min(self.counts.len() - 1);
        self.counts[i] += 1;
        self.total += 1;
        self.max = self.max.max(d);
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
        self.max = self.max.max(other.max);
    }

    /// Number of recorded latencies.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The longest recorded latency.
    pub fn max(&self) -> Duration {
        self.max
    }

    /// The latency at quantile `q` (lower bound of its bucket).
    pub fn quantile(&self, q: f64) -> Duration {
        if self.total == 0 {
            return Duration::ZERO;
        }
        let rank = ((self.total as f64 - 1.0) * q.clamp(0.0, 1.0)).round() as u64;
        let mut seen = 0;
        for (i, &n) in self.counts.iter().enumerate() {
            seen += n;
            if seen > rank {
                return Duration::from_micros(Self::lower_bound(i)).min(self.max);
            }
        }
        self.max
    }
}

impl LoadReport {
    /// Answered requests per second.
    pub fn throughput(&self) -> f64 {
        (self.ok + self.errors) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The latency at quantile `q` (0.5 for the median, 0.99...).
    pub fn quantile(&self, q: f64) -> Duration {
        self.latencies.quantile(q)
    }

    /// One line: requests, throughput, p50/p95/p99/max, errors.
    pub fn summary(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        format!(
            "{} requests in {:.1} s: {:.0} req/s, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {} errors",
            self.ok + self.errors,
            self.elapsed.as_secs_f64(),
            self.throughput(),
            ms(self.quantile(0.5)),
            ms(self.quantile(0.95)),
            ms(self.quantile(0.99)),
            ms(self.latencies.max()),
            self.errors
        )
    }
}

/// One keep-alive HTTP/1.1 connection.
pub struct Conn {
    stream: BufReader<TcpStream>,
}

impl Conn {
    /// Connects to `addr`.
    pub async fn open(addr: SocketAddr) -> std::io::Result<Conn> {
        let s = TcpStream::connect(addr).await?;
        s.set_nodelay(true)?;
        Ok(Conn { stream: BufReader::new(s) })
    }

    /// Sends a GET and reads the whole answer: the status code and the body.
    pub async fn get(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        self.get_as(path, None).await
    }

    /// [`Conn::get`] with `Authorization: Bearer TOKEN` when a token is given.
    pub async fn get_as(&mut self, path: &str, token: Option<&str>) -> std::io::Result<(u16, Vec<u8>)> {
        let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        let req =
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: demarche-loadgen\r\n{auth}\r\n");
        self.stream.get_mut().write_all(req.as_bytes()).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, format!("bad status line {line:?}"))
        })?;
        let mut length = None;
        loop {
            line.clear();
            if self.stream.read_line(&mut line).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse::<usize>().ok();
                }
            }
        }
        let length = length.ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, "no Content-Length in the answer")
        })?;
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).await?;
        Ok((status, body))
    }
}

/// Runs `clients` concurrent connections against `addr` for `duration`,
/// client `i` sending `paths[(i + k * clients) % len]` for its `k`-th
/// request, each waiting at most `timeout`. Runs on the current tokio
/// runtime.
pub async fn run(
    addr: SocketAddr,
    paths: &[String],
    clients: usize,
    duration: Duration,
    timeout: Duration,
) -> LoadReport {
    run_as(addr, paths, clients, duration, timeout, None).await
}

/// [`run`] with every request signed in with `token` (a private instance).
pub async fn run_as(
    addr: SocketAddr,
    paths: &[String],
    clients: usize,
    duration: Duration,
    timeout: Duration,
    token: Option<String>,
) -> LoadReport {
    assert!(!paths.is_empty(), "no paths to request");
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::new();
    for i in 0..clients {
        let paths = paths.to_vec();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let mut r = LoadReport::default();
            let mut conn: Option<Conn> = None;
            let mut k = 0usize;
            while Instant::now() < deadline {
                let path = &paths[(i + k * clients) % paths.len()];
                k += 1;
                let sent = Instant::now();
                let answer = tokio::time::timeout(timeout, async {
                    if conn.is_none() {
                        conn = Some(Conn::open(addr).await?);
                    }
                    match conn.as_mut() {
                        Some(c) => c.get_as(path, token.as_deref()).await,
                        None => Err(std::io::ErrorKind::NotConnected.into()),
                    }
                })
                .await;
                let took = sent.elapsed();
                match answer {
                    Ok(Ok((status, _))) if (200..300).contains(&status) => {
                        r.ok += 1;
                        r.latencies.record(took);
                    }
                    Ok(Ok((status, _))) => {
                        r.errors += 1;
                        r.latencies.record(took);
                        if r.error_samples.len() < 5 {
                            r.error_samples.push(format!("{path}: status {status}"));
                        }
                    }
                    Ok(Err(e)) => {
                        r.errors += 1;
                        conn = None;
                        if r.error_samples.len() < 5 {
                            r.error_samples.push(format!("{path}: {e}"));
                        }
                    }
                    Err(_) => {
                        r.errors += 1;
                        conn = None;
                        if r.error_samples.len() < 5 {
                            r.error_samples.push(format!("{path}: no answer in {timeout:?}"));
                        }
                    }
                }
            }
            r
        }));
    }
    let mut total = LoadReport::default();
    for t in tasks {
        match t.await {
            Ok(r) => {
                total.ok += r.ok;
                total.errors += r.errors;
                total.latencies.merge(&r.latencies);
                for s in r.error_samples {
                    if total.error_samples.len() < 10 {
                        total.error_samples.push(s);
                    }
                }
            }
            Err(e) => {
                total.errors += 1;
                total.error_samples.push(format!("client task failed: {e}"));
            }
        }
    }
    total.elapsed = start.elapsed();
    total
}

/// Percent-encodes a query value for a URL.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl LoadReport {
    /// Two runs' figures as one (run at the same time).
    pub fn merged(mut self, other: LoadReport) -> LoadReport {
        self.ok += other.ok;
        self.errors += other.errors;
        self.latencies.merge(&other.latencies);
        self.error_samples.extend(other.error_samples);
        self.elapsed = self.elapsed.max(other.elapsed);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::LatencyHistogram;
    use std::time::Duration;

    #[test]
    fn quantiles_are_within_one_percent_and_memory_is_fixed() {
        let mut h = LatencyHistogram::default();
        for us in 1..=100_000u64 {
            h.record(Duration::from_micros(us));
        }
        for (q, want) in [(0.5, 50_000.0), (0.99, 99_000.0), (0.0, 1.0)] {
            let got = h.quantile(q).as_micros() as f64;
            assert!((got - want).abs() <= want * 0.01 + 1.0, "q{q}: {got} vs {want}");
        }
        assert_eq!(h.max(), Duration::from_micros(100_000));
        assert_eq!(h.len(), 100_000);
        let buckets = h.counts.len();
        h.record(Duration::from_secs(3600));
        assert_eq!(h.counts.len(), buckets);
        for i in 0..buckets {
            assert_eq!(LatencyHistogram::bucket(LatencyHistogram::lower_bound(i)), i, "bucket {i}");
        }
    }
}
