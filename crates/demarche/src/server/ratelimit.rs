//! A per-client rate limit: a token bucket per client (an IPv4 address or
//! an IPv6 /64, see [`super::connections::client_of`]), refilled at
//! `per_second` up to `burst`. A client over its limit gets 429 with
//! `Retry-After`; other clients are not affected.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// How many clients are remembered before full buckets are forgotten.
const MAX_CLIENTS: usize = 100_000;

/// The limit and the buckets.
#[derive(Debug)]
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    /// At most `per_second` requests a second per client on average, `burst` at once.
    pub fn new(per_second: u32, burst: u32) -> RateLimiter {
        RateLimiter {
            per_second: f64::from(per_second.max(1)),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `peer`'s client: `Ok` to go on, or `Err(seconds)`
    /// to wait.
    pub fn check(&self, peer: IpAddr, now: Instant) -> Result<(), u64> {
        let client = super::connections::client_of(peer);
        let Ok(mut buckets) = self.buckets.lock() else { return Ok(()) };
        if buckets.len() >= MAX_CLIENTS {
            let (rate, burst) = (self.per_second, self.burst);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.saturating_duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = buckets.entry(client).or_insert((self.burst, now));
        let refilled =
            (*tokens + now.saturating_duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            Err(((1.0 - refilled) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

/// The middleware: 429 for a client over its limit. The client is the
/// peer address of the connection (behind a reverse proxy, limit there).
pub async fn limit(State(limiter): State<Arc<RateLimiter>>, req: Request, next: Next) -> Response {
    let client = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    match limiter.check(client, Instant::now()) {
        Ok(()) => next.run(req).await,
        Err(wait) => {
            let mut res = super::HttpError {
                status: StatusCode::TOO_MANY_REQUESTS,
                message: format!("too many requests from {client}: wait {wait} s"),
            }
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_client_over_its_burst_waits_and_others_do_not() {
        let l = RateLimiter::new(2, 3);
        let (a, b) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        let t = Instant::now();
        assert!((0..3).all(|_| l.check(a, t).is_ok()), "the burst");
        assert_eq!(l.check(a, t), Err(1));
        assert!(l.check(b, t).is_ok(), "another client");
        assert!(l.check(a, t + Duration::from_millis(500)).is_ok(), "refilled at 2 a second");
        assert!(l.check(a, t + Duration::from_millis(600)).is_err());
    }
}
