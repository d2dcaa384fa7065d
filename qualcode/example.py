"""Build the example project from ``transcripts_example/`` and ``codebooks/``.

Both folders are package data (``qualcode/example_study/`` links to them in a source
checkout; a wheel carries copies), so ``qualcode example`` works from an installed package.

The scripted coding in ``codings.csv`` gives, for each coding, the transcript, the
code, the coder and the exact words coded (``quote``); the quote is found in the
transcript's stored text, so the codings survive any change of offsets. Each
coder's codings are one action, as if they had coded in a session.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from importlib import resources
from pathlib import Path

from .errors import QualcodeError
from .project import Project
from .records import MemoLink

# An installed package is unpacked on disk, so these are real paths (the importers need them).
EXAMPLE_STUDY = resources.files(__package__) / "example_study"
EXAMPLE_SOURCE = Path(str(EXAMPLE_STUDY / "transcripts"))
EXAMPLE_CODEBOOK = Path(str(EXAMPLE_STUDY / "codebooks" / "health_trainers.yaml"))
DEFAULT_NAME = "example.qualcode"  # in the current folder, like any new project
TITLE = "Lay health trainer services: a qualitative longitudinal example study"


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def build_example(dest: str | Path = DEFAULT_NAME, *, source: Path = EXAMPLE_SOURCE,
                  codebook: Path = EXAMPLE_CODEBOOK, progress=None) -> Path:
    dest = Path(dest)
    if not (source / "manifest.csv").exists():
        raise QualcodeError(f"the example study is not here: {source} has no manifest.csv")
    if dest.exists():
        raise QualcodeError(f"{dest.name}: already exists; remove it first to rebuild the example")
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        with Project.create(dest, title=TITLE) as project:
            project.coder = "anna"
            project.study.set_default_coder("anna")
            for wave in _rows(source / "waves.csv"):
                project.study.add_wave(wave["label"], order=int(wave["order"]), start=wave["start"],
                                 end=wave["end"], description=wave["description"])
            project.transcripts.import_manifest(source / "manifest.csv", progress=progress)
            project.codebook.load(codebook)
            apply_scripted_codings(project, source / "codings.csv")
            add_scripted_memos(project, source / "memos.csv")
            if (source / "summaries.csv").exists():
                add_scripted_summaries(project, source / "summaries.csv")
            if (source / "study.yaml").exists():
                project.coder = "anna"
                project.study.load_study_file(source / "study.yaml")
            project.coder = None
    except BaseException:
        for leftover in (dest, dest.with_name(dest.name + "-wal"), dest.with_name(dest.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return dest


def locate_quote(text: str, quote: str, where: str) -> tuple[int, int]:
    start = text.find(quote)
    if start < 0:
        raise QualcodeError(f"{where}: quote not found: {quote[:60]!r}")
    if text.find(quote, start + 1) >= 0:
        raise QualcodeError(f"{where}: quote occurs more than once: {quote[:60]!r}")
    return start, start + len(quote)


def apply_scripted_codings(project: Project, path: Path) -> int:
    by_coder: dict[str, list] = defaultdict(list)
    texts: dict[str, str] = {}
    for number, row in enumerate(_rows(path), start=2):
        name = Path(row["file"]).stem
        if name not in texts:
            texts[name] = project.transcripts.get(name).text
        start, end = locate_quote(texts[name], row["quote"], f"{path.name} row {number}")
        by_coder[row["coder"]].append((name, row["code"], start, end, row.get("memo") or None))
    total = 0
    for coder, spans in sorted(by_coder.items()):
        project.coder = coder
        created = project.coding.apply_spans([s[:4] for s in spans],
                                      summary=f"coding session of {coder} ({len(spans)} segments)")
        memos = {(s[0], s[1], s[2], s[3]): s[4] for s in spans if s[4]}
        for coding in created:
            memo = memos.get((coding.transcript, coding.code, coding.start, coding.end))
            if memo:
                project.coding.set_coding_memo(coding.id, memo)
        total += len(created)
    return total


def add_scripted_memos(project: Project, path: Path) -> int:
    for row in _rows(path):
        links = [MemoLink.parse(item) for item in (row.get("links") or "").split(";") if item.strip()]
        project.coder = row["author"]
        project.memos.add(row["type"], row["title"], row["body"], links=links)
    return len(_rows(path))


def add_scripted_summaries(project: Project, path: Path) -> int:
    """The analyst's summary grid: ``row_kind`` participant or case (a site),
    ``theme_kind`` code or dimension; ``cites`` names ``TRANSCRIPT|CODE`` pairs (``;``
    between them), each citing the author's codings of that code in that transcript."""
    rows = _rows(path)
    for number, row in enumerate(rows, start=2):
        project.coder = row["author"]
        cited: list[int] = []
        for pair in (row.get("cites") or "").split(";"):
            if not pair.strip():
                continue
            transcript, _sep, code = pair.partition("|")
            found = [c.id for c in project.coding.codings(transcript=transcript.strip(), code=code.strip(),
                                                            coder=row["author"])]
            if not found:
                raise QualcodeError(f"{path.name} row {number}: no coding of {code!r} in {transcript!r} to cite")
            cited.extend(found)
        project.summaries.set(row["row"], row["wave"], row["theme"], row["summary"],
                              case=row["row_kind"] == "case", dimension=row["theme_kind"] == "dimension",
                              cite=cited)
    return len(rows)
