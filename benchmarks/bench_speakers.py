"""Benchmark: speakers and turns of real transcripts against their ground truth.

    python benchmarks/bench_speakers.py [--folder DIR] [--json FILE]

Imports every transcript listed in ``DIR/truth.json`` (by default the third-party
files in ``../shared/transcripts/realworld``) into a fresh project, one import each,
reads the stored turns back and prints, per file and overall:

* labels: the set of speaker labels is exactly the true set (a voice tag's trailing
  colon may be dropped where the truth gives the normalised names too);
* turns: the number of turns, neighbouring turns of one speaker merged (what a coding
  tool shows), is within 10% of the true merged count. Unattributed text before the
  first label (a title, a header) and after the last (a colophon) is not counted; for
  a file without labels the units are paragraphs, compared with the true segments;
* first five: the first five (merged) turns have the true labels and start where the
  truth says (the first 25 letters and digits of the speech on the line the truth points
  at, a leading timestamp and Markdown escapes aside);
* the import time of each file (reading, finding turns, splitting sentences, storing;
  spaCy is loaded before the first one).

The truth format is the one of ``realworld/truth.json`` (see its README). Exit status
0 when every file is right, 1 otherwise.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qualcode.records.transcripts import Turn

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO.parent / "shared" / "transcripts" / "realworld"
TOLERANCE = 0.10
_LEADING_TIME = re.compile(r"^\W*\\?\[?\\?-?[\d:.,]+\\?\]?\s*")
_TIMES = re.compile(r"[\[(]?\\?\b\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?[\])]?")
_VOICE_TAG = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]*)>")


def _letters(text: str, count: int = 25) -> str:
    """The first ``count`` letters and digits of some speech, case folded (entities
    decoded, escapes and a leading timestamp left out)."""
    text = _LEADING_TIME.sub("", html.unescape(text).replace("\\", "").lstrip())
    return "".join(ch for ch in text.casefold() if ch.isalnum())[:count]


def _normalised_label(label: str) -> str:
    return " ".join(label.strip().rstrip(":\uff1a").split())


def _source_text(path: Path) -> str:
    raw = path.read_bytes().decode("utf-8-sig")
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def _label_before(source: str, offset: int) -> str | None:
    """The label written before the speech at ``offset`` in the source (its line, or
    the heading or label line above)."""
    line_start = source.rfind("\n", 0, offset) + 1
    head = source[line_start:offset].strip()
    if not head:  # a header-line format: the label is on the line above
        above = source[:line_start].rstrip("\n")
        head = above[above.rfind("\n") + 1:].strip()
    voice = _VOICE_TAG.search(head)
    if voice:
        return _normalised_label(voice.group(1))
    head = _TIMES.sub(" ", head.replace("**", "")).strip("#*>[] \t")
    return _normalised_label(head) or None


def merged(turns: Sequence[Turn]) -> list[Turn]:
    """Turns with neighbours of one speaker merged (unattributed ones never merge)."""
    result: list[Turn] = []
    for turn in turns:
        if result and turn.speaker is not None and turn.speaker == result[-1].speaker:
            continue
        result.append(turn)
    return result


def body(turns: Sequence[Turn]) -> Sequence[Turn]:
    """The turns without the unattributed text before the first labelled turn (a title,
    a header) and after the last (a colophon), when the transcript has labels."""
    attributed = [i for i, t in enumerate(turns) if t.speaker is not None]
    if not attributed:
        return turns
    return turns[attributed[0]:attributed[-1] + 1]


def score(truth: dict, text: str, turns: Sequence[Turn], source: str) -> dict:
    """How one imported transcript compares with its truth entry."""
    labels = {t.speaker for t in turns if t.speaker is not None}
    true_sets = [set(truth["speaker_labels"])]
    if truth.get("speaker_labels_normalised"):
        true_sets.append(set(truth["speaker_labels_normalised"]))
    labels_ok = labels in true_sets

    body_turns = body(turns)
    if truth["speaker_labels"]:
        units = merged(body_turns)
        expected = truth.get("turns_merged_consecutive_same_label") or truth["turns"]
        offsets = truth.get("first5_turn_text_offsets_merged") or truth["first5_turn_text_offsets"]
        true_labels = truth.get("first5_turn_labels_merged") or [_label_before(source, o) for o in offsets]
    else:
        units = body_turns
        expected = truth.get("unlabelled_segments") or 0
        offsets = truth.get("first5_segment_text_offsets", [])
        true_labels = [None] * len(offsets)
    count_ok = abs(len(units) - expected) <= TOLERANCE * expected if expected else not units
    firsts = []
    for turn, offset, label in zip(units, offsets, true_labels):
        # The source line where the truth says the speech starts (what follows it may be
        # the next cue's timing or label); our turn must start with the same letters.
        line_end = source.find("\n", offset)
        theirs = _letters(source[offset:line_end if line_end >= 0 else len(source)])
        ours = _letters(text[turn.start:turn.end])[:len(theirs)]
        same_label = (turn.speaker is None and label is None) or (
            turn.speaker is not None and label is not None
            and _normalised_label(turn.speaker) == label)
        firsts.append(same_label and bool(theirs) and ours == theirs)
    first_ok = len(firsts) == len(offsets) and all(firsts)
    return {
        "file": truth["file"], "labels_ok": labels_ok, "labels": sorted(labels),
        "turns": len(units), "expected_turns": expected, "turns_ok": count_ok,
        "first5_ok": first_ok, "first5": firsts,
    }


def run(folder: Path) -> list[dict]:
    from qualcode import Project
    from qualcode.nlp import pipeline

    truths = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    pipeline()  # loaded before the clock starts: every import below pays only its own work
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        with Project.create(Path(tmp) / "bench.qualcode") as project:
            for truth in truths:
                path = folder / truth["file"]
                name = f"t{len(results):03d}"
                started = time.perf_counter()
                project.transcripts.import_transcript(path, name=name)
                seconds = time.perf_counter() - started
                info = project.transcripts.get(name)
                result = score(truth, info.text, info.turns, _source_text(path))
                result["seconds"] = seconds
                results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER,
                        help="A folder of transcripts with a truth.json.")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args(argv)
    if not (args.folder / "truth.json").exists():
        print(f"{args.folder}: no truth.json here", file=sys.stderr)
        return 2
    results = run(args.folder)
    width = max(len(r["file"]) for r in results)
    print(f"{'file':<{width}}  labels  turns (ours/true)  first five  import")
    for r in results:
        turns = f"{r['turns']}/{r['expected_turns']}"
        print(f"{r['file']:<{width}}  {'right' if r['labels_ok'] else 'WRONG':<6}  "
              f"{turns:>9} {'right' if r['turns_ok'] else 'WRONG':<7}  "
              f"{'right' if r['first5_ok'] else 'WRONG':<10}  {r['seconds'] * 1000:.0f} ms")
        if not r["labels_ok"]:
            print(f"    labels found: {', '.join(r['labels']) or '(none)'}")
    n = len(results)
    right = sum(r["labels_ok"] and r["turns_ok"] and r["first5_ok"] for r in results)
    print(f"overall: labels {sum(r['labels_ok'] for r in results)}/{n}, "
          f"turns {sum(r['turns_ok'] for r in results)}/{n}, "
          f"first five {sum(r['first5_ok'] for r in results)}/{n}; all right {right}/{n}; "
          f"import {sum(r['seconds'] for r in results):.2f} s in all")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if right == n else 1


if __name__ == "__main__":
    sys.exit(main())
