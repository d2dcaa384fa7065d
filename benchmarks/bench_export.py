"""Benchmark: the Word theme summary of a large synthetic project.

    python benchmarks/bench_export.py [--themes 50] [--quotes 20] [--participants 30] [--keep DIR]

Builds a project through the core API (waves, participants, generated interview
transcripts, ``--themes`` categories with three codes each, about 60 codings per
theme by two coders, a few exemplars and memos), then times one theme summary
(``ExportMixin.export_themes``: the queries, the quote selection and writing the
.docx) with ``--quotes`` quotes per theme, and the Markdown version. Building the
project is not timed. Target (issue 8): 50 themes x 20 quotes in under 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 5.0
WAVES = (("W1", "Baseline"), ("W2", "Six months"), ("W3", "Twelve months"))
_WORDS = ["the", "a", "and", "I", "you", "it", "was", "that", "to", "of", "in", "we", "but", "so", "just", "like", "know", "really", "think", "what", "then", "there", "they", "she", "he", "my", "me", "her", "money", "food", "bank", "week", "trainer", "health", "service", "walking", "weight", "doctor", "kids", "work", "job", "council", "bus", "house", "gym", "smoking", "drink", "friend", "mum", "time", "day", "month", "year", "help", "support", "group", "plan", "goal", "change", "better", "worse", "started", "stopped", "tried", "wanted", "felt", "said"]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def make_transcript(rng: random.Random, turns: int) -> str:
    lines = []
    for _ in range(turns):
        lines.append(f"Interviewer: {_sentence(rng)}")
        lines.append("")
        lines.append("Respondent: " + " ".join(_sentence(rng) for _ in range(rng.randint(2, 5))))
        lines.append("")
    return "\n".join(lines)


def build_project(folder: Path, *, themes: int, participants: int, turns: int = 24,
                  codings_per_theme: int = 60, seed: int = 8):
    """A synthetic project; returns the open project (with the export use cases)."""
    from qualcode.project import Project as P
    from qualcode.records import MemoLink

    rng = random.Random(seed)
    src = folder / "src"
    src.mkdir(parents=True, exist_ok=True)
    project = P.create(folder / "bench.qualcode", title="Synthetic export benchmark")
    project.coder = "anna"
    for order, (label, description) in enumerate(WAVES, start=1):
        project.study.add_wave(label, order=order, description=description)
    roles = ("client", "health_trainer", "manager")
    sites = ("Northgate", "Riverside", "Moorfield")
    names = []
    for i in range(1, participants + 1):
        pid = f"P{i:03d}"
        project.study.add_participant(pid, role=roles[i % 3], site=sites[i % 3], pseudonym=f"Name{i}")
        for label, _ in WAVES:
            if (i + len(label)) % 7 == 0:
                project.study.set_attendance(pid, label, "missed")
                continue
            name = f"{pid}_{label}"
            (src / f"{name}.txt").write_text(make_transcript(rng, turns), encoding="utf-8")
            project.transcripts.import_transcript(src / f"{name}.txt", participant=pid, wave=label)
            names.append(name)
    texts = {n: project.transcripts.get(n) for n in names}
    for t in range(1, themes + 1):
        project.codebook.add_code(f"Theme {t:02d}", category=True, definition=f"Definition of theme {t}.",
                         inclusion="What counts.", exclusion="What does not.")
        for c in range(1, 4):
            project.codebook.add_code(f"Theme {t:02d} code {c}", parent=f"Theme {t:02d}",
                             definition=f"Code {c} of theme {t}.")
    spans: dict[str, list] = {"anna": [], "ben": []}
    for t in range(1, themes + 1):
        for k in range(codings_per_theme):
            name = rng.choice(names)
            turn = rng.choice([x for x in texts[name].turns if x.speaker == "Respondent"])
            start = rng.randint(turn.start, max(turn.start, turn.end - 120))
            end = min(turn.end, start + rng.randint(60, 300))
            coder = "ben" if k % 5 == 0 else "anna"
            spans[coder].append((name, f"Theme {t:02d} code {1 + k % 3}", start, end))
    for coder, rows in spans.items():
        project.coder = coder
        created = project.coding.apply_spans(rows, summary=f"{coder}'s codings")
        if coder == "anna":
            for row in created[::40]:
                project.coding.set_exemplar(row.id)
    project.coder = "anna"
    for t in range(1, themes + 1, 5):
        project.memos.add("theme", f"Theme {t:02d} memo", "An analytic memo.\n\nSecond paragraph.",
                         links=[MemoLink("code", f"Theme {t:02d}")])
    return project


def run(themes: int, quotes: int, participants: int, keep: str | None = None) -> dict:
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="qualcode-bench-export-") as tmp:
            return run(themes, quotes, participants, tmp)
    folder = Path(keep)
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    project = build_project(folder, themes=themes, participants=participants)
    built = time.perf_counter() - t0
    counts = project.status()["counts"]
    t0, c0 = time.perf_counter(), time.process_time()
    path = project.exports.themes(folder / "themes.docx", quotes=quotes)
    docx_seconds = time.perf_counter() - t0
    docx_cpu = time.process_time() - c0
    t0 = time.perf_counter()
    project.exports.themes(folder / "themes.md", quotes=quotes)
    md_seconds = time.perf_counter() - t0
    import docx

    document = docx.Document(str(path))
    n_quotes = sum(1 for p in document.paragraphs if p.style.name == "Quote")
    project.close()
    return {"themes": themes, "quotes_per_theme": quotes, "quotes_written": n_quotes,
            "transcripts": counts["transcripts"], "codings": counts["codings"],
            "build_seconds": built, "docx_seconds": docx_seconds, "docx_cpu": docx_cpu,
            "md_seconds": md_seconds,
            "size_kb": path.stat().st_size / 1024, "folder": str(folder)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--themes", type=int, default=50)
    parser.add_argument("--quotes", type=int, default=20)
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--keep", metavar="DIR", help="Build in DIR and keep the files.")
    args = parser.parse_args(argv)
    r = run(args.themes, args.quotes, args.participants, args.keep)
    print(f"synthetic project: {r['transcripts']} transcripts, {r['codings']} codings, "
          f"{r['themes']} themes (built in {r['build_seconds']:.1f} s)")
    print(f"theme summary .docx: {r['themes']} themes x {r['quotes_per_theme']} quotes "
          f"({r['quotes_written']} quotes, {r['size_kb']:.0f} KB) in {r['docx_seconds']:.2f} s "
          f"(CPU {r['docx_cpu']:.2f} s) "
          f"(target < {TARGET_SECONDS:.0f} s: {'ok' if r['docx_seconds'] < TARGET_SECONDS else 'MISSED'})")
    print(f"theme summary .md: {r['md_seconds']:.2f} s")
    if hasattr(os, "getloadavg"):
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
              "(wall time grows with the load; CPU time does not)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
