"""Benchmark: replacing a coded transcript with a corrected version.

    python benchmarks/bench_replace.py [FILE...] [--codings N]

For each file (by default the transcripts in ../shared/transcripts/realworld), imports
it, codes ``--codings`` sentences spread through it, then replaces it in turn with four
corrected versions and undoes each replacement:

* ``edits``: 300 words changed here and there (a transcriber's fixes: upper-cased or
  reversed);
* ``moved``: a fifth of the paragraphs moved to the end, one in ten deleted, one in ten
  shortened by half;
* ``rewrapped``: the same words, the lines wrapped again at 60 columns;
* ``unrelated``: the words shuffled (a wrong file).

It prints the time of each replacement (reading, aligning old and new text, moving the
codings, storing) and of its undo, and what became of the codings: kept, changed
(shortened or edited), moved, not placed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO.parent / "shared" / "transcripts" / "realworld"


def variants(text: str, seed: int = 1) -> dict[str, str]:
    rng = random.Random(seed)
    words = text.split(" ")
    short = [i for i, w in enumerate(words) if 0 < len(w) <= 15]  # words, not unspaced paragraphs
    for i in rng.sample(short, min(300, len(short))):
        words[i] = words[i].upper() if rng.random() < 0.5 else words[i][::-1]
    paragraphs = text.split("\n\n")
    moved = [p for i, p in enumerate(paragraphs) if i % 5 != 2]
    moved = [p[: len(p) // 2] if i % 10 == 4 else p for i, p in enumerate(moved) if i % 10 != 7]
    moved += [p for i, p in enumerate(paragraphs) if i % 5 == 2]
    return {
        "edits": " ".join(words),
        "moved": "\n\n".join(moved),
        "rewrapped": "\n\n".join(textwrap.fill(p, 60) for p in paragraphs),
        "unrelated": " ".join(rng.sample(text.split(), len(text.split()))),
    }


def run(files: list[Path], codings: int) -> list[dict]:
    from qualcode import Project
    from qualcode.coding.tagging import Target
    from qualcode.nlp import pipeline

    pipeline()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Project.create(folder / "bench.qualcode") as project:
            project.coder = "bench"
            project.codebook.add_code("Passage")
            for index, path in enumerate(files):
                name = f"t{index}"
                project.transcripts.import_transcript(path, name=name, kind="focus-group")
                info = project.transcripts.get(name)
                sentences = info.sentences
                step = max(1, len(sentences) // max(1, codings))
                for s in sentences[::step][:codings]:
                    project.coding.tag(name, "Passage", Target(range=(s.start, s.end)))
                coded = len(project.coding.codings(transcript=name))
                for variant, text in variants(info.text).items():
                    source = folder / f"{name}_{variant}{path.suffix if path.suffix != '.vtt' else '.txt'}"
                    source.write_text(text, encoding="utf-8")
                    started = time.perf_counter()
                    report = project.transcripts.replace_transcript(name, source)
                    replaced = time.perf_counter() - started
                    started = time.perf_counter()
                    project.undo()
                    undone = time.perf_counter() - started
                    results.append({
                        "file": path.name, "chars": len(info.text), "codings": coded, "variant": variant,
                        "seconds": replaced, "undo_seconds": undone, "kept": report.kept,
                        "changed": len(report.changed), "moved": len(report.moved),
                        "unplaced": len(report.unplaced) + len(report.merged),
                    })
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="Transcripts (default: ../shared/transcripts/realworld).")
    parser.add_argument("--codings", type=int, default=100, help="Sentences coded in each transcript.")
    args = parser.parse_args(argv)
    files = args.files or sorted(p for p in DEFAULT_FOLDER.glob("*") if p.suffix in (".md", ".txt", ".vtt")
                                 and p.name != "README.md")
    if not files:
        print("no transcripts given and none in ../shared/transcripts/realworld", file=sys.stderr)
        return 2
    results = run(files, args.codings)
    print(f"{'file':<40} {'chars':>7} {'variant':<10} {'replace':>8} {'undo':>7}  kept changed moved unplaced")
    for r in results:
        print(f"{r['file']:<40} {r['chars']:>7} {r['variant']:<10} {r['seconds'] * 1000:>6.0f}ms "
              f"{r['undo_seconds'] * 1000:>5.0f}ms  {r['kept']:>4} {r['changed']:>7} {r['moved']:>5} {r['unplaced']:>8}")
    slowest = max(results, key=lambda r: r["seconds"])
    print(f"slowest replacement: {slowest['seconds']:.2f} s ({slowest['file']}, {slowest['variant']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
