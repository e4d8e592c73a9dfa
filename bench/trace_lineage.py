#!/usr/bin/env python3
"""Latency of the trace and lineage routes of a running `mandala serve`.

Each URL is requested once to warm up (not with --cold), then --rounds times; per request the wall-clock time
(client side) and the server process's CPU time (user + system from /proc/PID/stat, which the
other processes of a shared machine do not inflate) are recorded, and p50/p95 of both printed
(nearest rank). The server must run on this machine for the CPU figures (--pid, else found by
the port in /proc).

  bench/trace_lineage.py --port 8080 --phrase "rule of law" --mission UNMIL --step UNMIL:0
"""
import argparse
import json
import math
import os
import sys
import time
import urllib.parse
import urllib.request

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def server_pid(port):
    """The pid whose command line is a `serve` with this port."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if b"serve" in args and str(port).encode() in args:
            return int(name)
    sys.exit(f"no `serve --port {port}` process found; pass --pid")


def percentile(values, p):
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def measure(base, path, rounds, pid, warm_up=True):
    def once():
        c0, t0 = cpu_seconds(pid), time.perf_counter()
        with urllib.request.urlopen(base + path) as r:
            body = r.read()
        return time.perf_counter() - t0, cpu_seconds(pid) - c0, len(body)

    if warm_up:
        once()
    walls, cpus, size = [], [], 0
    for _ in range(rounds):
        wall, cpu, size = once()
        walls.append(wall * 1000)
        cpus.append(cpu * 1000)
    return {"path": path, "bytes": size, "wall_p50": percentile(walls, 50), "wall_p95": percentile(walls, 95),
            "cpu_p50": percentile(cpus, 50), "cpu_p95": percentile(cpus, 95)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int)
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--phrase", action="append", default=[], help="GET /api/trace?phrase=... (first page)")
    ap.add_argument("--cell", action="append", default=[], help="PHRASE|MISSION|YEAR: the lines of a grid cell")
    ap.add_argument("--mission", action="append", default=[], help="GET /api/lineage/MISSION (the overview)")
    ap.add_argument("--step", action="append", default=[], help="MISSION:N: GET /api/lineage/MISSION?step=N")
    ap.add_argument("--json", action="store_true", help="one JSON object per URL instead of a table")
    ap.add_argument("--cold", action="store_true", help="no warm-up request (the first after a server start is cold)")
    a = ap.parse_args()
    pid = a.pid or server_pid(a.port)
    base = f"http://127.0.0.1:{a.port}"
    q = urllib.parse.quote
    paths = [f"/api/trace?phrase={q(p)}" for p in a.phrase]
    for c in a.cell:
        phrase, mission, year = c.split("|")
        paths.append(f"/api/trace?phrase={q(phrase)}&mission={q(mission)}&year={year}")
    paths += [f"/api/lineage/{q(m)}" for m in a.mission]
    for s in a.step:
        mission, n = s.rsplit(":", 1)
        paths.append(f"/api/lineage/{q(mission)}?step={n}")
    if not a.json:
        print(f"{'route':60} {'bytes':>9} {'wall p50':>9} {'p95':>7} {'cpu p50':>8} {'p95':>7}  (ms, {a.rounds} requests)")
    for path in paths:
        r = measure(base, path, a.rounds, pid, warm_up=not a.cold)
        if a.json:
            print(json.dumps(r))
        else:
            print(f"{urllib.parse.unquote(path)[:60]:60} {r['bytes']:9d} {r['wall_p50']:9.1f} {r['wall_p95']:7.1f} "
                  f"{r['cpu_p50']:8.1f} {r['cpu_p95']:7.1f}", flush=True)


if __name__ == "__main__":
    main()
