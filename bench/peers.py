#!/usr/bin/env python3
"""Peers of Mandala for scripts/bench: SQLite FTS5, PostgreSQL full-text search, plain Xapian.

    peers.py index ENGINE --passages EXPORT.jsonl --catalog CATALOG.sqlite --out DIR [--pg-port P]
    peers.py query ENGINE --queries FILE --out DIR [--pg-port P] [--rounds 2]
    peers.py mandala --mandala BIN --db DIR --queries FILE [--rounds 2]

Every engine is loaded from the passages Mandala exported (`mandala export`), so all index the
same texts. Facets: each passage gets its categories (all of Mandala's tags) and its document's
year (from Mandala's catalog.sqlite); `category:X` and `year:Y` in a query become a filter on
those (FTS5: tokens of a zero-weight column; PostgreSQL: a text[] column with a GIN index and an
integer column; Xapian: boolean terms XC / XY). Query words are OR-ed (Mandala's default), `A AND
B` is a conjunction, "a b" a phrase. Each query fetches the ten best passages (id and text).

Each command prints one JSON object on stdout.
"""
import argparse
import json
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import time


def vm_hwm_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def self_peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def dir_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def load_passages(passages, catalog):
    years = {}
    con = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    for doc, year in con.execute("SELECT id, year FROM documents"):
        years[doc] = year or 0
    con.close()
    with open(passages, encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            yield p["id"], p["text"], [t["category"] for t in p.get("tags", [])], years.get(p["doc"], 0)


# ---- the benchmark query language: words, "phrases", A AND B, category:X, year:Y ----

TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def parse(query):
    items, filters, conj = [], {}, False
    for m in TOKEN.finditer(query):
        if m.group(1) is not None:
            ws = re.findall(r"[^\W_]+", m.group(1).lower())
            if ws:
                items.append(ws)
            continue
        tok = m.group(2)
        if tok == "AND":
            conj = True
            continue
        f = re.fullmatch(r"(category|year):(\S+)", tok)
        if f:
            filters[f.group(1)] = f.group(2)
            continue
        ws = re.findall(r"[^\W_]+", tok.lower())
        if ws:
            items.append(ws)  # a hyphenated word is a phrase of its parts
    return items, filters, conj


def facet_token(kind, value):
    return ("cat" if kind == "category" else "yr") + re.sub(r"[^a-z0-9]", "", value.lower())


# ---- SQLite FTS5 ----

def fts5_index(args, rows):
    path = os.path.join(args.out, "fts5.sqlite")
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE VIRTUAL TABLE p USING fts5(id UNINDEXED, text, facets, "
                "tokenize='porter unicode61 remove_diacritics 2')")
    con.executemany("INSERT INTO p(id, text, facets) VALUES (?, ?, ?)",
                    ((pid, text, " ".join([facet_token("category", c) for c in cats] + [facet_token("year", str(y))]))
                     for pid, text, cats, y in rows))
    con.execute("INSERT INTO p(p) VALUES ('optimize')")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


def fts5_expr(query):
    items, filters, conj = parse(query)
    if not items:
        return None
    body = (" AND " if conj else " OR ").join('"%s"' % " ".join(ws) for ws in items)
    body = "{text} : (%s)" % body
    for kind, value in filters.items():
        body = '{facets} : "%s" AND (%s)' % (facet_token(kind, value), body)
    return body


class Fts5:
    def __init__(self, args):
        self.con = sqlite3.connect(f"file:{os.path.join(args.out, 'fts5.sqlite')}?mode=ro", uri=True)

    def search(self, query):
        expr = fts5_expr(query)
        if expr is None:
            return []
        return self.con.execute("SELECT id, text FROM p WHERE p MATCH ? ORDER BY bm25(p, 1.0, 0.0) LIMIT 10",
                                (expr,)).fetchall()


# ---- PostgreSQL ----

def pg_connect(args):
    import psycopg2
    con = psycopg2.connect(host="127.0.0.1", port=args.pg_port, user="postgres", dbname="postgres")
    con.autocommit = True
    return con


def pg_index(args, rows):
    import io
    con = pg_connect(args)
    cur = con.cursor()
    cur.execute("DROP TABLE IF EXISTS passages")
    cur.execute("CREATE TABLE passages (id text PRIMARY KEY, text text NOT NULL, cats text[] NOT NULL, year int NOT NULL,"
                " tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED)")
    buf = io.StringIO()

    def esc(s):
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    for pid, text, cats, year in rows:
        arr = "{" + ",".join('"%s"' % c.replace('"', "") for c in cats) + "}"
        buf.write(f"{esc(pid)}\t{esc(text)}\t{arr}\t{year}\n")
    buf.seek(0)
    cur.copy_expert("COPY passages (id, text, cats, year) FROM STDIN", buf)
    cur.execute("SET maintenance_work_mem = '256MB'")
    cur.execute("CREATE INDEX passages_tsv ON passages USING gin (tsv)")
    cur.execute("CREATE INDEX passages_cats ON passages USING gin (cats)")
    cur.execute("CREATE INDEX passages_year ON passages (year)")
    cur.execute("VACUUM ANALYZE passages")
    cur.execute("SELECT pg_total_relation_size('passages'), pg_backend_pid()")
    size, backend = cur.fetchone()
    hwm = vm_hwm_mb(backend)
    con.close()
    return size, hwm


def pg_tsquery(query):
    items, filters, conj = parse(query)
    parts = [ws[0] if len(ws) == 1 else "(" + " <-> ".join(ws) + ")" for ws in items]
    return (" & " if conj else " | ").join(parts), filters


class Postgres:
    def __init__(self, args):
        self.con = pg_connect(args)
        self.cur = self.con.cursor()
        self.cur.execute("SELECT pg_backend_pid()")
        self.backend = self.cur.fetchone()[0]

    def search(self, query):
        tsq, filters = pg_tsquery(query)
        if not tsq:
            return []
        where, params = ["tsv @@ q"], [tsq]
        if "category" in filters:
            where.append("cats @> ARRAY[%s]")
            params.append(filters["category"].lower())
        if "year" in filters:
            where.append("year = %s")
            params.append(int(filters["year"]) if filters["year"].isdigit() else -1)
        self.cur.execute("SELECT id, text FROM passages, to_tsquery('english', %s) q WHERE " + " AND ".join(where)
                         + " ORDER BY ts_rank(tsv, q) DESC LIMIT 10", params)
        return self.cur.fetchall()

    def server_peak_mb(self):
        return vm_hwm_mb(self.backend)


# ---- Xapian (Python bindings) ----

def xapian_index(args, rows):
    import xapian
    path = os.path.join(args.out, "xapian")
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    for pid, text, cats, year in rows:
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(text)
        doc.add_boolean_term("Q" + pid)
        for c in cats:
            doc.add_boolean_term("XC" + c)
        doc.add_boolean_term("XY" + str(year))
        doc.set_data(json.dumps({"id": pid, "text": text}))
        db.add_document(doc)
    db.commit()
    db.close()
    return path


class Xapian:
    def __init__(self, args):
        import xapian
        self.xapian = xapian
        self.db = xapian.Database(os.path.join(args.out, "xapian"))
        self.qp = xapian.QueryParser()
        self.qp.set_stemmer(xapian.Stem("english"))
        self.qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        self.qp.set_database(self.db)
        self.qp.set_default_op(xapian.Query.OP_OR)
        self.qp.add_boolean_prefix("category", "XC")
        self.qp.add_boolean_prefix("year", "XY")
        self.flags = (xapian.QueryParser.FLAG_DEFAULT | xapian.QueryParser.FLAG_PHRASE
                      | xapian.QueryParser.FLAG_BOOLEAN | xapian.QueryParser.FLAG_LOVEHATE)
        self.enquire = xapian.Enquire(self.db)

    def search(self, query):
        try:
            q = self.qp.parse_query(query, self.flags)
        except self.xapian.QueryParserError:
            q = self.qp.parse_query(query, 0)
        self.enquire.set_query(q)
        out = []
        for m in self.enquire.get_mset(0, 10):
            d = json.loads(m.document.get_data())
            out.append((d["id"], d["text"]))
        return out


# ---- timing ----

def summary(times_s):
    ms = sorted(t * 1000.0 for t in times_s)

    def pct(p):
        if not ms:
            return None
        k = (len(ms) - 1) * p / 100.0
        lo = int(k)
        hi = min(lo + 1, len(ms) - 1)
        return ms[lo] + (ms[hi] - ms[lo]) * (k - lo)

    return {"n": len(ms), "p50": pct(50), "p95": pct(95), "p99": pct(99), "mean": statistics.fmean(ms) if ms else None,
            "max": ms[-1] if ms else None}


def run_passes(search, queries, rounds):
    """Runs every query `rounds` times in order; returns per-pass summaries, per-query times (ms) and hits."""
    passes, per_query, hits = [], [], 0
    for r in range(rounds):
        times = []
        for q in queries:
            t0 = time.perf_counter()
            n = search(q)
            times.append(time.perf_counter() - t0)
            if r == 0 and n:
                hits += 1
        passes.append(summary(times))
        per_query.append([round(t * 1000.0, 4) for t in times])
    return passes, per_query, hits


def cmd_index(args):
    t0 = time.perf_counter()
    rows = load_passages(args.passages, args.catalog)
    extra = {}
    if args.engine == "fts5":
        size = dir_bytes(fts5_index(args, rows))
    elif args.engine == "xapian":
        size = dir_bytes(xapian_index(args, rows))
    elif args.engine == "postgres":
        size, backend_hwm = pg_index(args, rows)
        extra["server_backend_peak_mb"] = backend_hwm
    else:
        sys.exit("unknown engine " + args.engine)
    seconds = time.perf_counter() - t0
    print(json.dumps({"engine": args.engine, "seconds": seconds, "index_bytes": size, "peak_mb": self_peak_mb(), **extra}))


def read_queries(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def cmd_query(args):
    queries = read_queries(args.queries)
    engine = {"fts5": Fts5, "postgres": Postgres, "xapian": Xapian}[args.engine](args)
    passes, per_query, hits = run_passes(lambda q: len(engine.search(q)), queries, args.rounds)
    out = {"engine": args.engine, "passes": passes, "queries_with_hits": hits, "peak_mb": self_peak_mb(),
           "times_ms": per_query}
    if args.engine == "postgres":
        out["server_backend_peak_mb"] = engine.server_peak_mb()
    print(json.dumps(out))


def cmd_mandala(args):
    """Times each query of `mandala search --batch` through its pipes: write one line, read one line."""
    queries = read_queries(args.queries)
    proc = subprocess.Popen([args.mandala, "search", "--batch", "--db", args.db], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)
    errors = [0]

    def search(q):
        proc.stdin.write(q + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("mandala search --batch ended early")
        answer = json.loads(line)
        if "error" in answer:
            errors[0] += 1
            return 0
        return answer.get("total", 0)

    passes, per_query, hits = run_passes(search, queries, args.rounds)
    peak = vm_hwm_mb(proc.pid)
    proc.stdin.close()
    proc.wait()
    print(json.dumps({"engine": "mandala", "passes": passes, "queries_with_hits": hits, "errors": errors[0] // args.rounds,
                      "peak_mb": peak, "times_ms": per_query}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("index")
    i.add_argument("engine", choices=["fts5", "postgres", "xapian"])
    i.add_argument("--passages", required=True)
    i.add_argument("--catalog", required=True)
    i.add_argument("--out", required=True)
    i.add_argument("--pg-port", type=int)
    q = sub.add_parser("query")
    q.add_argument("engine", choices=["fts5", "postgres", "xapian"])
    q.add_argument("--queries", required=True)
    q.add_argument("--out", required=True)
    q.add_argument("--pg-port", type=int)
    q.add_argument("--rounds", type=int, default=2)
    m = sub.add_parser("mandala")
    m.add_argument("--mandala", required=True)
    m.add_argument("--db", required=True)
    m.add_argument("--queries", required=True)
    m.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    {"index": cmd_index, "query": cmd_query, "mandala": cmd_mandala}[args.cmd](args)


if __name__ == "__main__":
    main()
