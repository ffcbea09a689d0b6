//! Child processes measured from outside: wall time and peak resident memory.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// What a finished command took.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    /// Wall time.
    pub elapsed: Duration,
    /// Peak resident set size seen (`VmHWM`, polled every 50 ms), in bytes.
    pub peak_rss: u64,
}

/// Runs `cmd` to completion, its stderr passed through, failing when it does.
pub fn run_measured(cmd: &mut Command) -> Result<Measured> {
    let start = Instant::now();
    let mut child = cmd.stdout(Stdio::null()).spawn().with_context(|| format!("starting {cmd:?}"))?;
    let mut peak = 0;
    let status = loop {
        peak = peak.max(peak_rss(child.id()).unwrap_or(0));
        if let Some(s) = child.try_wait()? {
            break s;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    if !status.success() {
        bail!("{cmd:?} failed: {status}");
    }
    Ok(Measured { elapsed: start.elapsed(), peak_rss: peak })
}

/// A process's peak resident set size (`VmHWM`) in bytes.
pub fn peak_rss(pid: u32) -> Option<u64> {
    status_kb(pid, "VmHWM:").map(|kb| kb * 1024)
}

/// A process's current resident set size (`VmRSS`) in bytes.
pub fn rss(pid: u32) -> Option<u64> {
    status_kb(pid, "VmRSS:").map(|kb| kb * 1024)
}

fn status_kb(pid: u32, key: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Total size of the files under `p`.
pub fn disk_size(p: &Path) -> u64 {
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => {
            std::fs::read_dir(p).map(|rd| rd.flatten().map(|e| disk_size(&e.path())).sum()).unwrap_or(0)
        }
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}

/// A child killed when dropped (a server the benchmark started).
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
