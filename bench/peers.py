#!/usr/bin/python3
"""The peer side of demarche's Cablegate-scale benchmark.

Loads a corpus of cables into one peer search engine (SQLite FTS5,
PostgreSQL full-text search or Xapian), runs the committed query mix on it
and prints the measurements as one JSON object on stdout (progress goes to
stderr). Run it with Debian's Python, which is where python3-psycopg2 and
python3-xapian install (scripts/bench-deps installs them):

    /usr/bin/python3 bench/peers.py --engine sqlite|postgres|xapian \\
        --data cables.jsonl --mix bench/mix.json --workdir EMPTY_DIR \\
        [--runs 30] [--seconds 20]

--data has one cable a line: {"id", "created" (YYYY-MM-DD), "origin",
"classification", "caveat", "tags": [...], "subject", "text"}. It is
streamed, never held in memory whole. --workdir receives what is built (the
SQLite file, the Xapian database, the PostgreSQL cluster, whose server this
script starts on 127.0.0.1 only and always stops before it exits).

What is measured:
- load_seconds: wall time from opening the JSONL to the index being
  queryable (inserts, index builds, merges/compaction, statistics).
- disk_bytes: the on-disk size of what was built.
- per query of the mix: one untimed warm-up run, then timed runs until
  --runs runs or --seconds seconds (at least 3 runs); a run is the exact
  total hit count, the top 10 ids by relevance (BM25 / ts_rank; newest first
  for queries that are only a filter) and, where the mix asks, facet counts
  (tag, origin, classification, year) over all hits. Percentiles are by
  nearest rank over the run times, timed with time.perf_counter around the
  engine calls of a run.

All engines index subject and text, lowercased, without stemming or stop
words, so that their hit counts can be compared with demarche's.
"""

import argparse
import contextlib
import glob
import io
import json
import math
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time

try:
    import psycopg2
    import xapian
except ImportError as e:
    sys.exit(f"peers.py: {e}: run it with /usr/bin/python3 after scripts/bench-deps")

# Cables per insert batch (each engine's load holds one batch in memory).
BATCH = 2000
FACETS = ("tag", "origin", "classification", "year")
# The key of each engine's query string in the mix.
MIX_KEY = {"sqlite": "fts5", "postgres": "postgres", "xapian": "xapian"}


def log(msg):
    print(f"[peers] {msg}", file=sys.stderr, flush=True)


def batches(path):
    """The cables of a JSONL file, in lists of BATCH, read as a stream."""
    batch = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                batch.append(json.loads(line))
                if len(batch) == BATCH:
                    yield batch
                    batch = []
    if batch:
        yield batch


def cable_tags(cable):
    """A cable's tags, each once, in order."""
    return list(dict.fromkeys(cable.get("tags") or ()))


def progress(loaded, started):
    log(f"loaded {loaded} cables ({loaded / (time.perf_counter() - started):.0f}/s)")


def dir_size(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def facet_rows(rows):
    """(total, facets) from rows (facet, key, count) where facet 'total' has the total."""
    total, facets = 0, {name: {} for name in FACETS}
    for facet, key, count in rows:
        if facet == "total":
            total = count
        elif key:  # a cable without an origin, say, counts under no origin
            facets[facet][key] = count
    return total, {name: dict(sorted(counts.items())) for name, counts in facets.items()}


# ---------------------------------------------------------------- SQLite FTS5

def sqlite_load(data, workdir):
    """Loads the cables into an SQLite file; returns (connection, cables, disk bytes, version, notes)."""
    path = os.path.join(workdir, "cables.sqlite")
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -1048576"):
        conn.execute(f"PRAGMA {pragma}")
    conn.executescript("""
        CREATE TABLE cables (n INTEGER PRIMARY KEY, id TEXT NOT NULL, created TEXT, origin TEXT,
                             classification TEXT, caveat TEXT);
        CREATE TABLE tags (cable INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (cable, tag)) WITHOUT ROWID;
        -- the default tokenizer, unicode61: lowercases, no stemming, no stop words; it also folds
        -- diacritics (país = pais), which PostgreSQL and Xapian do not: no word of the mix has any
        CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, subject, text);
    """)
    started, n = time.perf_counter(), 0
    for batch in batches(data):
        rows, tags, texts = [], [], []
        for cable in batch:
            n += 1
            rows.append((n, cable["id"], cable.get("created") or None, cable.get("origin") or None,
                         cable.get("classification") or None, cable.get("caveat") or None))
            tags.extend((n, tag) for tag in cable_tags(cable))
            texts.append((n, cable["id"], cable.get("subject") or "", cable.get("text") or ""))
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO cables VALUES (?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("INSERT INTO tags VALUES (?, ?)", tags)
        conn.executemany("INSERT INTO fts (rowid, id, subject, text) VALUES (?, ?, ?, ?)", texts)
        conn.execute("COMMIT")
        progress(n, started)
    log("building indexes, merging the FTS5 segments, ANALYZE")
    conn.executescript("""
        CREATE INDEX tags_tag ON tags (tag, cable);
        CREATE INDEX cables_created ON cables (created DESC);
        CREATE INDEX cables_origin ON cables (origin);
        CREATE INDEX cables_classification ON cables (classification);
        INSERT INTO fts (fts) VALUES ('optimize');
        ANALYZE;
    """)
    notes = ["sqlite: journal_mode OFF and synchronous OFF; a 1 GiB page cache; single-threaded",
             "sqlite: FTS5 table fts(id UNINDEXED, subject, text) keeps the text; metadata in a plain "
             "table, tags in a (cable, tag) table, B-tree indexes on tag, created, origin, classification; "
             "FTS5 'optimize' merges the index into one segment after the load"]
    return conn, n, os.path.getsize(path), "SQLite " + sqlite3.sqlite_version, notes


def sqlite_query(conn, query):
    """A function that runs one query of the mix on SQLite and returns its result."""
    text, flt, want_facets = query.get("fts5"), query.get("filter") or {}, query.get("facets", False)
    conds, params = [], []
    if text:
        conds.append("fts MATCH ?")
        params.append(text)
    if "tag" in flt:
        conds.append("c.n IN (SELECT cable FROM tags WHERE tag = ?)")
        params.append(flt["tag"])
    for column in ("origin", "classification"):
        if column in flt:
            conds.append(f"c.{column} = ?")
            params.append(flt[column])
    if "created_from" in flt:
        conds.append("c.created >= ?")
        params.append(flt["created_from"])
    if "created_to" in flt:
        conds.append("c.created <= ?")
        params.append(flt["created_to"])
    where = " AND ".join(conds)
    if text:
        # the cables table is joined only where a filter or a facet needs it
        joined = "fts JOIN cables c ON c.n = fts.rowid"
        top_source = joined if len(conds) > 1 else "fts"
        source = joined if len(conds) > 1 or want_facets else "fts"
        top_sql = f"SELECT fts.id FROM {top_source} WHERE {where} ORDER BY fts.rank, fts.rowid LIMIT 10"
    else:
        source = "cables c"
        top_sql = f"SELECT c.id FROM cables c WHERE {where} ORDER BY c.created DESC, c.n LIMIT 10"
    if want_facets:
        # CROSS JOIN keeps SQLite to looking up each hit's tags, where it would
        # otherwise scan the whole tags table against an index built on the hits
        count_sql = f"""
            WITH h AS MATERIALIZED (SELECT c.n, c.origin, c.classification, c.created
                                    FROM {source} WHERE {where})
            SELECT 'total', NULL, count(*) FROM h
            UNION ALL SELECT 'tag', t.tag, count(*) FROM h CROSS JOIN tags t ON t.cable = h.n GROUP BY t.tag
            UNION ALL SELECT 'origin', origin, count(*) FROM h GROUP BY origin
            UNION ALL SELECT 'classification', classification, count(*) FROM h GROUP BY classification
            UNION ALL SELECT 'year', substr(created, 1, 4), count(*) FROM h GROUP BY 2"""
    else:
        count_sql = f"SELECT 'total', NULL, count(*) FROM {source} WHERE {where}"

    def run():
        total, facets = facet_rows(conn.execute(count_sql, params).fetchall())
        top10 = [row[0] for row in conn.execute(top_sql, params)]
        return total, top10, facets if want_facets else None

    return run


# ---------------------------------------------------------------- PostgreSQL

PG_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "''",
    "shared_buffers": "1GB",
    "maintenance_work_mem": "1GB",
    "work_mem": "64MB",
    "effective_cache_size": "16GB",
    "max_wal_size": "8GB",
    # a bulk load into a scratch cluster: no crash safety needed
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    # JIT compiles ~100 ms of code into any query the planner thinks costly
    "jit": "off",
}


@contextlib.contextmanager
def pg_server(workdir):
    """Runs a fresh PostgreSQL cluster in workdir/pg on 127.0.0.1; yields its port, then stops it."""
    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not bindirs:
        raise SystemExit("peers.py: no PostgreSQL in /usr/lib/postgresql: run scripts/bench-deps")
    bindir = bindirs[-1]
    pgdir = os.path.join(workdir, "pg")
    datadir = os.path.join(pgdir, "data")
    os.mkdir(pgdir)
    as_owner = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(pgdir, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
        if subprocess.run(as_owner + ["test", "-w", pgdir]).returncode != 0:
            raise SystemExit(f"peers.py: user postgres cannot write {pgdir} (a parent directory is closed)")

    def pg(tool, *args):
        subprocess.run(as_owner + [os.path.join(bindir, tool), *args], check=True, stdout=subprocess.DEVNULL)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pg("initdb", "-D", datadir, "-U", "postgres", "-A", "trust", "-E", "UTF8",
       "--lc-collate", "C", "--lc-ctype", "C.UTF-8", "--no-sync")
    with open(os.path.join(datadir, "postgresql.conf"), "a") as conf:
        for name, value in {**PG_SETTINGS, "port": str(port)}.items():
            conf.write(f"{name} = {value}\n")
    logfile = os.path.join(pgdir, "server.log")
    try:
        try:
            pg("pg_ctl", "-D", datadir, "-l", logfile, "-w", "-t", "120", "start")
        except subprocess.CalledProcessError:
            if os.path.exists(logfile):
                with open(logfile) as f:
                    log("the PostgreSQL server did not start:\n" + f.read()[-3000:])
            raise
        yield port
    finally:
        if os.path.exists(os.path.join(datadir, "postmaster.pid")):
            log("stopping the PostgreSQL server")
            pg("pg_ctl", "-D", datadir, "-w", "-m", "fast", "stop")


PG_TSVECTOR = "to_tsvector('simple', translate(subject || ' ' || body, '/.-’', '    '))"


def copy_field(value):
    """A value in COPY's text format (None is NULL); NUL, which PostgreSQL text cannot hold, is dropped."""
    if value is None:
        return "\\N"
    return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r").replace("\x00", ""))


def pg_array(items):
    return "{" + ",".join('"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"' for s in items) + "}"


def pg_load(data, conn, workdir):
    """Loads the cables into a fresh table; returns (connection, cables, disk bytes, version, notes)."""
    cur = conn.cursor()
    # One transaction creates the table and COPYs into it, so that with wal_level
    # minimal the load writes no WAL and COPY FREEZE leaves the rows frozen and
    # all-visible (no VACUUM needed for index-only counting).
    # The tsvector: PostgreSQL's parser keeps some punctuated runs as one token
    # besides or instead of their words: Afghanistan/Pakistan and U.S./Russia as
    # a file path, sanctions.The as a host name, Iran’s (curly apostrophe) as a
    # word, and Minister-in-waiting as the compound before its parts, which puts
    # a position between Prime and Minister. '/', '.', '-' and '’' are made
    # spaces first, so that it sees the words FTS5, Xapian and demarche see.
    # What remains: a tsvector keeps positions up to 16383, and 256 of them per
    # word, so a phrase deep in a very long cable can be missed; and subject and
    # body are one text, so a phrase could match across the two (FTS5 and Xapian
    # keep them apart) if a subject ended with its first word and the body
    # started with its second.
    cur.execute(f"""
        CREATE TABLE cables (n integer NOT NULL, id text NOT NULL, created date, origin text,
                             classification text, caveat text, tags text[] NOT NULL,
                             subject text NOT NULL, body text NOT NULL,
                             tsv tsvector GENERATED ALWAYS AS ({PG_TSVECTOR}) STORED)
    """)
    started, n = time.perf_counter(), 0
    for batch in batches(data):
        buf = io.StringIO()
        for cable in batch:
            n += 1
            fields = (cable["id"], cable.get("created") or None, cable.get("origin") or None,
                      cable.get("classification") or None, cable.get("caveat") or None,
                      pg_array(cable_tags(cable)), cable.get("subject") or "", cable.get("text") or "")
            buf.write(str(n) + "\t" + "\t".join(map(copy_field, fields)) + "\n")
        buf.seek(0)
        cur.copy_expert("COPY cables (n, id, created, origin, classification, caveat, tags, subject, body) "
                        "FROM STDIN WITH (FREEZE)", buf)
        progress(n, started)
    conn.commit()
    log("building indexes, ANALYZE")
    for sql in ("CREATE INDEX cables_tsv ON cables USING gin (tsv)",
                "CREATE INDEX cables_tags ON cables USING gin (tags)",
                "CREATE INDEX cables_created ON cables (created DESC, n)",
                "CREATE INDEX cables_origin ON cables (origin)",
                "CREATE INDEX cables_classification ON cables (classification)",
                "ANALYZE cables"):
        cur.execute(sql)
        conn.commit()
    cur.execute("SELECT pg_total_relation_size('cables'), current_setting('server_version')")
    disk, version = cur.fetchone()
    notes = ["postgres: fsync, synchronous_commit and full_page_writes off, wal_level minimal (a scratch "
             "cluster: the load writes no WAL); jit off; shared_buffers 1GB, maintenance_work_mem 1GB, "
             "work_mem 64MB; parallel query at its defaults (up to 2 workers)",
             f"postgres: table with subject, body, a stored generated tsvector ({PG_TSVECTOR}: the "
             "parser would keep a/b, a.b, a-b-c and a’s as tokens of their own) and tags text[]; GIN on "
             "tsvector and tags, B-trees on created, origin, classification; load_seconds excludes initdb "
             "and server start",
             "postgres: a tsvector keeps positions up to 16383 (256 per word): phrases deep in very long "
             "cables are not found",
             "postgres: ts_rank reads every hit's tsvector (TOASTed) to rank them; planner costs at their "
             "defaults, which may count a common word by a sequential scan reading every tsvector",
             f"postgres: the whole cluster directory takes {dir_size(os.path.join(workdir, 'pg'))} bytes "
             "after the load"]
    return conn, n, disk, "PostgreSQL " + version, notes


def pg_query(conn, query):
    """A function that runs one query of the mix on PostgreSQL and returns its result."""
    text, flt, want_facets = query.get("postgres"), query.get("filter") or {}, query.get("facets", False)
    conds, params = [], []
    if text:
        conds.append("tsv @@ to_tsquery('simple', %s)")
        params.append(text)
    if "tag" in flt:
        conds.append("tags @> ARRAY[%s]::text[]")
        params.append(flt["tag"])
    for column in ("origin", "classification"):
        if column in flt:
            conds.append(f"{column} = %s")
            params.append(flt[column])
    if "created_from" in flt:
        conds.append("created >= %s")
        params.append(flt["created_from"])
    if "created_to" in flt:
        conds.append("created <= %s")
        params.append(flt["created_to"])
    where = " AND ".join(conds)
    if text:
        top_sql = (f"SELECT id FROM cables WHERE {where} "
                   "ORDER BY ts_rank(tsv, to_tsquery('simple', %s)) DESC, n LIMIT 10")
        top_params = params + [text]
    else:
        top_sql = f"SELECT id FROM cables WHERE {where} ORDER BY created DESC, n LIMIT 10"
        top_params = params
    if want_facets:
        count_sql = f"""
            WITH h AS MATERIALIZED (SELECT tags, origin, classification, created FROM cables WHERE {where})
            SELECT 'total', NULL, count(*) FROM h
            UNION ALL SELECT 'tag', t, count(*) FROM h, unnest(h.tags) AS t GROUP BY t
            UNION ALL SELECT 'origin', origin, count(*) FROM h GROUP BY origin
            UNION ALL SELECT 'classification', classification, count(*) FROM h GROUP BY classification
            UNION ALL SELECT 'year', to_char(created, 'YYYY'), count(*) FROM h GROUP BY 2"""
    else:
        count_sql = f"SELECT 'total', NULL, count(*) FROM cables WHERE {where}"
    cur = conn.cursor()

    def run():
        cur.execute(count_sql, params)
        total, facets = facet_rows(cur.fetchall())
        cur.execute(top_sql, top_params)
        top10 = [row[0] for row in cur.fetchall()]
        return total, top10, facets if want_facets else None

    return run


# ---------------------------------------------------------------- Xapian

SLOT_ID, SLOT_CREATED, SLOT_YEAR, SLOT_ORIGIN, SLOT_CLASS, SLOT_TAGS = range(6)
FACET_SLOTS = {"tag": SLOT_TAGS, "origin": SLOT_ORIGIN, "classification": SLOT_CLASS, "year": SLOT_YEAR}
# Xapian's TermGenerator keeps apostrophes, '_' and '&' inside a word (Iran's
# -> iran's, Portal:United_Kingdom -> united_kingdom, AT&T -> at&t), so that a
# possessive would not match the bare word, where FTS5's unicode61, PostgreSQL's
# parser and demarche split there or drop the 's: they are indexed as spaces.
# It also makes one word of an acronym with stops (U.S. -> us, as demarche
# does; FTS5 and PostgreSQL see u and s): no word of the mix is one.
XAPIAN_SEPARATORS = ("'", "\u2019", "\u201b", "_", "&")
# Documents buffered between flushes of the postings while indexing (see xapian_load).
XAPIAN_FLUSH_THRESHOLD = 1000


def xapian_text(s):
    for c in XAPIAN_SEPARATORS:
        s = s.replace(c, " ")
    return s


def xapian_load(data, workdir):
    """Indexes the cables into a Xapian database; returns (database, cables, disk bytes, version, notes)."""
    building, path = os.path.join(workdir, "xapian.build"), os.path.join(workdir, "xapian")
    # A bulk build: blocks are updated in place and never synced (the database is
    # unusable if the build dies, as a half-built one would be anyway), and the
    # postings are flushed every XAPIAN_FLUSH_THRESHOLD documents: on 25,000 cables,
    # its default (10000) indexed at half the speed (the in-memory buffer grows
    # large), 300 slowed down as the database grew, 1000 kept a steady rate.
    os.environ["XAPIAN_FLUSH_THRESHOLD"] = str(XAPIAN_FLUSH_THRESHOLD)
    db = xapian.WritableDatabase(building, xapian.DB_CREATE | xapian.DB_DANGEROUS | xapian.DB_NO_SYNC)
    tg = xapian.TermGenerator()  # no stemmer: terms are the lowercased words, with positions
    started, n = time.perf_counter(), 0
    for batch in batches(data):
        for cable in batch:
            n += 1
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(xapian_text(cable.get("subject") or ""))
            tg.increase_termpos()  # no phrase across subject and text
            tg.index_text(xapian_text(cable.get("text") or ""))
            tags = cable_tags(cable)
            for tag in tags:
                doc.add_boolean_term("XTAG:" + tag)
            doc.add_value(SLOT_ID, cable["id"])
            doc.add_value(SLOT_TAGS, "\n".join(tags))
            for prefix, slot, key in (("XORIGIN:", SLOT_ORIGIN, "origin"),
                                      ("XCLASS:", SLOT_CLASS, "classification")):
                if cable.get(key):
                    doc.add_boolean_term(prefix + cable[key])
                    doc.add_value(slot, cable[key])
            if cable.get("created"):
                doc.add_value(SLOT_CREATED, cable["created"])
                doc.add_value(SLOT_YEAR, cable["created"][:4])
            doc.set_data((cable.get("subject") or "") + "\n" + (cable.get("text") or ""))
            db.add_document(doc)
        progress(n, started)
    log("committing and compacting")
    db.commit()
    db.close()
    xapian.Database(building).compact(path)
    shutil.rmtree(building)
    notes = [f"xapian: glass backend, DB_DANGEROUS and DB_NO_SYNC, flush every {XAPIAN_FLUSH_THRESHOLD} "
             "documents, compacted after the load; single-threaded",
             "xapian: text with positions (subject, then text 100 positions further), subject and text kept "
             "as document data; tags, origin, classification as boolean terms; id, created (ISO date), year, "
             "origin, classification and the tags (newline-joined) in value slots",
             "xapian: apostrophes, '_' and '&' are indexed as spaces (TermGenerator would keep iran's as one "
             "term); acronyms with stops are one term (U.S. -> us), as in demarche",
             "xapian: tag facets count the tag sets of the hits (ValueCountMatchSpy) and add up "
             "each set's count for its tags in Python"]
    return xapian.Database(path), n, dir_size(path), "Xapian " + xapian.version_string(), notes


def xapian_query(db, query):
    """A function that runs one query of the mix on Xapian and returns its result."""
    text, flt, want_facets = query.get("xapian"), query.get("filter") or {}, query.get("facets", False)
    qp = xapian.QueryParser()
    qp.set_database(db)
    qp.set_stemming_strategy(xapian.QueryParser.STEM_NONE)
    qp.set_default_op(xapian.Query.OP_AND)
    flags = (xapian.QueryParser.FLAG_BOOLEAN | xapian.QueryParser.FLAG_PHRASE
             | xapian.QueryParser.FLAG_LOVEHATE | xapian.QueryParser.FLAG_WILDCARD)
    every = db.get_doccount()

    def run():
        filters = []
        if "tag" in flt:
            filters.append(xapian.Query("XTAG:" + flt["tag"]))
        if "origin" in flt:
            filters.append(xapian.Query("XORIGIN:" + flt["origin"]))
        if "classification" in flt:
            filters.append(xapian.Query("XCLASS:" + flt["classification"]))
        low, high = flt.get("created_from"), flt.get("created_to")
        if low and high:
            filters.append(xapian.Query(xapian.Query.OP_VALUE_RANGE, SLOT_CREATED, low, high))
        elif low:
            filters.append(xapian.Query(xapian.Query.OP_VALUE_GE, SLOT_CREATED, low))
        elif high:
            filters.append(xapian.Query(xapian.Query.OP_VALUE_LE, SLOT_CREATED, high))
        enquire = xapian.Enquire(db)
        if text:
            q = qp.parse_query(text, flags)
            if filters:
                q = xapian.Query(xapian.Query.OP_FILTER, q, xapian.Query(xapian.Query.OP_AND, filters))
        else:
            q = xapian.Query(xapian.Query.OP_AND, filters)
            enquire.set_sort_by_value(SLOT_CREATED, True)  # newest first; ties by docid, ascending
        enquire.set_query(q)
        spies = {}
        if want_facets:
            for name, slot in FACET_SLOTS.items():
                spies[name] = xapian.ValueCountMatchSpy(slot)
                enquire.add_matchspy(spies[name])
        # check_at_least = every document: all hits are counted (and seen by the spies)
        mset = enquire.get_mset(0, 10, every)
        assert mset.get_matches_lower_bound() == mset.get_matches_upper_bound()
        top10 = [item.document.get_value(SLOT_ID).decode() for item in mset]
        facets = None
        if want_facets:
            facets = {}
            for name, spy in spies.items():
                counts = {}
                for item in spy.values():
                    keys = item.term.decode().split("\n") if name == "tag" else [item.term.decode()]
                    for key in keys:
                        counts[key] = counts.get(key, 0) + item.termfreq
                facets[name] = dict(sorted(counts.items()))
        return mset.get_matches_estimated(), top10, facets

    return run


# ---------------------------------------------------------------- the harness

def measure(run, runs, seconds):
    """One untimed warm-up run, then timed runs; returns (warm-up result, run times in ms)."""
    result = run()
    times = []
    started = time.perf_counter()
    while len(times) < 3 or (len(times) < runs and time.perf_counter() - started < seconds):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return result, sorted(times)


def percentile(sorted_ms, p):
    """The p-th percentile of sorted run times by nearest rank, rounded to the microsecond."""
    return round(sorted_ms[math.ceil(p / 100 * len(sorted_ms)) - 1], 3)


def run_mix(engine, make_run, mix, runs, seconds):
    """Measures each query of the mix; make_run(query) gives the function doing one run of it."""
    out = []
    for query in mix:
        text = query.get(MIX_KEY[engine])
        entry = {"name": query["name"], "query": text}
        if not text and not query.get("filter"):
            log(f"{query['name']}: skipped ({engine} cannot express it)")
            out.append({**entry, "skipped": True, "runs": 0, "p50_ms": None, "p95_ms": None,
                        "p99_ms": None, "total_hits": None, "top10": None, "facets": None})
            continue
        (total, top10, facets), times = measure(make_run(query), runs, seconds)
        log(f"{query['name']}: {total} hits, p50 {percentile(times, 50)} ms over {len(times)} runs")
        out.append({**entry, "skipped": False, "runs": len(times), "p50_ms": percentile(times, 50),
                    "p95_ms": percentile(times, 95), "p99_ms": percentile(times, 99),
                    "total_hits": total, "top10": top10, "facets": facets})
    return out


def bench(args, mix, load, make_run):
    """Times load() (which returns (handle, cables, disk bytes, version, notes)), then runs the mix."""
    started = time.perf_counter()
    handle, cables, disk, version, notes = load()
    load_seconds = round(time.perf_counter() - started, 3)
    log(f"{cables} cables loaded in {load_seconds} s, {disk} bytes")
    queries = run_mix(args.engine, lambda q: make_run(handle, q), mix, args.runs, args.seconds)
    return {"engine": args.engine, "version": version, "cables": cables, "load_seconds": load_seconds,
            "disk_bytes": disk, "notes": notes, "queries": queries}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", required=True, choices=sorted(MIX_KEY))
    ap.add_argument("--data", required=True, help="the cables, one JSON object a line")
    ap.add_argument("--mix", required=True, help="the query mix (bench/mix.json)")
    ap.add_argument("--workdir", required=True, help="an empty directory for what is built")
    ap.add_argument("--runs", type=int, default=30, help="timed runs per query at most")
    ap.add_argument("--seconds", type=float, default=20, help="time per query at most (3 runs at least)")
    args = ap.parse_args()
    with open(args.mix, encoding="utf-8") as f:
        mix = json.load(f)["queries"]
    os.makedirs(args.workdir, exist_ok=True)
    if os.listdir(args.workdir):
        sys.exit(f"peers.py: --workdir {args.workdir} is not empty")
    # a SIGTERM unwinds like an error, so that the PostgreSQL server is stopped
    signal.signal(signal.SIGTERM, lambda signum, _: sys.exit(128 + signum))

    if args.engine == "postgres":
        with pg_server(args.workdir) as port:
            conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
            try:
                result = bench(args, mix, lambda: pg_load(args.data, conn, args.workdir), pg_query)
            finally:
                conn.close()
    elif args.engine == "sqlite":
        result = bench(args, mix, lambda: sqlite_load(args.data, args.workdir), sqlite_query)
    else:
        result = bench(args, mix, lambda: xapian_load(args.data, args.workdir), xapian_query)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
