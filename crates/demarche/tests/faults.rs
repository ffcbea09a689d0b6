//! The archive under the faults a user meets: a disk that fills during
//! ingest, an archive on read-only media or owned by another user, a
//! deleted or damaged index, a damaged database page. Each must end in a
//! clear message and an archive that still answers correctly: never a
//! panic, a hang, or a silently wrong answer.
//!
//! The disk-full and read-only tests make real file systems (a small tmpfs,
//! a read-only bind mount) and run demarche as another user (`setpriv`):
//! they need root with CAP_SYS_ADMIN, as CI runs them. Without, they fail
//! saying so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn shared() -> PathBuf {
    std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

fn corpus() -> PathBuf {
    shared().join("corpus/wikileaks-cablegate-2010-12-10/cable")
}

/// How demarche is run: by this user, or as `nobody` (who cannot write
/// what root made).
#[derive(Clone, Copy, Debug, PartialEq)]
enum User {
    Me,
    Nobody,
}

fn demarche_as(user: User, archive: &Path) -> Command {
    let mut c = match user {
        User::Me => Command::new(env!("CARGO_BIN_EXE_demarche")),
        User::Nobody => {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(env!("CARGO_BIN_EXE_demarche"));
            c
        }
    };
    c.arg("--reference").arg(shared().join("reference")).arg("--archive").arg(archive);
    c
}

fn demarche(archive: &Path) -> Command {
    demarche_as(User::Me, archive)
}

fn run(archive: &Path, args: &[&str]) -> Output {
    demarche(archive).args(args).output().expect("run demarche")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs `cmd` to its end, or kills it after `limit` and fails saying it hung.
fn run_with_limit(cmd: &mut Command, limit: Duration, what: &str) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start demarche");
    let started = Instant::now();
    while child.try_wait().expect("wait for demarche").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("wait for demarche");
            panic!("{what} hung: killed after {limit:?}; it said: {}", text(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("read demarche's output")
}

/// Asserts that a failed command said something and did not panic.
fn assert_clear_failure(out: &Output, what: &str) -> String {
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{what} succeeded: {}", text(&out.stdout));
    assert!(err.starts_with("error: ") && !err.contains("panicked"), "{what}: {err}");
    err
}

/// (id, version, content hash) of every stored version, sorted.
fn state(archive: &Path) -> Vec<(String, u32, String)> {
    let a = archive::Archive::open(archive).expect("open archive");
    let mut out = Vec::new();
    for (id, _) in a.store().latest_versions().unwrap() {
        for v in a.store().versions(&id).unwrap() {
            out.push((id.clone(), v.seq, v.content_hash));
        }
    }
    out.sort();
    out
}

const QUERIES: &[&str] = &["\"cluster munitions\"", "kabul", "tag:PARM", "oil AND embassy"];

/// For each query, its total and the ids of its hits (sorted), as the CLI
/// answers them.
fn answers_as(user: User, archive: &Path) -> Vec<(String, u64, Vec<String>)> {
    QUERIES.iter().map(|q| answer(user, archive, q).unwrap_or_else(|e| panic!("search {q}: {e}"))).collect()
}

fn answers(archive: &Path) -> Vec<(String, u64, Vec<String>)> {
    answers_as(User::Me, archive)
}

/// One query's answer (all its hits, on one page: paging through hits of
/// equal score is not stable across index layouts), or what the command
/// said when it failed.
fn answer(user: User, archive: &Path, q: &str) -> Result<(String, u64, Vec<String>), String> {
    let out = demarche_as(user, archive)
        .args(["search", q, "--json", "--per-page", "1000"])
        .output()
        .expect("run demarche");
    if !out.status.success() {
        return Err(text(&out.stderr));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("search --json prints JSON");
    let mut ids: Vec<String> =
        v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_owned()).collect();
    ids.sort();
    Ok((q.to_owned(), v["total"].as_u64().unwrap(), ids))
}

/// Every file under `dir` with its size and a hash of its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (u64, u64)> {
    use std::hash::{Hash as _, Hasher as _};
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                let mut h = std::collections::hash_map::DefaultHasher::new();
                bytes.hash(&mut h);
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), (bytes.len() as u64, h.finish()));
            }
        }
    }
    out
}

fn size_of(dir: &Path) -> u64 {
    snapshot(dir).values().map(|(len, _)| len).sum()
}

/// A file system mounted for a test, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    /// A tmpfs of `kib` KiB at `at`.
    fn tmpfs(at: &Path, kib: u64) -> Mount {
        std::fs::create_dir_all(at).unwrap();
        mount(&["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"], at);
        Mount(at.to_path_buf())
    }

    /// `dir` seen again at `at`, read-only.
    fn read_only_view(dir: &Path, at: &Path) -> Mount {
        std::fs::create_dir_all(at).unwrap();
        mount(&["--bind", dir.to_str().unwrap()], at);
        let m = Mount(at.to_path_buf());
        mount(&["-o", "remount,bind,ro"], at);
        m
    }

    /// Grows (or shrinks) the tmpfs.
    fn resize(&self, kib: u64) {
        mount(&["-o", &format!("remount,size={kib}k")], &self.0);
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn mount(args: &[&str], at: &Path) {
    let why = "this test makes a real file system: it needs root with CAP_SYS_ADMIN, as CI runs it";
    match Command::new("mount").args(args).arg(at).output() {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!("mount {args:?} {} failed ({}): {why}", at.display(), text(&o.stderr).trim()),
        Err(e) => panic!("cannot run mount(8): {e}: {why}"),
    }
}

#[test]
fn a_full_disk_stops_ingest_with_a_clear_error_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = corpus();
    let ingest = ["ingest", "--batch-size", "25", corpus.to_str().unwrap()];
    // A clean run on an ordinary disk: the state to reach, and its size.
    let clean = tmp.path().join("clean");
    assert!(run(&clean, &ingest).status.success());
    let expected = state(&clean);
    let expected_answers = answers(&clean);
    // A disk with room for about 40% of that archive: it fills part way.
    let kib = (size_of(&clean) * 2 / 5 / 1024).max(2048);
    let disk = Mount::tmpfs(&tmp.path().join("small-disk"), kib);
    let a = disk.0.join("archive");

    let out = run_with_limit(demarche(&a).args(ingest), Duration::from_secs(120), "ingest on a full disk");
    let err = assert_clear_failure(&out, "ingest on a full disk");
    assert_eq!(out.status.code(), Some(4), "a full disk is 'unavailable' (exit status 4): {err}");
    assert!(err.to_lowercase().contains("no space left"), "the message names the problem: {err}");
    println!("ingest on a full disk: {err}");

    // Still full: the archive opens, and what was stored is intact: every
    // stored version is one of the clean run's, and reads back.
    let stored = state(&a);
    assert!(
        !stored.is_empty() && stored.len() < expected.len(),
        "the disk should fill part way: {} of {} versions stored",
        stored.len(),
        expected.len()
    );
    assert!(stored.iter().all(|v| expected.contains(v)), "stored versions differ from a clean run's");
    for (id, _, _) in [&stored[0], &stored[stored.len() - 1]] {
        let out = run(&a, &["show", id]);
        assert!(out.status.success() && text(&out.stdout).starts_with(id.as_str()), "{}", text(&out.stderr));
    }
    let out = run(&a, &["search", "kabul", "--json"]);
    assert!(out.status.success(), "search on a full disk: {}", text(&out.stderr));

    // Space freed: check passes (opening catches the index up), nothing
    // stored changed, and ingest ends in exactly the clean state.
    disk.resize(kib * 20);
    let out = run(&a, &["check"]);
    assert!(out.status.success(), "check after freeing space: {}", text(&out.stdout));
    assert_eq!(state(&a), stored);
    let out =
        run_with_limit(demarche(&a).args(ingest), Duration::from_secs(120), "ingest after freeing space");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(state(&a), expected, "the same cables, versions and hashes as a clean run");
    assert!(run(&a, &["check"]).status.success());
    assert_eq!(answers(&a), expected_answers);
}

/// On an archive that `user` cannot write, seen at `view` (made at
/// `original`): searches, pages and check answer as on the original;
/// ingest and reindex fail clearly; nothing changes.
fn assert_read_only(user: User, view: &Path, original: &Path, expected: &[(String, u64, Vec<String>)]) {
    let before = snapshot(original);
    let show =
        |archive: &Path, u: User| demarche_as(u, archive).args(["show", "10KABUL62"]).output().unwrap();
    let expected_show = show(original, User::Me);
    assert!(expected_show.status.success());

    assert_eq!(answers_as(user, view), expected, "searches answer as on a writable archive");
    let out = show(view, user);
    assert_eq!(text(&out.stdout), text(&expected_show.stdout), "show: {}", text(&out.stderr));
    for args in [&["refs", "10KABUL62"][..], &["versions", "10KABUL62"], &["check"]] {
        let out = demarche_as(user, view).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}{}", text(&out.stdout), text(&out.stderr));
    }

    let more = corpus().join("2009");
    for args in [&["ingest", more.to_str().unwrap()][..], &["reindex"]] {
        let out = demarche_as(user, view).args(args).output().unwrap();
        let err = assert_clear_failure(&out, &format!("{args:?} on a read-only archive"));
        assert_eq!(out.status.code(), Some(4), "read-only is 'unavailable' (exit status 4): {err}");
        assert!(err.contains("is read-only here"), "{args:?}: the message says why: {err}");
    }
    assert_eq!(snapshot(original), before, "nothing in the archive changed");
}

/// An archive of the 2010 cables, and its answers, made by this user.
fn small_archive(tmp: &Path) -> (PathBuf, Vec<(String, u64, Vec<String>)>) {
    let dir = tmp.join("archive");
    let out = run(&dir, &["ingest", corpus().join("2010").to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected = answers(&dir);
    (dir, expected)
}

#[test]
fn an_archive_on_read_only_media_answers_and_refuses_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, expected) = small_archive(tmp.path());
    let view = Mount::read_only_view(&dir, &tmp.path().join("read-only"));
    assert_read_only(User::Me, &view.0, &dir, &expected);
}

#[test]
fn an_archive_another_user_cannot_write_answers_and_refuses_changes() {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = tempfile::tempdir().unwrap();
    let (dir, expected) = small_archive(tmp.path());
    // Readable by all, writable by none: root ignores permission bits, so
    // demarche runs as `nobody`.
    let chmod =
        |p: &Path, mode: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    chmod(tmp.path(), 0o755);
    for (file, _) in snapshot(&dir) {
        chmod(&dir.join(file), 0o444);
    }
    chmod(&dir.join("index"), 0o555);
    chmod(&dir, 0o555);
    let probe = demarche_as(User::Nobody, &dir).arg("--version").output();
    assert!(
        probe.as_ref().is_ok_and(|o| o.status.success()),
        "cannot run demarche as nobody (needs root, setpriv, and the binary readable by all): {probe:?}"
    );
    assert_read_only(User::Nobody, &dir, &dir, &expected);
}

#[test]
fn a_deleted_or_damaged_index_is_detected_and_rebuilt_from_the_store() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("archive");
    assert!(run(&a, &["ingest", corpus().join("2009").to_str().unwrap()]).status.success());
    let expected = answers(&a);
    let rebuilt = |what: &str| {
        let out = run(&a, &["reindex"]);
        assert!(out.status.success(), "reindex after {what}: {}", text(&out.stderr));
        let out = run(&a, &["check"]);
        assert!(out.status.success(), "check after reindex ({what}): {}", text(&out.stdout));
        assert_eq!(answers(&a), expected, "answers after rebuilding the index ({what})");
    };

    std::fs::remove_dir_all(a.join("index")).unwrap();
    let out = run(&a, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("demarche reindex"), "{}", text(&out.stdout));
    let err = assert_clear_failure(&run(&a, &["search", "kabul"]), "search without an index");
    assert!(err.contains("demarche reindex"), "{err}");
    rebuilt("deleting the index");

    // Bytes overwritten in the middle of each kind of segment file.
    for ext in ["term", "idx", "pos", "store", "fast", "fieldnorm"] {
        let file = largest_file(&a.join("index"), ext);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let len = std::fs::metadata(&file).unwrap().len();
        overwrite(&file, len / 2, &garbage((len / 4).clamp(1, 4096) as usize, 7));
        let out = run(&a, &["check"]);
        let report = text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "damage in {name} not detected: {report}");
        assert!(report.contains(&name) && report.contains("demarche reindex"), "{report}");
        for q in QUERIES {
            let out = run(&a, &["search", q]);
            assert!(
                !text(&out.stderr).contains("panicked"),
                "search {q} over a damaged {name}: {}",
                text(&out.stderr)
            );
        }
        rebuilt(&format!("damage in {name}"));
    }
}

/// The largest file of `dir` whose name ends in `.ext`.
fn largest_file(dir: &Path, ext: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .max_by_key(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .unwrap_or_else(|| panic!("no .{ext} file in {}", dir.display()))
}

fn overwrite(file: &Path, offset: u64, bytes: &[u8]) {
    use std::io::{Seek as _, SeekFrom, Write as _};
    let mut f = std::fs::File::options().write(true).open(file).unwrap();
    f.seek(SeekFrom::Start(offset)).unwrap();
    f.write_all(bytes).unwrap();
}

/// `n` bytes of seeded garbage.
fn garbage(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// `n` bytes of seeded lower-case letters and spaces: garbage that looks
/// like text, the hardest to notice.
fn text_garbage(n: usize, seed: u64) -> Vec<u8> {
    garbage(n, seed).into_iter().map(|b| if b % 7 == 0 { b' ' } else { b'a' + b % 26 }).collect()
}

/// The layout of an SQLite database file, as far as this test needs it.
struct DbFile {
    bytes: Vec<u8>,
    page_size: usize,
    free: std::collections::BTreeSet<usize>,
}

impl DbFile {
    fn read(path: &Path) -> DbFile {
        let bytes = std::fs::read(path).unwrap();
        let page_size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
            1 => 65_536,
            n => n as usize,
        };
        let mut db = DbFile { bytes, page_size, free: Default::default() };
        db.free = db.free_pages();
        db
    }

    fn pages(&self) -> usize {
        self.bytes.len() / self.page_size
    }

    fn page(&self, n: usize) -> &[u8] {
        &self.bytes[(n - 1) * self.page_size..n * self.page_size]
    }

    fn u32_at(bytes: &[u8], at: usize) -> usize {
        u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize
    }

    /// The pages on the freelist (trunk and leaves).
    fn free_pages(&self) -> std::collections::BTreeSet<usize> {
        let mut free = std::collections::BTreeSet::new();
        let mut trunk = DbFile::u32_at(&self.bytes, 32);
        while trunk != 0 && trunk <= self.pages() && free.insert(trunk) {
            let p = self.page(trunk);
            let n = DbFile::u32_at(p, 4).min((self.page_size - 8) / 4);
            free.extend((0..n).map(|i| DbFile::u32_at(p, 8 + 4 * i)));
            trunk = DbFile::u32_at(p, 0);
        }
        free
    }

    /// From the middle of the file on, the first page that `is` picks.
    fn middle_page(&self, what: &str, is: impl Fn(&[u8]) -> bool) -> usize {
        let n = self.pages();
        (n / 2..=n)
            .chain(2..n / 2)
            .find(|&p| !self.free.contains(&p) && is(self.page(p)))
            .unwrap_or_else(|| panic!("no {what} in the database"))
    }

    /// A leaf page of rows of the versions table: a table leaf holding
    /// zstd frames (the stored cables).
    fn versions_leaf(&self) -> usize {
        self.middle_page("leaf page of stored cables", |p| {
            p[0] == 0x0D && p.windows(4).any(|w| w == [0x28, 0xB5, 0x2F, 0xFD])
        })
    }

    /// Where the rows of a leaf page begin (its cell content area).
    fn cells_start(&self, page: usize) -> usize {
        match u16::from_be_bytes([self.page(page)[5], self.page(page)[6]]) {
            0 => 65_536,
            n => n as usize,
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_damaged_database_page_is_reported_and_never_read_as_wrong_text() {
    let tmp = tempfile::tempdir().unwrap();
    let clean = tmp.path().join("clean");
    assert!(run(&clean, &["ingest", corpus().to_str().unwrap()]).status.success());
    let expected_answers = answers(&clean);
    let cables: BTreeMap<String, cable::Cable> = {
        let a = archive::Archive::open(&clean).unwrap();
        let ids = a.store().latest_versions().unwrap();
        ids.into_iter().map(|(id, _)| (id.clone(), a.store().cable(&id, None).unwrap())).collect()
    };
    let wal = clean.join("store.sqlite-wal");
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "the database's changes are all in store.sqlite (none left in its WAL)"
    );
    let db = DbFile::read(&clean.join("store.sqlite"));
    let (leaf, page_size) = (db.versions_leaf(), db.page_size);
    // Inside the rows: record headers and stored cables, the page's own header kept.
    let rows = db.cells_start(leaf) + 16;
    let n = 4096.min(page_size - rows);
    let damages = [
        (
            "4 KiB of garbage over the start of a page of the versions table",
            0,
            garbage(4096.min(page_size), 1),
        ),
        ("4 KiB of garbage inside the rows of a page of the versions table", rows, garbage(n, 2)),
        (
            "4 KiB of text-like garbage inside the rows of a page of the versions table",
            rows,
            text_garbage(n, 3),
        ),
    ];
    for (n, (what, skip, bytes)) in damages.into_iter().enumerate() {
        let a = tmp.path().join(format!("damaged-{n}"));
        copy_dir(&clean, &a);
        let at = (leaf - 1) * page_size + skip;
        overwrite(&a.join("store.sqlite"), at as u64, &bytes);
        let what = format!("{what} (page {leaf} of {page_size} bytes, at byte {at})");

        // check fails, naming the database.
        let out = run(&a, &["check"]);
        let report = text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{what}: not detected: {report}{}", text(&out.stderr));
        let db_path = a.join("store.sqlite").display().to_string();
        assert!(report.contains(&format!("the database {db_path} is damaged")), "{what}: {report}");

        // Every cable reads back exactly as stored, or fails; never other text.
        let archive =
            archive::Archive::open(&a).unwrap_or_else(|e| panic!("{what}: the archive does not open: {e}"));
        let mut damaged = Vec::new();
        for (id, c) in &cables {
            match archive.store().cable(id, None) {
                Ok(read) => assert!(&read == c, "{what}: {id} reads back as other text, silently"),
                Err(_) => damaged.push(id.clone()),
            }
        }
        assert!(!damaged.is_empty(), "{what}: no cable is affected: the test damaged nothing");
        println!(
            "{what}: check reports it; {} cables fail to read ({damaged:?}), the others read back exactly",
            damaged.len()
        );
        drop(archive);

        // show: a damaged cable fails naming the database; an intact one is shown.
        let err =
            assert_clear_failure(&run(&a, &["show", &damaged[0]]), &format!("{what}: show {}", damaged[0]));
        assert!(err.contains(&db_path), "{what}: {err}");
        let intact = cables.keys().find(|id| !damaged.contains(id)).unwrap();
        let out = run(&a, &["show", intact]);
        assert_eq!(out.stdout, run(&clean, &["show", intact]).stdout, "{what}: show {intact}");

        // search: the clean answer, or a clear error.
        for (q, expected) in QUERIES.iter().zip(&expected_answers) {
            match answer(User::Me, &a, q) {
                Ok(got) => assert_eq!(&got, expected, "{what}: search {q}"),
                Err(err) => {
                    assert!(err.starts_with("error: ") && err.contains(&db_path), "{what}: search {q}: {err}")
                }
            }
        }
    }
}
