#!/usr/bin/env python3
"""What tagging and entity extraction add to `mandala index`, and what malformed text costs.

Indexes the default corpus into fresh folders with every stage, without tagging (--no-tags) and
without extraction (--no-entities), a few times each, and takes the median wall time of each.
Then indexes a generated corpus of malformed text (unbalanced parentheses, lines of thousands of
capitals, arrows with nothing after them, runaway bracket nesting, truncated symbols) and compares
its throughput with the clean corpus: the time budget is that malformed text indexes at no less
than half the clean corpus' MB/s. Prints one JSON object.
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def index_seconds(mandala, corpus, flags, work):
    db = tempfile.mkdtemp(dir=work)
    start = time.perf_counter()
    subprocess.run([mandala, "index", "--corpus", corpus, "--db", db, "--quiet", *flags], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    shutil.rmtree(db, ignore_errors=True)
    return seconds


def corpus_bytes(folder):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(folder) for f in fs)


def malformed_corpus(folder, documents, seed):
    """Hostile shapes, each repeated through otherwise ordinary prose written here."""
    rng = random.Random(seed)
    words = ("mission mandate civilians protection monitoring ceasefire police reform election support "
             "council resolution region border office team report staff host state").split()
    shapes = [
        lambda: "(" * rng.randint(50, 5000) + " UN Mission in Somewhere (UNMX",
        lambda: "A" * 10000,
        lambda: " ".join("ABCD" for _ in range(2000)),
        lambda: " ".join(["\u2192"] * rng.randint(10, 2000)),
        lambda: "Human Rights \u2192",
        lambda: ")))(((" * rng.randint(10, 500),
        lambda: "resolution " * rng.randint(10, 500) + "S/RES/ A/ S/",
        lambda: "-- " * 3000 + "---)",
        lambda: "[" * 2000 + "see Chapter" + "]" * 5,
        lambda: " ".join(str(rng.randint(1900, 2100)) + " -" for _ in range(1500)),
    ]
    os.makedirs(folder, exist_ok=True)
    for d in range(documents):
        blocks = [f"# Malformed document {d}", ""]
        for _ in range(40):
            prose = " ".join(rng.choice(words) for _ in range(rng.randint(20, 60))).capitalize() + "."
            blocks += [prose, "", rng.choice(shapes)(), ""]
        with open(os.path.join(folder, f"malformed-{d:03}.md"), "w", encoding="utf-8") as out:
            out.write("\n".join(blocks))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mandala", required=True)
    ap.add_argument("--corpus", required=True, help="the default corpus (../shared/corpus)")
    ap.add_argument("--work", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()

    runs = {"all": [], "no-tags": [], "no-entities": []}
    flags = {"all": [], "no-tags": ["--no-tags"], "no-entities": ["--no-entities"]}
    for _ in range(a.repeat):  # interleaved so load changes hit every configuration alike
        for name in runs:
            runs[name].append(index_seconds(a.mandala, a.corpus, flags[name], a.work))
    median = {k: statistics.median(v) for k, v in runs.items()}

    malformed = os.path.join(a.work, "malformed")
    malformed_corpus(malformed, 20, 11)
    clean_mb = corpus_bytes(a.corpus) / 1e6
    bad_mb = corpus_bytes(malformed) / 1e6
    bad_seconds = statistics.median(index_seconds(a.mandala, malformed, [], a.work) for _ in range(3))
    json.dump({
        "repeat": a.repeat,
        "corpus_mb": clean_mb,
        "seconds": runs,
        "median": median,
        "tagging_share": (median["all"] - median["no-tags"]) / median["no-tags"],
        "extraction_share": (median["all"] - median["no-entities"]) / median["no-entities"],
        "malformed_mb": bad_mb,
        "malformed_seconds": bad_seconds,
        "malformed_mb_s": bad_mb / bad_seconds,
        "clean_mb_s": clean_mb / median["all"],
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
