#!/usr/bin/env python3
"""Deterministic generator of a scaled benchmark corpus and a fixed query set.

Reads the real documents of a source folder (default ../shared/corpus) at run time, cuts them
into paragraphs, sentences and headings, and writes recombined Markdown documents with varied
mission names, countries, years, titles and headings. Nothing of the source text is stored in
this repository: only the recombination rules are.

    gen_corpus.py --size small|large --source DIR --out DIR [--seed N]

writes OUT/corpus/*.md, OUT/queries.txt (200 queries, one a line) and OUT/manifest.json.
The same --seed gives byte-identical output.
"""
import argparse
import collections
import glob
import json
import os
import random
import re
import sys

SIZES = {
    # documents, mean bytes per document
    "small": (500, 37_500),
    "large": (2000, 37_500),
}

# Names the generator varies; these are lists of names, not text of the source documents.
COUNTRIES = [
    "Mali", "South Sudan", "Sudan", "Darfur", "Central African Republic", "Democratic Republic of the Congo",
    "Liberia", "Sierra Leone", "Côte d'Ivoire", "Haiti", "Kosovo", "Bosnia and Herzegovina", "Timor-Leste",
    "Lebanon", "Cyprus", "Somalia", "Afghanistan", "Iraq", "Libya", "Burundi", "Chad", "Western Sahara",
    "Georgia", "Ukraine", "Moldova", "Colombia", "Yemen", "Niger", "Ethiopia", "Eritrea", "Mozambique",
]
PUBLISHERS = [
    "Department of Peace Operations", "Policy and Best Practices Service", "Lessons Learned Unit",
    "Evaluation Section", "Mission Planning Cell", "Training and Doctrine Centre", "Office of the SRSG",
]
KINDS = ["Lessons Learned Report", "Guidance Note", "After Action Review", "Mandate Review",
         "Strategic Assessment", "End of Assignment Report", "Study"]
STOP = set("""a an and are as at be been but by can could do does for from had has have he her his how
i if in into is it its may might more most must no not of on or our shall she should so such than that the
their them then there these they this those to under up upon was we were what when where which while who
whom why will with within would you your also other all any each both between about after before over
through during well only one two three new own same very its""".split())


def read_source(folder):
    files = sorted(glob.glob(os.path.join(folder, "*.txt")) + glob.glob(os.path.join(folder, "*.md")))
    if not files:
        sys.exit(f"gen_corpus: no .txt/.md documents in {folder}")
    paragraphs, headings, abbreviations = [], [], {}
    for f in files:
        text = open(f, encoding="utf-8").read()
        for line in text.splitlines():
            m = re.match(r"^([A-Z][A-Za-z]{1,10})\t([A-Z][^\t]{3,80})$", line.strip())
            if m:
                abbreviations[m.group(1)] = m.group(2).strip()
                continue
            h = line.strip().lstrip("#").strip().strip("*").strip()
            h = re.sub(r"^[0-9][0-9.]*\s+", "", h)  # the generator numbers headings itself
            if (3 <= len(h) <= 70 and len(h.split()) >= 2 and "\t" not in h and not re.search(r"[.,;:]$", h)
                    and re.match(r"[A-Z]", h) and not re.search(r"\.\s|\d{2,}|[<>|\\$§]", h)):
                headings.append(h.title() if h.isupper() else h)
        for block in re.split(r"\n\s*\n", text):
            s = " ".join(l.strip() for l in block.splitlines()).strip()
            s = re.sub(r"[*_]{1,3}", "", s)
            if len(s) >= 120 and len(s.split()) >= 18 and s[0].isalpha() and "\t" not in s:
                paragraphs.append(s)
    headings = sorted(set(headings))
    sentences = []
    for p in paragraphs:
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", p):
            if 40 <= len(s) <= 600 and s[-1] in ".!?":
                sentences.append(s)
    missions = sorted(a for a, e in abbreviations.items() if re.search(r"\bMission\b|\bOperation\b|Force\b", e))
    return paragraphs, sentences, headings, abbreviations, missions


class Varier:
    """Replaces mission acronyms, countries and years of a text with a document's own."""

    def __init__(self, missions):
        self.mission_re = re.compile(r"\b(" + "|".join(map(re.escape, missions)) + r")\b") if missions else None
        self.country_re = re.compile(r"\b(" + "|".join(map(re.escape, sorted(COUNTRIES, key=len, reverse=True))) + r")\b")
        self.year_re = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")

    def apply(self, text, mission, country, year_shift):
        if self.mission_re:
            text = self.mission_re.sub(mission, text)
        text = self.country_re.sub(country, text)
        return self.year_re.sub(lambda m: str(min(2025, max(1990, int(m.group(1)) + year_shift))), text)


def make_document(i, rng, src, varier, mean_bytes):
    paragraphs, sentences, headings, abbreviations, missions = src
    mission = rng.choice(missions) if missions else "UNMX"
    country = rng.choice(COUNTRIES)
    year = rng.randint(2000, 2020)
    shift = rng.randint(-12, 8)
    kind = rng.choice(KINDS)
    topic = rng.choice(headings)
    title = f"{kind}: {topic} in {country} ({mission}, {year})"
    out = [f"# {title}", "",
           f"{rng.choice(PUBLISHERS)}, {mission} - {country}. Copyright {year}. Document {i + 1:05d}.", ""]
    target = int(mean_bytes * rng.uniform(0.5, 1.5))
    size = sum(len(x) + 1 for x in out)
    chapter = 0
    while size < target:
        chapter += 1
        out += [f"## {chapter} {rng.choice(headings)}", ""]
        for sub in range(1, rng.randint(2, 5)):
            out += [f"### {chapter}.{sub} {rng.choice(headings)}", ""]
            for _ in range(rng.randint(2, 6)):
                r = rng.random()
                if r < 0.45:
                    para = rng.choice(paragraphs)
                elif r < 0.9:
                    para = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 7)))
                else:  # a list with a lead-in sentence
                    para = rng.choice(sentences) + "\n" + "\n".join(
                        "- " + rng.choice(sentences) for _ in range(rng.randint(3, 6)))
                para = varier.apply(para, mission, country, shift)
                out += [para, ""]
                size += len(para) + 2
            if size >= target:
                break
    slug = re.sub(r"[^a-z0-9]+", "-", f"{mission} {country} {year} {i + 1:05d}".lower()).strip("-")
    return slug + ".md", "\n".join(out) + "\n"


def words(text):
    return re.findall(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]", text)


def make_queries(rng, src, taxonomy_ids):
    paragraphs, sentences, headings, abbreviations, missions = src
    freq = collections.Counter(w.lower() for p in paragraphs for w in words(p))
    plain = [w for w, n in freq.most_common() if w not in STOP and len(w) >= 4 and w.isalpha()]
    common = plain[:300]
    rare = sorted(w for w in plain if freq[w] <= 2 and len(w) >= 6)
    acronyms = sorted({w for p in paragraphs for w in words(p) if re.fullmatch(r"[A-Z]{2,6}s?", w)} | set(abbreviations))
    bigrams = collections.Counter()
    for s in sentences:
        ws = [w.lower() for w in words(s)]
        for a, b in zip(ws, ws[1:]):
            if a not in STOP and b not in STOP and len(a) > 2 and len(b) > 2 and a.isalpha() and b.isalpha():
                bigrams[(a, b)] += 1
    varied = {w.lower() for name in COUNTRIES + missions for w in words(name)}  # the generator replaces these
    phrases = sorted(bg for bg, n in bigrams.items() if n >= 2 and not (set(bg) & varied))
    cooc = []
    for p in paragraphs:
        ws = sorted({w.lower() for w in words(p)} & set(common[:200]))
        if len(ws) >= 2:
            cooc.append(ws)
    years = list(range(2000, 2021))

    def text_query():
        r = rng.random()
        if r < 0.4:
            return rng.choice(common)
        if r < 0.7:
            return '"%s %s"' % rng.choice(phrases)
        return " ".join(rng.sample(common, 2))

    q = []
    q += [("common", rng.choice(common)) for _ in range(40)]
    q += [("rare", w) for w in rng.sample(rare, min(30, len(rare)))]
    q += [("acronym", a) for a in rng.sample(acronyms, min(20, len(acronyms)))]
    q += [("phrase", '"%s %s"' % bg) for bg in rng.sample(phrases, 30)]
    q += [("and", "%s AND %s" % tuple(rng.sample(rng.choice(cooc), 2))) for _ in range(25)]
    q += [("words", " ".join(w for w in rng.sample(common, 3))) for _ in range(15)]
    q += [("category", f"{text_query()} category:{rng.choice(taxonomy_ids)}") for _ in range(20)]
    q += [("year", f"{text_query()} year:{rng.choice(years)}") for _ in range(20 + 200 - len(q) - 20)]
    rng.shuffle(q)  # so that any prefix (--quick) has every kind
    return q


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", choices=sorted(SIZES), required=True)
    ap.add_argument("--source", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--taxonomy", default=os.path.join(os.path.dirname(__file__), "..", "taxonomy", "task-categories.json"))
    args = ap.parse_args()

    src = read_source(args.source)
    varier = Varier(src[4])
    n_docs, mean_bytes = SIZES[args.size]
    corpus = os.path.join(args.out, "corpus")
    os.makedirs(corpus, exist_ok=True)
    total = 0
    for i in range(n_docs):
        rng = random.Random(f"{args.seed}:{args.size}:{i}")
        name, text = make_document(i, rng, src, varier, mean_bytes)
        data = text.encode("utf-8")
        with open(os.path.join(corpus, name), "wb") as f:
            f.write(data)
        total += len(data)
    taxonomy_ids = [c["id"] for c in json.load(open(args.taxonomy, encoding="utf-8"))["categories"]]
    queries = make_queries(random.Random(f"{args.seed}:queries"), src, taxonomy_ids)
    with open(os.path.join(args.out, "queries.txt"), "w", encoding="utf-8") as f:
        for _, text in queries:
            f.write(text + "\n")
    with open(os.path.join(args.out, "queries.kinds.txt"), "w", encoding="utf-8") as f:
        for kind, _ in queries:
            f.write(kind + "\n")
    manifest = {"size": args.size, "seed": args.seed, "documents": n_docs, "bytes": total, "queries": len(queries),
                "source_paragraphs": len(src[0]), "source_sentences": len(src[1]), "source_headings": len(src[2])}
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
