"""Seeded synthetic longitudinal study: transcripts, manifest, codebook and codings.

    python benchmarks/generate.py OUT [--size tiny|small|medium|large] [--seed 1]
                                      [--participants N] [--waves W] [--words-per-transcript N]
                                      [--codes K] [--codings N] [--project FILE]

Writes into OUT:

* ``corpus/*.txt``: interview and focus-group transcripts, speaker-labelled turns
  ("Interviewer: ...", "P0007: ..."), each turn wrapped at 80 columns, with a blank
  line between turns (so qc's verbatim importer sees one paragraph per turn), words
  drawn from a Zipf-weighted interview vocabulary;
* ``manifest.csv``: qualcode's manifest (file, participant, wave, kind, date,
  speaker_map, status, role, site, pseudonym, sex, age_band, wave:employment); missed
  interviews (attrition) are rows with ``status=missed``;
* ``codebook.yaml``: K codes in K/10 categories, qualcode's codebook format;
* ``codings.csv``: file, coder, code, first line, end line (0-based, end exclusive;
  every coding lies inside one turn). The first coder codes everything, the second
  double-codes about 40% of the transcripts (mostly the same passages with a line of
  difference here and there, sometimes another code), a third a few;
* ``study.json``: the sizes and counts.

Line ranges are what qc codes; :func:`spans_for` turns them into the character
offsets qualcode stores, and :func:`build_project` loads everything into a qualcode
project (import_manifest, the codebook, then one bulk insert of the codings in one
transaction through :func:`qualcode.store.bulk.bulk_load_codings`).

Sizes: tiny (smoke tests), small ~20 transcripts / 40k words / 10k codings, medium
~200 / 1M / 100k, large ~1,000 / 10M / 1M (generation runs on all cores).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import json
import math
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

WIDTH = 80
CODERS = ("anna", "ben", "chloe")


@dataclass
class Spec:
    transcripts: int
    words_per_transcript: int
    codings: int
    codes: int = 300
    waves: int = 3
    attrition: float = 0.08       # chance of missing each later wave
    focus_group_share: float = 0.05
    focus_group_size: int = 6
    seed: int = 1


SIZES = {
    "tiny": Spec(transcripts=6, words_per_transcript=400, codings=300, codes=30),
    "small": Spec(transcripts=20, words_per_transcript=2000, codings=10_000),
    "medium": Spec(transcripts=200, words_per_transcript=5000, codings=100_000),
    "large": Spec(transcripts=1000, words_per_transcript=10_000, codings=1_000_000),
}

# --- vocabulary -----------------------------------------------------------------------

_COMMON = ["the", "I", "and", "to", "a", "it", "was", "that", "you", "of", "in", "my", "know", "like", "just", "but", "so", "they", "we", "he", "she", "it's", "I'm", "don't", "then", "there", "what", "with", "on", "for", "be", "have", "had", "not", "all", "me", "her", "him", "them", "this", "do", "get", "got", "go", "went", "one", "think", "really", "yeah", "well", "about", "out", "up", "when", "if", "at", "would", "could", "because,", "said", "mean", "um", "erm", "right", "now", "time", "more", "back", "some", "very", "no", "as", "or", "can", "thing", "things", "bit", "lot", "can't", "didn't", "were", "been", "going", "want", "wanted", "people", "kind", "see", "sort", "felt", "feel", "quite", "much", "little", "good", "bad", "always", "never", "sometimes", "again", "still", "only", "even", "pretty", "maybe", "probably", "actually"]
_DOMAIN = ["trainer", "health", "service", "walking", "weight", "doctor", "kids", "work", "job", "council", "bus", "house", "gym", "smoking", "drink", "pub", "friend", "mum", "dad", "family", "day", "week", "month", "year", "morning", "night", "help", "support", "group", "plan", "goal", "change", "better", "worse", "started", "stopped", "tried", "needed", "told", "came", "made", "took", "gave", "kept", "lost", "found", "used", "thought", "money", "food", "bank", "benefits", "appointment", "referral", "nurse", "surgery", "hospital", "diabetes", "blood", "pressure", "knees", "back", "stairs", "park", "swimming", "leaflet", "sessions", "programme", "targets", "funding", "manager", "contract", "paperwork", "outcomes", "forms", "clinic", "pharmacy", "partner", "daughter", "son", "grandkids", "neighbour", "shift", "rota", "wages", "rent", "landlord", "flat", "estate", "town", "centre", "library", "community", "centre", "volunteer", "course", "college", "training", "certificate", "confidence", "anxious", "lonely", "stress", "routine", "habit", "cigarettes", "vape", "alcohol", "takeaway", "cooking", "shopping", "budget", "vouchers", "dog", "walk", "allotment", "weekend", "holiday", "Christmas", "winter", "summer", "weather", "Wednesday", "Friday", "Leanne", "Dave", "Northgate", "Riverside", "Moorfield", "honestly", "basically", "anyway", "okay", "cafe"]
_FILLERS = ("[laughs]", "[pause]", "[inaudible]", "erm,", "you know,", "like,", "I mean,")
_QUESTIONS = (
    "Can you tell me a bit more about that?", "How did that feel at the time?",
    "And what happened after that?", "What difference did the trainer make?",
    "How are things now, compared with last time we spoke?", "Why do you think that was?",
    "Was anyone else involved?", "What would you change about the service?",
)


def _vocabulary() -> tuple[list[str], list[float]]:
    words = list(dict.fromkeys(w.strip(",") for w in _COMMON + _DOMAIN))
    # Zipf-like: the common words first, weight 1/rank.
    weights = list(itertools.accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(words))))
    return words, weights


# --- transcripts ----------------------------------------------------------------------


def _wrap(words: list[str], first: int) -> list[str]:
    """Greedy wrap at WIDTH columns; ``first`` columns are taken on the first line."""
    lines, cur, width = [], [], first
    for w in words:
        n = len(w)
        if cur and width + 1 + n > WIDTH:
            lines.append(" ".join(cur))
            cur, width = [w], n
        else:
            width += n + (1 if cur or first else 0)
            cur.append(w)
    if cur:
        lines.append(" ".join(cur))
    return lines


def _speech(rng: random.Random, vocab, cum, n_words: int) -> list[str]:
    words = rng.choices(vocab, cum_weights=cum, k=n_words)
    out, i = [], 0
    while i < n_words:
        n = min(n_words - i, rng.randint(5, 20))
        sentence = words[i:i + n]
        if rng.random() < 0.2:
            sentence.insert(rng.randrange(len(sentence)), rng.choice(_FILLERS))
        sentence[0] = sentence[0][:1].upper() + sentence[0][1:]
        sentence[-1] += "?" if rng.random() < 0.08 else "."
        out.extend(sentence)
        i += n
    return out


def make_transcript(args: tuple) -> tuple[str, list[tuple[int, int, int]], int]:
    """(text, turns as (first line, end line, first column of speech), words) for one
    transcript. ``args``: (seed, header, labels, interviewer, words)."""
    seed, header, labels, interviewer, target = args
    rng = random.Random(seed)
    vocab, cum = _vocabulary()
    lines: list[str] = [header, ""]
    turns: list[tuple[int, int, int]] = []
    words = 0
    k = 0
    while words < target:
        if k % 2 == 0:
            label = interviewer
            body = rng.choice(_QUESTIONS).split()
            if rng.random() < 0.5:
                body = _speech(rng, vocab, cum, rng.randint(4, 14)) + body
        else:
            label = rng.choice(labels)
            body = _speech(rng, vocab, cum, min(target - words + 5, rng.randint(30, 160)))
        prefix = f"{label}:"
        wrapped = _wrap(body, len(prefix))
        wrapped[0] = f"{prefix} {wrapped[0]}"
        first = len(lines)
        lines.extend(wrapped)
        turns.append((first, len(lines), len(prefix) + 1))
        lines.append("")
        words += len(body)
        k += 1
    return "\n".join(lines[:-1]) + "\n", turns, words


# --- the study ------------------------------------------------------------------------


def _design(spec: Spec, rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Participants and manifest rows (interviews, missed waves, focus groups)."""
    n_fg = max(1, round(spec.transcripts * spec.focus_group_share))
    per_person = spec.waves * (1 - spec.attrition * (spec.waves - 1) / spec.waves)
    n_people = max(spec.focus_group_size, math.ceil((spec.transcripts - n_fg) / per_person * 1.15))
    sites = ("Northgate", "Riverside", "Moorfield", "Eastbrook")
    names = ["Janet", "Ray", "Kirsty", "Sam", "Leanne", "Dave", "Parveen", "Marcus", "Julie", "Aisha", "Gary", "Beth", "Nadia", "Phil", "Donna", "Imran", "Carol", "Steve", "Tracy", "Wayne", "Bev", "Kev", "Mandy", "Lee"]
    people = [{"pid": f"P{i + 1:04d}", "role": "client", "site": sites[i % len(sites)],
               "pseudonym": f"{names[i % len(names)]}{i // len(names) or ''}",
               "sex": rng.choice("FM"),
               "age_band": rng.choice(("18-24", "25-34", "35-44", "45-54", "55-64", "65+"))}
              for i in range(n_people)]
    rows: list[dict] = []
    for w in range(1, spec.waves + 1):
        for p in people:
            gone = p.get("dropped")
            if w > 1 and (gone or rng.random() < spec.attrition):
                p["dropped"] = True
                rows.append({"participant": p["pid"], "wave": f"W{w}", "status": "missed"})
                continue
            rows.append({"file": f"{p['pid']}_W{w}.txt", "participant": p["pid"], "wave": f"W{w}",
                         "kind": "interview", "labels": [p["pid"]], "speakers": {}})
    interviews = [r for r in rows if r.get("file")]
    # trim or pad to the wanted number of transcripts, keeping the focus groups
    want = spec.transcripts - n_fg
    while len(interviews) > want:
        gone = interviews.pop()
        gone.pop("file")
        gone["status"] = "missed"
    for g in range(n_fg):
        wave = 1 + g % spec.waves
        members = rng.sample(people, spec.focus_group_size)
        labels = [m["pseudonym"] for m in members]
        rows.append({"file": f"FG{g + 1:03d}_W{wave}.txt", "participant": ";".join(m["pid"] for m in members),
                     "wave": f"W{wave}", "kind": "focus-group", "labels": labels,
                     "speakers": {m["pseudonym"]: m["pid"] for m in members}})
    for p in people:
        p.pop("dropped", None)
    return people, rows


def write_codebook(path: Path, k: int) -> list[str]:
    """K codable codes in categories of ten; returns the code names."""
    per = 10
    lines = ["format: qualcode-codebook", "version: 1", "title: Synthetic benchmark codebook",
             "codes:"]
    names = []
    for c in range(math.ceil(k / per)):
        lines += [f"  - name: Category {c + 1:02d}", "    category: true", "    codable: false",
                  "    stage: axial", "    children:"]
        for j in range(min(per, k - c * per)):
            name = f"c{c + 1:02d}_{j + 1:02d}"
            names.append(name)
            lines += [f"      - name: {name}", "        stage: focused",
                      f"        definition: Synthetic code {j + 1} of category {c + 1}."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return names


def _codings(rng: random.Random, files: list[tuple[str, list]], n_codes: int, target: int):
    """(file index, coder index, code index, first line, end line) rows, unique per
    (file, coder, code, first, end), about ``target`` of them."""
    weights = list(itertools.accumulate(1.0 / (r + 1) ** 0.6 for r in range(n_codes)))
    codes_perm = list(range(n_codes))
    rng.shuffle(codes_perm)
    total_turns = sum(len(t) for _, t in files)
    double = [rng.random() < 0.4 for _ in files]
    triple = [rng.random() < 0.1 for _ in files]
    # anna's codings per turn so that, with the others' copies, the total is ~target
    factor = 1 + 0.4 * 0.95 + 0.1 * 0.9
    per_turn = 1.05 * target / factor / max(1, total_turns)  # 5% are duplicates, dropped
    rows: set = set()
    for f, (_, turns) in enumerate(files):
        for first, end, _ in turns:
            n_lines = end - first
            n = int(per_turn) + (rng.random() < per_turn % 1)
            for _ in range(n):
                a = first + rng.randrange(n_lines)
                length = 1 + (rng.random() < 0.4) + (rng.random() < 0.15)
                b = min(end, a + length)
                code = codes_perm[bisect.bisect_left(weights, rng.random() * weights[-1])]
                rows.add((f, 0, code, a, b))
                for coder, on, keep in ((1, double[f], 0.95), (2, triple[f], 0.9)):
                    if not on or rng.random() > keep:
                        continue
                    roll = rng.random()
                    a2, b2, code2 = a, b, code
                    if roll < 0.25:       # boundaries a line off
                        a2 = max(first, min(end - 1, a + rng.choice((-1, 1))))
                        b2 = max(a2 + 1, min(end, b + rng.choice((-1, 0, 1))))
                    elif roll < 0.35:     # another code on the same passage
                        code2 = rng.randrange(n_codes)
                    rows.add((f, coder, code2, a2, b2))
    return sorted(rows)


def generate(out: Path, spec: Spec, *, workers: int | None = None, log=print) -> dict:
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    corpus = out / "corpus"
    corpus.mkdir(exist_ok=True)
    rng = random.Random(spec.seed)
    people, rows = _design(spec, rng)
    by_pid = {p["pid"]: p for p in people}
    files = [r for r in rows if r.get("file")]
    jobs = []
    for i, r in enumerate(files):
        labels = r["labels"] if r["kind"] == "focus-group" else [r["participant"]]
        interviewer = "Moderator" if r["kind"] == "focus-group" else "Interviewer"
        header = f"Transcript {r['file'][:-4]}, {r['kind']}, wave {r['wave'][1:]}."
        words = spec.words_per_transcript * (2 if r["kind"] == "focus-group" else 1)
        jobs.append((spec.seed * 1_000_003 + i, header, labels, interviewer,
                     max(50, int(words * rng.uniform(0.7, 1.3)))))
    workers = workers or (os.cpu_count() or 1)
    if workers > 1 and len(jobs) >= 40:
        with ProcessPoolExecutor(workers) as pool:
            made = list(pool.map(make_transcript, jobs, chunksize=8))
    else:
        made = [make_transcript(j) for j in jobs]
    total_words = 0
    layout = []
    for r, (text, turns, words) in zip(files, made):
        (corpus / r["file"]).write_text(text, encoding="utf-8")
        total_words += words
        layout.append((r["file"], turns))
    t_text = time.perf_counter() - t0
    # manifest
    header = ["file", "participant", "wave", "kind", "date", "speaker_map", "status", "role",
              "site", "pseudonym", "sex", "age_band", "wave:employment"]
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for r in rows:
            first = r["participant"].split(";")[0]
            person = by_pid[first] if r.get("kind") != "focus-group" else {}
            wave = int(r["wave"][1:])
            date = f"{2024 + (wave - 1) // 2}-{(3 + 6 * (wave - 1)) % 12 or 12:02d}-{1 + rng.randrange(27):02d}"
            writer.writerow([
                f"corpus/{r['file']}" if r.get("file") else "", r["participant"], r["wave"],
                r.get("kind", ""), date if r.get("file") else "",
                ";".join(f"{k}={v}" for k, v in r.get("speakers", {}).items()),
                r.get("status", ""), person.get("role", ""), person.get("site", ""),
                person.get("pseudonym", ""), person.get("sex", ""), person.get("age_band", ""),
                rng.choice(("unemployed", "part-time", "full-time", "long-term sick"))
                if r.get("kind") == "interview" else ""])
    codes = write_codebook(out / "codebook.yaml", spec.codes)
    codings = _codings(rng, layout, len(codes), spec.codings)
    with (out / "codings.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "coder", "code", "first_line", "end_line"])
        names = [f for f, _ in layout]
        writer.writerows((names[f], CODERS[c], codes[k], a, b) for f, c, k, a, b in codings)
    coded_lines = len({(f, c, k, line) for f, c, k, a, b in codings for line in range(a, b)})
    study = {"spec": asdict(spec), "participants": len(people), "transcripts": len(files),
             "focus_groups": sum(r["kind"] == "focus-group" for r in files),
             "missed": sum(r.get("status") == "missed" for r in rows),
             "words": total_words, "codes": len(codes), "codings": len(codings),
             "coded_lines": coded_lines, "coders": list(CODERS),
             "seconds": round(time.perf_counter() - t0, 2), "text_seconds": round(t_text, 2)}
    (out / "study.json").write_text(json.dumps(study, indent=1) + "\n", encoding="utf-8")
    log(f"generated {study['transcripts']} transcripts ({study['focus_groups']} focus groups, "
        f"{study['missed']} missed), {total_words:,} words, {len(codes)} codes, "
        f"{len(codings):,} codings ({coded_lines:,} coded lines) in {study['seconds']:.1f} s")
    return study


# --- reading the codings back -----------------------------------------------------------


def read_codings(out: Path):
    with (out / "codings.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for file, coder, code, a, b in reader:
            yield file, coder, code, int(a), int(b)


def line_offsets(text: str) -> list[int]:
    offsets, pos = [0], 0
    for line in text.split("\n"):
        pos += len(line) + 1
        offsets.append(pos)
    return offsets


def spans_for(text: str, turn_lines: dict[int, int] | None = None):
    """A function (first line, end line) -> (start, end) character offsets in ``text``:
    from the first character of the first line (after the speaker label when that line
    starts a turn, so that the coding starts inside the turn) to the end of the last."""
    offsets = line_offsets(text)
    lines = text.split("\n")
    skip = {}
    for i, line in enumerate(lines):
        if i and not lines[i - 1].strip() and ":" in line[:40]:
            skip[i] = line.index(":") + 2

    def span(a: int, b: int) -> tuple[int, int]:
        start = offsets[a] + skip.get(a, 0)
        end = offsets[b - 1] + len(lines[b - 1])
        return start, max(end, start + 1)

    return span


def build_project(out: Path, path: Path, *, log=print) -> dict:
    """Create a qualcode project from OUT: import the manifest, load the codebook, and
    insert the codings in one bulk transaction. Returns timings."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from qualcode import Project

    times = {}
    t0 = time.perf_counter()
    project = Project.create(path, title="synthetic benchmark study")
    project.coder = CODERS[0]
    report = project.transcripts.import_manifest(out / "manifest.csv")
    if report.failures:
        raise SystemExit(f"import failed: {report.failures[:3]}")
    times["import_s"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    project.codebook.load(out / "codebook.yaml")
    times["codebook_s"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    n = load_codings(project, out)
    times["codings_s"] = time.perf_counter() - t1
    times["codings"] = n
    project.close()
    log(f"project {path.name}: import {times['import_s']:.1f} s, codebook {times['codebook_s']:.1f} s, "
        f"{n:,} codings in {times['codings_s']:.1f} s")
    return times


def load_codings(project, out: Path) -> int:
    """Insert OUT/codings.csv into an open project (one bulk transaction)."""
    from qualcode.store import analysis as store_analysis
    from qualcode.store import bulk as store_bulk
    from qualcode.store import db as store_db
    from qualcode.store import study as store_study

    db = project.db
    code_ids = {c["name"]: c["id"] for c in store_analysis.all_codes(db)}
    by_source = {}
    for t in store_analysis.transcripts_in_order(db):
        by_source[t["name"]] = t["id"]
    with store_db.write(db):
        coder_ids = {name: store_study.coder_id(db, name) for name in CODERS}
    spans, tids = {}, {}

    def rows():
        for file, coder, code, a, b in read_codings(out):
            span = spans.get(file)
            if span is None:
                name = Path(file).stem
                tids[file] = by_source[name]
                span = spans[file] = spans_for(project.transcripts.get(name).text)
            s, e = span(a, b)
            yield tids[file], code_ids[code], coder_ids[coder], s, e

    return store_bulk.bulk_load_codings(db, rows())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the study into")
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--transcripts", type=int)
    parser.add_argument("--waves", type=int)
    parser.add_argument("--words-per-transcript", type=int)
    parser.add_argument("--codes", type=int)
    parser.add_argument("--codings", type=int)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--project", type=Path, help="also build this qualcode project")
    args = parser.parse_args(argv)
    spec = SIZES[args.size]
    overrides = {k: getattr(args, k) for k in ("seed", "transcripts", "waves",
                                               "words_per_transcript", "codes", "codings")
                 if getattr(args, k) is not None}
    spec = Spec(**{**asdict(spec), **overrides})
    generate(args.out, spec, workers=args.workers)
    if args.project:
        if args.project.exists():
            parser.error(f"{args.project} exists")
        build_project(args.out, args.project)
    return 0


if __name__ == "__main__":
    sys.exit(main())
