#!/usr/bin/env python3
"""Writes docs/benchmarks.md (on stdout) from the raw results scripts/bench left in its work folder."""
import argparse
import datetime
import json
import os
import platform
import re
import subprocess

ENGINES = [("mandala", "Mandala"), ("fts5", "SQLite FTS5"), ("postgres", "PostgreSQL FTS"), ("xapian", "Xapian (Python)")]


def read(path, default=None):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return default


def read_json(path):
    text = read(path)
    if not text or not text.strip():
        return None
    return json.loads(text.strip().splitlines()[-1])


def time_v(path):
    """Wall seconds and peak RSS (MB) from a /usr/bin/time -v report."""
    text = read(path, "")
    wall = rss = None
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    if m:
        parts = [float(x) for x in m.group(1).split(":")]
        wall = sum(p * 60 ** (len(parts) - 1 - i) for i, p in enumerate(parts))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        rss = int(m.group(1)) / 1024.0
    m = re.search(r"Exit status: (\d+)", text)
    status = int(m.group(1)) if m else None
    return wall, rss, status


def f(x, digits=1):
    if x is None:
        return "–"
    return f"{x:,.{digits}f}"


def summary_ms(values):
    """p50 and p95 (linear interpolation) of a list of milliseconds."""
    v = sorted(values)

    def pct(p):
        k = (len(v) - 1) * p / 100.0
        lo = int(k)
        hi = min(lo + 1, len(v) - 1)
        return v[lo] + (v[hi] - v[lo]) * (k - lo)

    return (pct(50), pct(95)) if v else (None, None)


def verdict(ok):
    return "n/a" if ok is None else "**PASS**" if ok else "**FAIL**"


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        return ""


def write_stage_costs(w, st):
    """Issues 3 and 4: what tagging and extraction add to indexing, and what malformed text costs."""
    med = st["median"]
    w("## Stage costs on the default corpus (issues 3 and 4)")
    w("")
    w(f"`bench/stage_costs.py`: `mandala index` of `../shared/corpus` ({f(st['corpus_mb'], 2)} MB) into a fresh folder, "
      f"{st['repeat']} interleaved runs of each configuration, median wall time.")
    w("")
    w("| configuration | median (s) | runs (s) |")
    w("| --- | ---: | --- |")
    for name, flag in (("all", "every stage"), ("no-tags", "`--no-tags`"), ("no-entities", "`--no-entities`")):
        w(f"| {flag} | {med[name]:.3f} | {', '.join(f'{x:.3f}' for x in st['seconds'][name])} |")
    w("")
    w("| check | result | measured |")
    w("| --- | --- | --- |")
    w(f"| tagging adds < 20% to index time | {verdict(st['tagging_share'] < 0.2)} | {st['tagging_share'] * 100:+.1f}% |")
    w(f"| extraction adds < 20% to index time | {verdict(st['extraction_share'] < 0.2)} | "
      f"{st['extraction_share'] * 100:+.1f}% |")
    ok = st["malformed_mb_s"] >= 0.5 * st["clean_mb_s"]
    w(f"| malformed text indexes at ≥ ½ the clean corpus' MB/s (no runaway time) | {verdict(ok)} | "
      f"{st['malformed_mb_s']:.2f} MB/s on {f(st['malformed_mb'])} MB of malformed text vs {st['clean_mb_s']:.2f} MB/s clean |")
    w("")


def cache_share(d, run):
    """Share of a wrk run's searches answered from the result cache, from /metrics before and after."""
    try:
        before = [float(x) for x in read(os.path.join(d, f"wrk.{run}.cache.before"), "").split()]
        after = [float(x) for x in read(os.path.join(d, f"wrk.{run}.cache.after"), "").split()]
        hits, misses = after[0] - before[0], after[1] - before[1]
    except (ValueError, IndexError):
        return "–"
    total = hits + misses
    return f"{hits / total:.1%} ({int(hits):,} of {int(total):,})" if total else "none"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--sizes", nargs="+", required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--tree", required=True, help="commit of the measured tree, as scripts/bench saw it at the start")
    ap.add_argument("--quick", default="0")
    ap.add_argument("--wrk", default="30,30")
    ap.add_argument("--queries", default="200")
    ap.add_argument("--pg-bin", default="")
    ap.add_argument("--seconds", default="")
    a = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    xapian_v = sh("/usr/bin/python3 -c 'import xapian; print(xapian.version_string())'")
    sqlite_v = sh("/usr/bin/python3 -c 'import sqlite3; print(sqlite3.sqlite_version)'")
    pg_v = sh(f"{a.pg_bin}/postgres --version | awk '{{print $3}}'") if a.pg_bin else ""
    wrk_short, wrk_long = a.wrk.split(",")

    out = []
    w = out.append
    w("# Benchmarks")
    w("")
    w("Mandala and its peers measured side by side, in one run, on the same machine, passages and queries.")
    w("The figures below are a single run of the command underneath: they are regenerated, never edited.")
    w("")
    w("```")
    w(a.command)
    w("```")
    w("")
    w(f"- Run: {datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M UTC')}, {a.seconds} s in all; Mandala at commit "
      f"{a.tree}.")
    w(f"- Machine: {cpu or platform.processor()}, {os.cpu_count()} cores (shared with other work: compare ratios "
      f"inside one run rather than absolute figures across runs), load average at the end "
      f"{read('/proc/loadavg', '').split(' ')[0]}.")
    w(f"- Peers: SQLite {sqlite_v} FTS5, PostgreSQL {pg_v}, Xapian {xapian_v} (Python bindings).")
    if a.quick == "1":
        w(f"- **Quick (smoke) run**: {a.queries} queries, wrk {wrk_short} s at 1 and 16 connections and {wrk_long} s "
          "at 64; the acceptance checks below are not meaningful at this length.")
    w("")

    checks = []
    for size in a.sizes:
        d = os.path.join(a.work, size)
        man = read_json(os.path.join(d, "manifest.json")) or {}
        mb = man.get("bytes", 0) / 1e6
        n_pass = sum(1 for _ in open(os.path.join(d, "passages.jsonl"), encoding="utf-8"))
        w(f"## {size}: {man.get('documents')} documents, {f(mb)} MB of text, {n_pass:,} passages, "
          f"{a.queries} queries")
        w("")
        w(f"Generated with seed {man.get('seed')}; this size took {read(os.path.join(d, 'run.seconds'), '?').strip()} s "
          "to measure (generation, all indexing, all query passes and wrk).")
        w("")

        idx = {}
        for e, name in ENGINES:
            wall, rss, status = time_v(os.path.join(d, f"{e}.index.time"))
            if e == "mandala":
                size_b = int(read(os.path.join(d, "mandala.index.bytes"), "0"))
                extra = None
            else:
                j = read_json(os.path.join(d, f"{e}.index.json")) or {}
                size_b = j.get("index_bytes")
                extra = j.get("server_backend_peak_mb")
            idx[e] = {"wall": wall, "rss": rss, "bytes": size_b, "rate": mb / wall if wall else None, "server": extra,
                      "status": status}

        w("### Indexing")
        w("")
        w("| engine | wall time (s) | MB/s | index on disk (MB) | peak RSS (MB) |")
        w("| --- | ---: | ---: | ---: | ---: |")
        for e, name in ENGINES:
            r = idx[e]
            rss = f(r["rss"])
            if r["server"]:
                rss += f" client + {f(r['server'])} server backend"
            w(f"| {name} | {f(r['wall'])} | {f(r['rate'], 2)} | {f((r['bytes'] or 0) / 1e6)} | {rss} |")
        w("")
        # Mandala's own account of the run: how much of it Xapian's writing took.
        account = [l for l in read(os.path.join(d, "mandala.index.out"), "").splitlines() if l.startswith("time: ")]
        if account:
            w(f"Mandala's account of its run (`mandala index` prints it): {account[0][len('time: '):]}.")
            w("")

        qs = {e: read_json(os.path.join(d, f"{e}.query.json")) for e, _ in ENGINES}
        w("### Query latency, single-threaded, one long-lived process (ms)")
        w("")
        w("| engine | pass | p50 | p95 | p99 | mean | max | queries with hits | peak RSS (MB) |")
        w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for e, name in ENGINES:
            q = qs[e]
            if not q:
                w(f"| {name} | – | – | – | – | – | – | – | – |")
                continue
            for i, p in enumerate(q["passes"], 1):
                rss = f(q.get("peak_mb"))
                if q.get("server_backend_peak_mb"):
                    rss += f" client + {f(q['server_backend_peak_mb'])} backend"
                w(f"| {name} | {i} | {f(p['p50'], 2)} | {f(p['p95'], 2)} | {f(p['p99'], 2)} | {f(p['mean'], 2)} | "
                  f"{f(p['max'], 1)} | {q['queries_with_hits'] if i == 1 else ''} | {rss if i == 1 else ''} |")
        kinds_file = read(os.path.join(d, "gen", "queries.kinds.txt"), "") or ""
        kinds = kinds_file.split()
        if kinds and all(q and q.get("times_ms") for q in qs.values()):
            order = ["common", "rare", "acronym", "phrase", "and", "words", "category", "year"]
            w("")
            w("By query kind, last pass, p50 / p95 (ms):")
            w("")
            w("| kind | queries | " + " | ".join(name for _, name in ENGINES) + " |")
            w("| --- | ---: |" + " ---: |" * len(ENGINES))
            for kind in order:
                idxs = [i for i, k in enumerate(kinds[:len(qs["mandala"]["times_ms"][-1])]) if k == kind]
                if not idxs:
                    continue
                cells = []
                for e, _ in ENGINES:
                    t = qs[e]["times_ms"][-1]
                    sm = summary_ms([t[i] for i in idxs])
                    cells.append(f"{f(sm[0], 2)} / {f(sm[1], 2)}")
                w(f"| {kind} | {len(idxs)} | " + " | ".join(cells) + " |")
        if qs["mandala"] and qs["mandala"].get("errors"):
            w("")
            w(f"Mandala answered {qs['mandala']['errors']} queries of a pass with an error line.")
        w("")

        runs = ("1", "16", "64", "128", "64-nocache")
        wrks = {run: read_json(os.path.join(d, f"wrk.{run}.json")) for run in runs}
        hwm = read(os.path.join(d, "serve.vmhwm_kb"), "").strip()
        serve_mb = int(hwm) / 1024.0 if hwm else None
        w("### HTTP `/api/search` (Mandala only, `wrk`, queries cycled)")
        w("")
        w("| connections | result cache | seconds | requests | req/s | p50 (ms) | p95 (ms) | p99 (ms) | socket errors "
          "| non-2xx/3xx | of them 503 | answered from the cache |")
        w("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for run, r in wrks.items():
            c, cache = run.split("-")[0], ("off" if run.endswith("nocache") else "on (default)")
            if not r:
                w(f"| {c} | {cache} | – | – | – | – | – | – | – | – | – | – |")
                continue
            errs = r["errors_connect"] + r["errors_read"] + r["errors_write"] + r["errors_timeout"]
            w(f"| {c} | {cache} | {f(r['seconds'])} | {r['requests']:,} | {f(r['rps'])} | {f(r['p50_ms'], 2)} | "
              f"{f(r['p95_ms'], 2)} | {f(r['p99_ms'], 2)} | {errs} | {r['non_2xx_3xx']} | {r.get('status_503', '–')} | "
              f"{cache_share(d, run)} |")
        w("")
        w("The server keeps a result cache by default (`--search-cache-mb 64`, docs/web.md): wrk cycles through "
          "the same queries, so after their first round its answers come from the cache. The last row is the same "
          "64-connection run against a server started with `--search-cache-mb 0`: every answer searched.")
        w("")
        w(f"Server peak RSS after the runs (VmHWM): {f(serve_mb)} MB.")
        statuses, odd = {}, []
        for line in (read(os.path.join(d, "serve.log"), "") or "").splitlines():
            if line.startswith("{"):
                try:
                    r = json.loads(line)
                except ValueError:
                    continue
                if r.get("route") == "search":
                    statuses[r.get("status")] = statuses.get(r.get("status"), 0) + 1
            elif line.strip() and not line.startswith(("---", "mandala: serving", "mandala: stopping")):
                odd.append(line.strip())
        w("Status codes of `/api/search` in the server's access log: "
          + ", ".join(f"{k}: {v:,}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))) + ".")
        crashes = [json.loads(l) for l in (read(os.path.join(d, "serve.crashes"), "") or "").splitlines() if l.strip()]
        if crashes:
            w("")
            w("**The server died** during the run at " + ", ".join(
                f"{c['connections']} connection(s) (exit status {c['exit_status']})" for c in crashes)
                + "; it was restarted for the next level. The peak RSS above is the largest VmHWM read from a"
                " server still alive after a run.")
        if odd:
            w("")
            w("Other lines on the server's stderr (first 5):")
            w("")
            w("```")
            for line in odd[:5]:
                w(line[:200])
            w("```")
        w("")

        # acceptance checks
        m, x = idx["mandala"], idx["xapian"]
        ratio = m["rate"] / x["rate"] if m["rate"] and x["rate"] else None
        checks.append((size, "indexing ≥ 5 MB/s", m["rate"] is not None and m["rate"] >= 5,
                       f"{f(m['rate'], 2)} MB/s"))
        checks.append((size, "indexing ≥ 5× Python-Xapian", ratio is not None and ratio >= 5,
                       f"{f(ratio, 2)}× ({f(m['rate'], 2)} vs {f(x['rate'], 2)} MB/s)"))
        mq, fq = qs["mandala"], qs["fts5"]
        if mq:
            p50s = [p["p50"] for p in mq["passes"]]
            p95s = [p["p95"] for p in mq["passes"]]
            checks.append((size, "query p50 ≤ 1.5 ms (both passes)", max(p50s) <= 1.5,
                           " / ".join(f(v, 2) for v in p50s) + " ms"))
            checks.append((size, "query p95 ≤ 4 ms (both passes)", max(p95s) <= 4,
                           " / ".join(f(v, 2) for v in p95s) + " ms"))
            if fq:
                f95 = [p["p95"] for p in fq["passes"]]
                ok = all(mv <= fv / 4 for mv, fv in zip(p95s, f95))
                checks.append((size, "query p95 ≤ ¼ FTS5 p95 (pass by pass)", ok,
                               " / ".join(f"{f(mv, 2)} vs {f(fv / 4, 2)}" for mv, fv in zip(p95s, f95))
                               + " ms (Mandala vs ¼ FTS5)"))
        for run, label in (("64", "result cache on (default)"), ("64-nocache", "result cache off")):
            r64 = wrks.get(run)
            name = f"wrk 64 connections ≥ 2000 req/s, no errors, no non-2xx ({label})"
            if r64:
                errs = r64["errors_connect"] + r64["errors_read"] + r64["errors_write"] + r64["errors_timeout"]
                checks.append((size, name, r64["rps"] >= 2000 and errs == 0 and r64["non_2xx_3xx"] == 0,
                               f"{f(r64['rps'])} req/s, {errs} socket errors, {r64['non_2xx_3xx']} non-2xx/3xx"))
            else:
                checks.append((size, name, False, "no result"))
        r128 = wrks.get("128")
        name = "wrk 128 connections: no socket errors, overload answered 503 (issue 16)"
        if r128:
            errs = r128["errors_connect"] + r128["errors_read"] + r128["errors_write"] + r128["errors_timeout"]
            other = r128["non_2xx_3xx"] - r128.get("status_503", 0)
            checks.append((size, name, errs == 0 and other == 0,
                           f"{errs} socket errors, {r128.get('status_503', 0)} answers 503, {other} other non-2xx/3xx"))
        else:
            checks.append((size, name, False, "no result"))
        if any(c["connections"] == 64 for c in crashes):
            checks.append((size, "serve peak RSS < 300 MB", None,
                           f"not measured after the 64-connection run (the server died); {f(serve_mb)} MB before"))
        else:
            checks.append((size, "serve peak RSS < 300 MB", serve_mb is not None and serve_mb < 300, f"{f(serve_mb)} MB"))
        checks.append((size, "server stays up under wrk", not crashes,
                       "no crash" if not crashes else f"{len(crashes)} crash(es)"))

    w("## Acceptance checks (issue 7)")
    w("")
    w("| size | check | result | measured |")
    w("| --- | --- | --- | --- |")
    for size, what, ok, measured in checks:
        w(f"| {size} | {what} | {verdict(ok)} | {measured} |")
    w("")

    stages = read_json(os.path.join(a.work, "stage_costs.json"))
    if stages:
        write_stage_costs(w, stages)

    # The log of speed changes is kept by hand beside the generator and copied in, so that
    # regenerating the figures never drops it.
    w(read(os.path.join(root, "bench", "what-each-change-bought.md"), "").rstrip())
    w("")

    w("## How it is measured")
    w("")
    w("""- **Corpus** (`bench/gen_corpus.py`, seeded, byte-identical for a seed): the real documents of
  `../shared/corpus` are read at run time and cut into paragraphs, sentences and headings; each generated
  Markdown document has a title (kind, heading, country, mission, year), a `Copyright YEAR` line (Mandala
  takes the document year from it), numbered `##`/`###` headings drawn from the source headings, and
  paragraphs that are either a source paragraph or 3–7 source sentences recombined, with mission acronyms,
  countries and years replaced by the document's own; about one block in ten is a bullet list with a
  lead-in sentence. Nothing generated is committed; it lives in a temporary folder removed at exit.
- **Queries** (same file): 200, seeded, shuffled so any prefix mixes every kind — 40 single common words,
  30 rare words, 20 acronyms, 30 quoted two-word phrases, 25 `A AND B` conjunctions, 15 three-word free
  queries, 20 with a `category:ID` filter and 20 with a `year:YYYY` filter (each on a word, a phrase or two
  words). `--quick` uses the first 50.
- **Same passages**: Mandala indexes the generated files; `mandala export` then gives every passage
  (id, text, tags) and the peers load exactly those texts. MB/s is MB of generated source text divided by
  the wall time of the indexing process (`/usr/bin/time -v`; it includes Python start-up and reading the
  export for the peers, and segmentation, tagging and entity extraction for Mandala). Index size: the
  `--db` folder for Mandala (Xapian + `catalog.sqlite`), the database file for FTS5, the Xapian folder,
  `pg_total_relation_size` (table, TOAST, GIN and B-tree indexes) for PostgreSQL.
- **Peers** (`bench/peers.py`): SQLite FTS5 (`tokenize='porter unicode61 remove_diacritics 2'`, optimized,
  ranked by `bm25`); PostgreSQL (a private cluster `initdb`'ed in the temporary folder on 127.0.0.1 and a
  free port, default settings, `tsvector` generated column with the `english` configuration, GIN index,
  ranked by `ts_rank`); Xapian through its Python bindings (`TermGenerator` with positions, English
  stemmer, `STEM_SOME`, no tagging; `QueryParser` with OR as default operator). Query words are OR-ed as in
  Mandala, `A AND B` is a conjunction, `"a b"` a phrase. **Facet filters**: every passage carries its
  categories (all of Mandala's tags for it, as Mandala's `category:` does) and its document's year (from
  Mandala's catalog); FTS5 filters on tokens of a zero-weight `facets` column, PostgreSQL on a `text[]`
  column with a GIN index and an integer `year` column, Xapian on boolean terms — so every engine applies
  every filter. Each peer query fetches the ten best passages (id and text) and nothing else.
- **Mandala query latency**: one `mandala search --batch --db DIR` process is fed the queries on stdin one
  at a time by `bench/peers.py mandala`, which times each from writing the line to reading the JSON answer
  (so pipe round trip and JSON encoding are included). Each Mandala answer does more than a peer's: ten
  results with snippets, all facet counts over the whole match set, synonym expansion and spelling.
  `--batch` prints no timing of its own. Peak RSS of the query processes: VmHWM of the `mandala` process
  after both passes; for peers the Python process (plus the PostgreSQL backend's VmHWM).
- **Two passes**: every engine runs the whole query list twice in the same process; both passes are
  reported (the first warms caches). Checks on latency must hold in both passes.
- **HTTP**: `mandala serve --db DIR --host 127.0.0.1` on a free port (default 16 worker threads, access log
  to a file), `wrk` with `bench/search.lua` cycling through the same queries as `GET /api/search?q=...`
  (filters inside `q`), at 1 connection (1 thread) and 16 and 64 connections (2 threads), 10 s timeout,
  with the result cache on (the default); then 64 connections again against a server started with
  `--search-cache-mb 0`. The share answered from the cache comes from the server's `/metrics` counters
  read before and after each run. The server's peak RSS is the larger VmHWM of the two servers.
""")
    # Figures measured by hand (trace and lineage latency) are kept beside the generator too.
    w(read(os.path.join(root, "bench", "trace-and-lineage.md"), "").rstrip())
    w("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
