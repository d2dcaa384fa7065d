"""Benchmark: REFI-QDA export and re-import of a synthetic study, time and peak memory.

    python benchmarks/bench_refi.py [--sizes small,medium,large] [--data DIR] [--keep DIR]
                                    [--project FILE] [--repeat N] [--notes N]

For each size it builds the study of ``generate.py`` (``--data DIR`` keeps the generated
studies and projects there, so a second run reuses them; building is not timed), then
runs, each in its own child process so that each has its own peak RSS (read from
``wait4``):

* ``export``: ``export_qdpx`` of the project (the .qde written and validated against
  Project.xsd, the texts zipped);
* ``import``: ``import_qdpx`` of that .qdpx into a new project.

It prints the time of each operation (measured inside the child), its peak RSS and the
size of the .qdpx, and checks that the re-imported project holds the same numbers of
participants, waves, transcripts, codes, codings and memos as the original. ``--project
FILE`` benchmarks an existing project instead of a generated one. Goal (issue 25): the
large study (1,000 transcripts, 10M words, about 1M codings) exports and re-imports with
identical counts, each under 500 MB peak RSS.

``--notes N`` imports instead a .qdpx written here of one source and N notes (memos), each
referred to from the project, as other programs write them: a project document of many
small elements (600,000 notes make about 100 MB of XML).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

GOAL_MIB = 500
COMPARED = ("participants", "waves", "transcripts", "codes", "codings", "memos")


def _child(op: str, project: Path, qdpx: Path, back: Path) -> dict:
    """One operation, in this (child) process; its figures as a dict."""
    os.environ.setdefault("QUALCODE_CODER", "anna")
    from qualcode import Project
    from qualcode.records import json_data
    from qualcode.store import study as store_study

    if op == "export":
        from qualcode.exchange.refi_export import export_qdpx

        qdpx.unlink(missing_ok=True)
        with Project.open(project) as opened:
            t0 = time.perf_counter()
            counts = export_qdpx(opened.exchange, qdpx)
            seconds = time.perf_counter() - t0
            stored = store_study.counts(opened.db)
        return {"seconds": seconds, "written": json_data(counts), "stored": stored, "bytes": qdpx.stat().st_size}
    from qualcode.exchange.refi_import import import_qdpx

    for stale in back.parent.glob(back.name + "*"):
        stale.unlink()
    t0 = time.perf_counter()
    report = import_qdpx(qdpx, back)
    seconds = time.perf_counter() - t0
    with Project.open(back) as opened:
        stored = store_study.counts(opened.db)
    return {"seconds": seconds, "stored": stored, "warnings": len(report.warnings),
            "dropped": dict(report.dropped)}


def _notes_qdpx(path: Path, notes: int) -> None:
    """A .qdpx of one source and ``notes`` notes, written piece by piece."""
    import uuid
    import zipfile

    source = str(uuid.uuid4())
    guids = [str(uuid.UUID(int=i + 1, version=4)) for i in range(notes)]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("project.qde", "w") as qde:
            qde.write(b'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
                      b'name="notes" origin="bench">')
            qde.write(f'<Sources><TextSource guid="{source}" name="s" plainTextPath="internal://{source}.txt"/>'
                      "</Sources><Notes>".encode())
            for i, guid in enumerate(guids):
                qde.write(f'<Note guid="{guid}" name="Note {i}" creationDateTime="2024-01-01T00:00:00Z">'
                          f"<PlainTextContent>Memo {i}: the participant returns to the same worry."
                          "</PlainTextContent></Note>\n".encode())
            qde.write(b"</Notes>")
            for guid in guids:
                qde.write(f'<NoteRef targetGUID="{guid}"/>\n'.encode())
            qde.write(b"</Project>")
        archive.writestr(f"sources/{source}.txt", "Interviewer: hello\n\nP01: hi there\n")


def _run(op: str, project: Path, qdpx: Path, back: Path) -> dict:
    from run import run_child

    done = run_child([sys.executable, str(Path(__file__).resolve()), "--child", op, str(project),
                      str(qdpx), str(back)])
    if done["returncode"]:
        last = (done["stderr"].strip().splitlines() or ["?"])[-1]
        return {"failed": last[:200], "rss_mb": done["rss_mb"], "wall": done["wall"]}
    lines = [line for line in done["stdout"].splitlines() if line.startswith("{")]
    return {**json.loads(lines[-1]), "rss_mb": done["rss_mb"], "wall": done["wall"]}


def _project_for(size: str, data: Path) -> Path:
    """The generated study of ``size`` under ``data``, built on first use."""
    import generate

    project = data / f"{size}.qualcode"
    if not project.exists():
        folder = data / size
        if not (folder / "study.json").exists():
            generate.generate(folder, generate.SIZES[size])
        generate.build_project(folder, project)
    return project


def _median(runs: list[dict]) -> dict:
    ok = [r for r in runs if "failed" not in r]
    if len(ok) < len(runs):
        return next(r for r in runs if "failed" in r)
    ok.sort(key=lambda r: r["seconds"])
    chosen = dict(ok[len(ok) // 2])
    chosen["rss_mb"] = max(r["rss_mb"] for r in ok)
    chosen["all_seconds"] = [round(r["seconds"], 2) for r in ok]
    return chosen


def measure(label: str, project: Path, work: Path, repeat: int) -> dict:
    qdpx, back = work / f"{label}.qdpx", work / f"{label}-back.qualcode"
    export = _median([_run("export", project, qdpx, back) for _ in range(repeat)])
    if "failed" in export:
        return {"label": label, "export": export, "import": {"failed": "not run (the export failed)"}}
    imported = _median([_run("import", project, qdpx, back) for _ in range(repeat)])
    return {"label": label, "export": export, "import": imported}


def _figures(result: dict) -> str:
    if "failed" in result:
        return f"FAILED ({result['failed']})"
    runs = result.get("all_seconds", [])
    spread = f" (runs {', '.join(f'{s:.2f}' for s in runs)})" if len(runs) > 1 else ""
    goal = "ok" if result["rss_mb"] < GOAL_MIB else "OVER"
    return f"{result['seconds']:.2f} s{spread}, peak {result['rss_mb']:.0f} MiB ({goal})"


def report(row: dict) -> list[str]:
    export, imported = row["export"], row["import"]
    lines = [f"{row['label']}:"]
    if "stored" in export:
        s = export["stored"]
        lines.append(f"  study: {s['transcripts']:,} transcripts, {s['codings']:,} codings, "
                     f"{s['codes']:,} codes, {s['memos']:,} memos, {s['participants']:,} participants")
    size = f", .qdpx {export['bytes'] / 1e6:.1f} MB" if "bytes" in export else ""
    lines.append(f"  export: {_figures(export)}{size}")
    lines.append(f"  import: {_figures(imported)}")
    if "stored" in export and "stored" in imported:
        before, after = export["stored"], imported["stored"]
        differ = [f"{k} {before[k]:,} -> {after[k]:,}" for k in COMPARED if before[k] != after[k]]
        lines.append("  counts after the round trip: " + ("identical" if not differ else
                                                          "DIFFER: " + "; ".join(differ)))
        if imported.get("warnings") or imported.get("dropped"):
            lines.append(f"  import warnings {imported['warnings']}, dropped {imported['dropped']}")
    return lines


def _bench_notes(notes: int, work: Path, repeat: int) -> int:
    qdpx = work / f"notes-{notes}.qdpx"
    _notes_qdpx(qdpx, notes)
    print(f"{notes:,} notes: project.qde {_qde_size(qdpx) / 1e6:.1f} MB", flush=True)
    imported = _median([_run("import", qdpx, qdpx, work / "notes-back.qualcode") for _ in range(repeat)])
    print(f"  import: {_figures(imported)}")
    if "stored" in imported:
        print(f"  memos after the import: {imported['stored']['memos']:,}")
    return 0


def _qde_size(qdpx: Path) -> int:
    import zipfile

    with zipfile.ZipFile(qdpx) as archive:
        return archive.getinfo("project.qde").file_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="small", help="comma-separated: tiny, small, medium, large")
    parser.add_argument("--data", type=Path, help="keep generated studies and projects here (reused)")
    parser.add_argument("--keep", type=Path, help="write the .qdpx and re-imported projects here")
    parser.add_argument("--project", type=Path, help="benchmark this project instead of generated ones")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each operation (median kept)")
    parser.add_argument("--notes", type=int, help="import a .qdpx of this many notes instead")
    parser.add_argument("--child", nargs=4, metavar=("OP", "PROJECT", "QDPX", "BACK"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        op, project, qdpx, back = args.child
        print(json.dumps(_child(op, Path(project), Path(qdpx), Path(back))))
        return 0
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-refi-") as tmp:
        data = args.data or Path(tmp) / "data"
        work = args.keep or Path(tmp) / "work"
        data.mkdir(parents=True, exist_ok=True)
        work.mkdir(parents=True, exist_ok=True)
        if args.notes:
            return _bench_notes(args.notes, work, max(1, args.repeat))
        targets = ([(args.project.stem, args.project)] if args.project else
                   [(size, _project_for(size, data)) for size in args.sizes.split(",")])
        for label, project in targets:
            for line in report(measure(label, project, work, max(1, args.repeat))):
                print(line, flush=True)
    if hasattr(os, "getloadavg"):
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
              "(wall time grows with the load; peak memory does not)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
