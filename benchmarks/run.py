"""The benchmark suite: every benchmark at the chosen sizes, with the qc peer side by side.

    python benchmarks/run.py [--size small|medium|large|all] [--json FILE]
                             [--peer/--no-peer] [--peer-timeout S]
                             [--peer-crosstab-sizes small[,medium]] [--remeasure-peer]
                             [--goals-only] [--profile DIR]

For each size it generates a synthetic study (``generate.py``), then runs, each in its
own child process (so that each has its own peak RSS, read from ``wait4``):

* on the generated corpus (each operation and qc's import and stats three times at the
  small size, the median kept): ``import`` (Project.create + import_manifest), ``load
  codings`` (codebook + one bulk insert), ``stats`` (codes with counts),
  ``cooccurrence`` (turn scope, all coders pooled), ``cube``, ``agreement`` (two coders,
  per character), ``REFI export`` and ``REFI import``; then ``cooccur CLI``: the real
  command a user runs, ``qualcode -p study.qualcode cooccur --scope turn -o FILE.csv``
  (coders pooled), whole process with its start-up, median of five after a warm-up run;
* the other benchmark scripts (``bench_startup``, ``bench_bulk_load`` at two sizes a
  tenfold apart, ``bench_ingest`` with one process, ``bench_coding``, ``bench_tui``,
  ``bench_live``, ``bench_analysis``, ``bench_agreement``, ``bench_refi`` on the study of
  this run, ``bench_export``) with size arguments;
* with ``--peer`` (the default), the qc tool (PyPI ``qualitative-coding``) in its own
  virtual environment under ``.bench/peer-venv`` (made on first use, then reused):
  ``qc corpus import --importer verbatim``, ``qc codes stats`` and ``qc codes crosstab``
  (the crosstab only at ``--peer-crosstab-sizes``, default small, capped at
  ``--peer-timeout`` seconds). The same codings are written into qc's SQLite database
  in the shape qc writes them, and checked against ``qc codes stats``. qc's crosstab
  takes about 15 minutes at medium, so its figure is cached in ``.bench/peer-cache.json``,
  keyed by qc's version, the size, the generated study's spec (seed included) and the
  machine (host, processor, cores); a cached figure is reused and said so, with when it
  was measured (``--remeasure-peer`` measures again). qualcode is always measured fresh.

At the end a goal table: one row per goal of issue 25 (start-up, TUI keys, first paint,
co-occurrence against the two-scan baseline and against qc's crosstab through the CLI,
the REFI-QDA round trip, bulk loading, import), each with our figure, its baseline from
the same run, the goal and a verdict: met, NOT MET, or not measured at this size (a goal
set at 1M codings is not judged at 10k; see ``goals.py``). ``--json`` carries it
(``goals``). ``--goals-only`` runs just what the goals need, each at the size its goal is
set at: the study at medium (generated, imported and loaded once, then reused) for the
CLI co-occurrence and qc's (cached) crosstab; ``bench_startup``; ``bench_tui`` at 1M
characters; ``bench_analysis`` at 1M codings; ``bench_bulk_load`` at 100k and 1M;
``bench_ingest`` at 1M words with one process; ``bench_refi`` on the large study (built
once under ``.bench/refi-data``).

"time" is the operation itself, measured inside the child; "process" is the child's
whole wall time including start-up. Ratios against qc are qc's process time divided by
ours (both sides pay their start-up), so > 1 means qualcode is faster. "growth" is an
operation's time divided by its time at the previous size.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import goals  # noqa: E402  (beside this file)

ORDER = ("tiny", "small", "medium", "large")

# Arguments of the other benchmark scripts at each size.
SCRIPTS = {
    "bench_startup": {"tiny": ["--repeat", "3"], "small": ["--repeat", "15"],
                      "medium": ["--repeat", "15"], "large": ["--repeat", "15"]},
    # two sizes a tenfold apart: the growth of the time is the linearity goal
    "bench_bulk_load": {"tiny": ["--sizes", "100,1000"], "small": ["--sizes", "1000,10000"],
                        "medium": ["--sizes", "10000,100000"],
                        "large": ["--sizes", "100000,1000000"]},
    "bench_ingest": {  # one process: the import goal is set with --workers 0
        "tiny": ["--words", "3000", "--file-words", "1000", "--workers", "0"],
        "small": ["--words", "40000", "--file-words", "2000", "--workers", "0"],
        "medium": ["--words", "1000000", "--file-words", "5000", "--workers", "0"],
        "large": ["--words", "10000000", "--file-words", "10000", "--workers", "0"],
    },
    "bench_coding": {
        "tiny": ["--codings", "400", "--segments", "150", "--sample", "8", "--turns", "40",
                 "--batch", "150"],
        "small": ["--codings", "10000", "--segments", "2000", "--sample", "50", "--turns", "600"],
        "medium": ["--codings", "100000", "--segments", "10000", "--sample", "100"],
        "large": ["--codings", "1000000", "--segments", "10000", "--sample", "100",
                  "--turns", "20000", "--batch", "20000"],
    },
    "bench_tui": {
        "tiny": ["--chars", "20000", "--codings", "200", "--presses", "3"],
        "small": ["--chars", "100000", "--codings", "1000", "--presses", "20"],
        "medium": ["--chars", "1000000", "--codings", "10000", "--presses", "30"],
        "large": ["--chars", "10000000", "--codings", "100000", "--presses", "30"],
    },
    "bench_live": {
        "tiny": ["--chars", "20000", "--codings", "200", "--rounds", "5"],
        "small": ["--chars", "100000", "--codings", "1000", "--rounds", "10"],
        "medium": ["--chars", "1000000", "--codings", "10000", "--rounds", "20"],
        "large": ["--chars", "10000000", "--codings", "100000", "--rounds", "20"],
    },
    "bench_analysis": {
        "tiny": ["--sizes", "600"],
        "small": ["--sizes", "10000"],
        "medium": ["--sizes", "100000"],
        "large": ["--sizes", "1000000"],
    },
    "bench_agreement": {
        "tiny": ["--chars", "20000"],
        "small": ["--chars", "750000"],
        "medium": ["--chars", "7500000"],
        "large": ["--chars", "75000000"],
    },
    # on the study generated and loaded by this run (--project is added then)
    "bench_refi": {"tiny": [], "small": [], "medium": [], "large": []},
    "bench_export": {
        "tiny": ["--themes", "3", "--quotes", "2", "--participants", "3"],
        "small": ["--themes", "10", "--quotes", "10", "--participants", "7"],
        "medium": ["--themes", "50", "--quotes", "20", "--participants", "30"],
        "large": ["--themes", "100", "--quotes", "20", "--participants", "100"],
    },
}
# One headline figure from each script's output (regex on stdout), shown as a note.
SCRIPT_FIGURE = {
    "bench_startup": (r"^qualcode status +median +([\d.]+ ms) .*?(x[\d.]+)", "qualcode status {} ({} python -c pass)"),
    "bench_bulk_load": (r"^after +([\d,]+ codings) +load +([\d.]+ s) +peak +(\d+ MB)", "bulk load {} in {}, peak {}"),
    "bench_ingest": (r"^import: +([\d,]+ words/s)", "import {}"),
    "bench_coding": (r"^bulk apply: ([\d,]+ codings) .*?\(([\d,]+ codings/s)\)", "bulk apply {} ({})"),
    "bench_tui": (r"^first paint \(text\) +([\d.]+)ms", "first paint {} ms"),
    "bench_live": (r"^commit elsewhere -> drawn here +([\d.]+)ms", "another program's change drawn in {} ms"),
    "bench_analysis": (r"cooccurrence +([\d.]+s)", "co-occurrence (overlap) {}"),
    "bench_agreement": (r"unit=char +([\d.]+ s)", "agreement per character {}"),
    "bench_refi": (r"^  export: ([\d.]+ s).*\n  import: ([\d.]+ s)", "REFI export {}, import {}"),
    "bench_export": (r"^theme summary \.docx: (.*?) \(.* in ([\d.]+ s)", "theme summary .docx, {}: {}"),
}
COMPARED = {"import": "qc corpus import", "stats": "qc codes stats",
            "cooccur-cli": "qc codes crosstab"}
# --goals-only: each goal at the size it is set at (the study itself at GOAL_SIZE, where
# the co-occurrence CLI meets qc's crosstab at 100k codings).
GOAL_SIZE = "medium"
GOAL_OPS = (("import", "import"), ("load codings", "load"))
GOAL_SCRIPTS = {
    "bench_startup": ["--repeat", "15"],
    "bench_tui": SCRIPTS["bench_tui"]["medium"],          # 1M characters
    "bench_analysis": ["--sizes", "1000000"],
    "bench_bulk_load": ["--sizes", "100000,1000000"],     # the growth of a tenfold step
    "bench_ingest": [*SCRIPTS["bench_ingest"]["medium"], "--repeat", "2"],
    "bench_refi": ["--sizes", "large"],                   # --data: built once, then reused
}


# --- child processes ---------------------------------------------------------------------


def run_child(command: list[str], *, timeout: float | None = None, cwd: Path | None = None,
              env: dict | None = None) -> dict:
    """Run a process; wall seconds, peak RSS (MiB, from wait4) and output. On timeout the
    process group is killed and ``timed_out`` is set."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out_f, tempfile.TemporaryFile() as err_f:
        proc = subprocess.Popen(command, stdout=out_f, stderr=err_f, cwd=cwd, env=env,
                                start_new_session=True)
        deadline = start + timeout if timeout else None
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                timed_out = True
                os.killpg(proc.pid, 9)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out_f.seek(0)
        err_f.seek(0)
        stdout = out_f.read().decode("utf-8", "replace")
        stderr = err_f.read().decode("utf-8", "replace")
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": rss,
            "returncode": proc.returncode, "timed_out": timed_out, "stdout": stdout,
            "stderr": stderr}


def run_median(command: list[str], repeat: int, *, before=None, **kwargs) -> dict:
    """``run_child`` ``repeat`` times (calling ``before()`` ahead of each run); the run
    with the median wall time, with every wall time in ``walls`` and the largest peak
    RSS. Stops at the first failure."""
    runs = []
    for _ in range(max(1, repeat)):
        if before:
            before()
        done = run_child(command, **kwargs)
        runs.append(done)
        if done["returncode"] or done["timed_out"]:
            return done
    runs.sort(key=lambda d: d["wall"])
    median = dict(runs[len(runs) // 2])
    median["walls"] = [round(d["wall"], 3) for d in runs]
    median["rss_mb"] = max(d["rss_mb"] for d in runs)
    return median


def _child_result(done: dict) -> dict:
    lines = [item for item in done["stdout"].splitlines() if item.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


# --- our operations, run inside a child --------------------------------------------------


def child(op: str, data: Path, work: Path, profile: str | None) -> dict:
    os.environ.setdefault("QUALCODE_CODER", "anna")
    from qualcode import Project
    from qualcode.records import json_data

    project_path = work / "study.qualcode"
    result: dict = {}
    if profile:
        import cProfile

        profiler = cProfile.Profile()

    def timed(fn):
        if profile:
            profiler.enable()
        t0 = time.perf_counter()
        value = fn()
        result["seconds"] = time.perf_counter() - t0
        if profile:
            profiler.disable()
            profiler.dump_stats(profile)
        return value

    if op == "qc-load":
        # here, not in the parent: a child's peak RSS (wait4) starts from its parent's
        counts = timed(lambda: load_qc_codings(work, data))
        result["counts"] = dict(counts)
        return result
    if op == "import":
        for p in work.glob("study.qualcode*"):
            p.unlink()
        from qualcode.nlp import pipeline

        pipeline()  # qc's start-up loads spaCy too; here it is outside the operation time
        project = Project.create(project_path, title="benchmark")
        report = timed(lambda: project.transcripts.import_manifest(data / "manifest.csv"))
        if report.failures:
            raise SystemExit(f"import failed: {report.failures[:3]}")
        result["detail"] = (f"{len(report.imported)} files, "
                            f"{sum(r.words for r in report.imported):,} words")
        project.close()
        return result
    if op == "refi-import":
        from qualcode.exchange.service import import_refi

        dest = work / "reimported.qualcode"
        for p in work.glob("reimported.qualcode*"):
            p.unlink()
        report = timed(lambda: import_refi(work / "study.qdpx", dest, coder="anna"))
        counts = report.counts
        result["detail"] = ", ".join(f"{k} {v:,}" for k, v in counts.items()
                                     if isinstance(v, int) and k in ("codings", "sources",
                                                                     "transcripts"))
        return result
    project = Project.open(project_path)
    db = project.db
    if op == "load":
        from generate import load_codings

        def load():
            project.codebook.load(data / "codebook.yaml")
            return load_codings(project, data)

        n = timed(load)
        result["detail"] = f"{n:,} codings"
    elif op == "stats":
        codes = timed(project.codebook.codes)
        result["detail"] = f"{len(codes)} codes, {sum(c.codings for c in codes):,} codings"
        result["counts"] = {c.name: c.codings for c in codes if c.codings}
    elif op == "cooccurrence":
        from qualcode.analysis.cooccurrence import cooccurrence

        res = timed(lambda: cooccurrence(db, scope="turn"))
        result["detail"] = f"turn scope, coders pooled: {len(res.pairs):,} pairs"
    elif op == "cube":
        from qualcode.analysis.cube import load_cube

        cube = timed(lambda: load_cube(db))
        result["detail"] = f"{len(cube.cells):,} cells"
    elif op == "agreement":
        from qualcode.analysis import agreement_service

        report = timed(lambda: agreement_service.agreement(project, ["anna", "ben"], unit="char"))
        overall = report.overall
        result["detail"] = f"anna/ben per character: {overall.percent_agreement:.1f}%"
    elif op == "refi-export":
        from qualcode.exchange.refi_export import export_qdpx

        target = work / "study.qdpx"
        target.unlink(missing_ok=True)
        counts = timed(lambda: export_qdpx(project.exchange, target))
        result["detail"] = f"{target.stat().st_size / 1e6:.1f} MB"
        result["detail"] += ", " + ", ".join(f"{k} {v:,}" for k, v in json_data(counts).items()
                                             if isinstance(v, int))[:60]
    else:
        raise SystemExit(f"unknown operation {op}")
    project.close()
    return result


OUR_OPS = [("import", "import"), ("load codings", "load"), ("stats", "stats"),
           ("cooccurrence", "cooccurrence"), ("cube", "cube"), ("agreement", "agreement"),
           ("REFI export", "refi-export"), ("REFI import", "refi-import")]


def cli_cooccur(project: Path, env: dict, repeat: int = 5) -> dict:
    """``qualcode cooccur --scope turn -o FILE.csv`` as a user runs it (coders pooled):
    the whole process, the median of ``repeat`` runs after one warm-up run (which writes
    the bytecode cache, as any earlier command would have)."""
    exe = Path(sys.executable).parent / "qualcode"
    command = [*([str(exe)] if exe.exists() else [sys.executable, "-m", "qualcode"]),
               "-p", str(project), "cooccur", "--scope", "turn", "-o",
               str(project.parent / "cooccur-turn.csv")]
    run_child(command, env=env)
    done = run_median(command, repeat, env=env)
    if done["returncode"]:
        raise SystemExit(f"qualcode cooccur failed: {done['stderr'][-500:]}")
    return done


# --- the qc peer ------------------------------------------------------------------------


def peer_venv(cache: Path, log) -> Path:
    venv = cache / "peer-venv"
    qc = venv / "bin" / "qc"
    if qc.exists():
        return qc
    log(f"creating {venv} and installing qualitative-coding (once)")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                    "qualitative-coding"], check=True)
    return qc


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """qc's paragraph index (helpers.iter_paragraph_lines, over the file's lines)."""
    result, p_start, in_ws, i = [], 0, False, -1
    for i, line in enumerate(io.StringIO(text)):
        if line.strip() == "":
            in_ws = True
        elif in_ws:
            result.append((p_start, i))
            p_start, in_ws = i, False
    result.append((p_start, i + 1))
    return result


def load_qc_codings(project: Path, data: Path) -> Counter:
    """Write the generated codings into qc's database exactly as qc's editor path does:
    one ``coded_line`` per (document, coder, code, line), linked to the paragraph
    ``location`` holding the line; ``code`` and ``coder`` rows; the used codes in
    codebook.yaml. Returns the expected ``qc codes stats`` count per code."""
    from generate import read_codings

    db = sqlite3.connect(project / "qualitative_coding.sqlite3")
    locations: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for loc_id, start, end, doc in db.execute(
            "SELECT l.id, l.start_line, l.end_line, i.document_id FROM location l "
            "JOIN document_index i ON i.id = l.document_index_id WHERE i.name = 'paragraphs' "
            "ORDER BY i.document_id, l.start_line"):
        locations[doc].append((start, end, loc_id))
    import bisect

    starts = {doc: [s for s, _, _ in locs] for doc, locs in locations.items()}
    seen = set()
    lines, links = [], []
    counts: Counter = Counter()
    coders, codes = set(), set()
    next_id = 1
    for file, coder, code, a, b in read_codings(data):
        doc = Path(file).name
        for line in range(a, b):
            key = (doc, coder, code, line)
            if key in seen:
                continue
            seen.add(key)
            k = bisect.bisect_right(starts[doc], line) - 1
            s, e, loc = locations[doc][k]
            assert s <= line < e, (doc, line)
            lines.append((next_id, line, coder, code))
            links.append((next_id, loc))
            next_id += 1
            counts[code] += 1
            coders.add(coder)
            codes.add(code)
    with db:
        db.executemany("INSERT INTO coder (name) VALUES (?)", [(c,) for c in sorted(coders)])
        db.executemany("INSERT INTO code (name) VALUES (?)", [(c,) for c in sorted(codes)])
        db.executemany("INSERT INTO coded_line (id, line, coder_id, code_id) VALUES (?, ?, ?, ?)",
                       lines)
        db.executemany("INSERT INTO coded_line_location_association (coded_line_id, location_id) "
                       "VALUES (?, ?)", links)
    db.close()
    (project / "codebook.yaml").write_text("".join(f"- {c}\n" for c in sorted(codes)),
                                           encoding="utf-8")
    return counts


def _qc_stats_counts(output: str) -> dict[str, int]:
    counts = {}
    for line in output.splitlines():
        m = re.match(r"^\s*(\S+)\s+(\d+)\s*$", line)
        if m:
            counts[m.group(1)] = int(m.group(2))
    return counts


def run_peer(size: str, data: Path, cache: Path, args, log, repeat: int = 1) -> dict:
    """The qc side: timings of import, stats and (maybe) crosstab, whole process (import
    and stats: the median of ``repeat`` runs, each import into a fresh project)."""
    qc = peer_venv(cache, log)
    project = cache / "peer" / size
    out: dict = {}
    if args.goals_only and size in args.peer_crosstab_sizes and not args.remeasure_peer:
        cached = cached_crosstab(qc, size, data, cache)
        if cached:  # the goals need only the crosstab: qc's import and stats are skipped
            return {"crosstab": announce_cached(cached, size, log)}

    def fresh() -> None:
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        done = run_child([str(qc), "init"], cwd=project)
        if done["returncode"]:
            raise SystemExit(f"qc init failed: {done['stderr'][-500:]}")

    done = run_median([str(qc), "corpus", "import", "--importer", "verbatim", "--recursive",
                       str(data / "corpus")], repeat, before=fresh, cwd=project)
    if done["returncode"]:
        raise SystemExit(f"qc corpus import failed: {done['stderr'][-500:]}")
    out["import"] = done
    done = run_child([sys.executable, str(HERE / "run.py"), "--child", "qc-load", "--data",
                      str(data), "--work", str(project)])
    if done["returncode"]:
        raise SystemExit(f"loading the codings into qc failed: {done['stderr'][-1000:]}")
    loaded = _child_result(done)
    expected = loaded["counts"]
    out["load_seconds"] = loaded["seconds"]
    done = run_median([str(qc), "codes", "stats"], repeat, cwd=project)
    if done["returncode"]:
        raise SystemExit(f"qc codes stats failed: {done['stderr'][-500:]}")
    got = _qc_stats_counts(done["stdout"])
    out["stats"] = done
    out["stats_check"] = got == expected
    out["coded_lines"] = sum(expected.values())
    if not out["stats_check"]:
        log(f"warning: qc codes stats disagrees with the inserted counts "
            f"({sum(got.values()):,} vs {out['coded_lines']:,})")
    if size in args.peer_crosstab_sizes:
        out["crosstab"] = peer_crosstab(qc, project, size, data, cache, args, log)
    return out


def cached_crosstab(qc: Path, size: str, data: Path, cache: Path) -> dict | None:
    """qc's crosstab figure for this study, qc version and machine, if one is cached."""
    from peer_cache import PeerCache, cache_key, machine

    spec = json.loads((data / "study.json").read_text(encoding="utf-8"))["spec"]
    return PeerCache(cache / "peer-cache.json").get(
        cache_key("crosstab", qc_version(qc), size, spec, machine()))


def announce_cached(cached: dict, size: str, log) -> dict:
    log(f"  qc codes crosstab at {size}: CACHED figure {cached['wall']:.1f} s "
        f"(CPU {cached.get('cpu', float('nan')):.1f} s), measured {cached['measured_at']} "
        f"(qc {cached.get('qc', '?')}; --remeasure-peer to measure again)")
    return {**cached, "cached": True, "returncode": 0, "stdout": "", "stderr": ""}


def qc_version(qc: Path) -> str:
    done = subprocess.run([str(qc.parent / "python"), "-c", "import importlib.metadata as m; "
                           "print(m.version('qualitative-coding'))"],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def peer_crosstab(qc: Path, project: Path, size: str, data: Path, cache: Path, args,
                  log) -> dict:
    """qc's crosstab, whole process, from the cache when the same qc version measured the
    same study on this machine before (unless --remeasure-peer); a fresh figure is stored."""
    from peer_cache import PeerCache, cache_key, machine

    spec = json.loads((data / "study.json").read_text(encoding="utf-8"))["spec"]
    version = qc_version(qc)
    key = cache_key("crosstab", version, size, spec, machine())
    store = PeerCache(cache / "peer-cache.json")
    cached = None if args.remeasure_peer else store.get(key)
    if cached:
        return announce_cached(cached, size, log)
    log(f"  qc codes crosstab at {size} (cap {args.peer_timeout:.0f} s) ...")
    load_before = os.getloadavg()[0]
    done = run_child([str(qc), "codes", "crosstab", "-o", "crosstab.csv"], cwd=project,
                     timeout=args.peer_timeout)
    if done["returncode"] and not done["timed_out"]:
        raise SystemExit(f"qc codes crosstab failed: {done['stderr'][-500:]}")
    if not done["timed_out"]:
        entry = store.put(key, {"wall": round(done["wall"], 2), "cpu": round(done["cpu"], 2),
                                "rss_mb": done["rss_mb"],
                                "timed_out": False, "qc": version, "size": size,
                                "load_before": round(load_before, 2),
                                "load_after": round(os.getloadavg()[0], 2)})
        done = {**done, "measured_at": entry["measured_at"]}
    return {**done, "cached": False}


# --- the run -----------------------------------------------------------------------------


def compare_with_qc(rows: list[dict], ours: dict, size: str) -> dict:
    """qc's process time / ours for each operation both sides ran at ``size``."""
    size_ratios = {}
    for op, qc_op in COMPARED.items():
        qc_row = next((x for x in rows if x["operation"] == qc_op and x["size"] == size), None)
        our = ours.get(op)
        if (our is None or qc_row is None or not our["process_seconds"]
                or qc_row["process_seconds"] is None):
            continue
        ratio = qc_row["process_seconds"] / our["process_seconds"]
        key = "crosstab" if op == "cooccur-cli" else op
        our[f"{key}_vs_qc_ratio"] = round(ratio, 2)
        qc_row[f"{key}_vs_qc_ratio"] = round(ratio, 2)
        if qc_row.get("capped"):
            our["note"] += " (qc stopped at its cap: ratio is a lower bound)"
        size_ratios[f"{key}_vs_qc_ratio"] = round(ratio, 2)
    return size_ratios


def run_scripts(size: str, project: Path, args, env: dict, add, goal_figures: dict,
                log) -> None:
    """The bench_*.py scripts at ``size`` (with --goals-only: those the goals need, each at
    its goal's size); their headline figures as rows, their goal figures parsed."""
    scripts = GOAL_SCRIPTS if args.goals_only else {k: v[size] for k, v in SCRIPTS.items()}
    for script, script_args in scripts.items():
        extra: list[str] = []
        if script == "bench_refi":
            if args.goals_only:
                extra = ["--data", str(args.cache / "refi-data")]
            elif project.exists():
                extra = ["--project", str(project)]
            else:
                continue
        log(f"  {script} {' '.join(script_args + extra)}")
        with tempfile.TemporaryDirectory(prefix="qualcode-bench-") as tmp:
            if script not in ("bench_tui", "bench_live"):
                extra += ["--keep", tmp]
            done = run_child([sys.executable, str(HERE / f"{script}.py"), *script_args, *extra],
                             env=env, timeout=args.script_timeout)
        label = size if not args.goals_only else "goal"
        if done["returncode"] or done["timed_out"]:
            note = "TIMED OUT" if done["timed_out"] else "FAILED: " + (
                done["stderr"].strip().splitlines() or ["?"])[-1][:80]
            add(script, label, None, done["wall"], done["rss_mb"], note)
            continue
        pattern, text = SCRIPT_FIGURE[script]
        m = re.search(pattern, done["stdout"], re.M)
        add(script, label, done["wall"], done["wall"], done["rss_mb"],
            text.format(*m.groups()) if m else "", args=" ".join(script_args))
        if script in goals.PARSERS:
            source, parse = goals.PARSERS[script]
            figure = parse(done["stdout"])
            if figure:
                goal_figures[source][size] = figure


def pick_goal_figures(goal_figures: dict[str, dict[str, dict]]) -> dict[str, dict]:
    """One figure per goal source: the CLI co-occurrence at the goal's size (100k
    codings, medium) when it was measured, else every source at its largest size."""
    picked = {}
    for source, by_size in goal_figures.items():
        if source == "cooc_qc" and GOAL_SIZE in by_size:
            picked[source] = by_size[GOAL_SIZE]
        elif by_size:
            picked[source] = by_size[max(by_size, key=ORDER.index)]
    return picked


def render_goals(rows: list, console, *, markdown: bool = False) -> None:
    columns = ("goal", "ours", "baseline (same run)", "goal set", "verdict", "note")
    cells = [(r.goal, r.ours, r.baseline, r.target, r.verdict, r.note) for r in rows]
    if markdown:
        print("| " + " | ".join(columns) + " |")
        print("|" + "|".join("---" for _ in columns) + "|")
        for row in cells:
            print("| " + " | ".join(c.replace("|", "/") for c in row) + " |")
        return
    from rich.table import Table

    table = Table(title="goals of issue 25")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in cells:
        style = {"met": "green", "NOT MET": "bold red"}.get(row[4], "yellow")
        table.add_row(*row[:4], f"[{style}]{row[4]}[/{style}]", row[5])
    console.print(table)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load:
        console.print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on "
                      f"{os.cpu_count()} CPUs (wall times grow with the load)", highlight=False)


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def add_growth(rows: list[dict]) -> list[dict]:
    """Growth ratio (time / time at the previous size) of each row; rows ordered by
    operation, then size."""
    by_key = {(r["operation"], r["size"]): r for r in rows}
    for r in rows:
        if r["size"] not in ORDER:  # (--goals-only: a script at its goal's own size)
            continue
        i = ORDER.index(r["size"])
        prev = next((by_key[(r["operation"], s)] for s in reversed(ORDER[:i])
                     if (r["operation"], s) in by_key), None)
        if prev and prev["seconds"] and r["seconds"]:
            r["growth"] = round(r["seconds"] / prev["seconds"], 2)
    first = {}
    for r in rows:
        first.setdefault(r["operation"], len(first))
    return sorted(rows, key=lambda r: (first[r["operation"]], ORDER.index(r["size"])
                                       if r["size"] in ORDER else len(ORDER)))


LEGEND = ("time: the operation inside its process; process: whole process wall time (start-up "
          "included); qc/ours: qc's process time / ours (> 1: qualcode faster); growth: time / "
          "time at the previous size (each size is about 10x the previous one).")


def render(rows: list[dict], console, *, peer: bool, markdown: bool = False) -> None:
    rows[:] = add_growth(rows)
    columns = ("operation", "size", "time", "process", "peak RSS", "growth", "qc/ours", "note")
    cells = []
    for r in rows:
        ratio = next((v for k, v in r.items() if k.endswith("_vs_qc_ratio")), None)
        cells.append((r["operation"], r["size"], fmt_time(r["seconds"]),
                      fmt_time(r["process_seconds"]),
                      f"{r['peak_rss_mb']:.0f} MiB" if r["peak_rss_mb"] else "-",
                      f"x{r['growth']:.1f}" if r.get("growth") else "",
                      f"{ratio:.1f}x" if ratio else "", r["note"]))
    if markdown:
        print("| " + " | ".join(columns) + " |")
        print("|" + "|".join("---" if c in ("operation", "size", "note") else "--:"
                             for c in columns) + "|")
        for row in cells:
            print("| " + " | ".join(c.replace("|", "/") for c in row) + " |")
        return
    from rich.table import Table

    table = Table(title="qualcode benchmarks" + (" (qc side by side)" if peer else ""))
    for column in columns:
        table.add_column(column, justify="left" if column in ("operation", "size", "note")
                         else "right", overflow="fold")
    for row in cells:
        table.add_row(*row)
    console.print(table)
    console.print(LEGEND, highlight=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=(*ORDER, "all"),
                        help="small, medium, large or all (tiny: smoke tests)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--peer", action=argparse.BooleanOptionalAction, default=True,
                        help="measure qc side by side (default: yes)")
    parser.add_argument("--peer-timeout", type=float, default=600.0, metavar="S",
                        help="cap on qc's crosstab, seconds (default 600)")
    parser.add_argument("--peer-crosstab-sizes", default="small",
                        help="sizes at which qc's crosstab runs (default: small)")
    parser.add_argument("--goals-only", action="store_true",
                        help="run only what the goals of issue 25 need, each at its size "
                             "(the study at medium, reused between runs; --size is ignored)")
    parser.add_argument("--remeasure-peer", action="store_true",
                        help="measure qc's crosstab again instead of using its cached figure")
    parser.add_argument("--cache", type=Path, default=ROOT / ".bench",
                        help="data, projects and the peer's venv (default .bench/)")
    parser.add_argument("--ours", action=argparse.BooleanOptionalAction, default=True,
                        help="run our operations on the generated study (default: yes)")
    parser.add_argument("--scripts", action=argparse.BooleanOptionalAction, default=True,
                        help="also run the bench_*.py scripts (default: yes)")
    parser.add_argument("--script-timeout", type=float, default=3600.0)
    parser.add_argument("--repeat", type=int, default=None, metavar="N",
                        help="run each of our operations and qc's import and stats N times "
                             "and keep the median (default: 3 at tiny and small, else 1)")
    parser.add_argument("--profile", metavar="DIR", help="cProfile each of our operations")
    parser.add_argument("--render", nargs="+", metavar="JSON",
                        help="only print the table of earlier --json files (merged)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.data, args.work,
                               args.profile or None)))
        return 0
    if args.render:
        from rich.console import Console

        rows = [r for f in args.render for r in json.loads(Path(f).read_text())["results"]]
        for r in rows:
            r.pop("growth", None)
        render(rows, Console(width=None if sys.stdout.isatty() else 200), peer=True,
               markdown=args.markdown)
        return 0
    args.peer_crosstab_sizes = {s.strip() for s in args.peer_crosstab_sizes.split(",")}
    sizes = ["small", "medium", "large"] if args.size == "all" else [args.size]
    if args.goals_only:
        sizes = [GOAL_SIZE]
        args.peer_crosstab_sizes.add(GOAL_SIZE)
        args.peer_timeout = max(args.peer_timeout, 3600.0)  # ~15 min on an idle machine
    started = time.perf_counter()

    from rich.console import Console
    console = Console(width=None if sys.stdout.isatty() else 200)
    log = lambda msg: console.print(msg, highlight=False)  # noqa: E731

    args.cache.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    studies: dict[str, dict] = {}
    ratios: dict[str, dict] = {}
    env = dict(os.environ, QUALCODE_CODER="anna", PYTHONPATH=str(ROOT))
    # The goals hold "with a bytecode cache", as a user's installation has one: a setting
    # that stops Python writing it would time the compiling of every module on each start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def add(operation, size, seconds, process, rss, note="", tool="qualcode", **extra):
        rows.append({"operation": operation, "size": size, "tool": tool, "seconds": seconds,
                     "process_seconds": process, "peak_rss_mb": rss, "note": note, **extra})
        return rows[-1]

    goal_figures: dict[str, dict[str, dict]] = defaultdict(dict)  # source -> size -> figure
    for size in sizes:
        data = args.cache / "data" / size
        work = args.cache / "work" / size
        project = work / "study.qualcode"
        # --goals-only keeps the study and its project between runs (same seed, same study)
        reuse = args.goals_only and (data / "study.json").exists() and project.exists()
        if not reuse:
            shutil.rmtree(data, ignore_errors=True)
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            log(f"[bold]{size}[/bold]: generating the study")
            done = run_child([sys.executable, str(HERE / "generate.py"), str(data), "--size", size])
            if done["returncode"]:
                raise SystemExit(f"generate.py failed:\n{done['stderr'][-2000:]}")
        study = json.loads((data / "study.json").read_text())
        studies[size] = study
        if not reuse:
            add("generate", size, study["seconds"], done["wall"], done["rss_mb"],
                f"{study['transcripts']} transcripts, {study['words']:,} words, "
                f"{study['codings']:,} codings, {study['codes']} codes")
        repeat = args.repeat or (3 if size in ("tiny", "small") else 1)
        ours = {}
        operations = (GOAL_OPS if args.goals_only else OUR_OPS) if args.ours else ()
        for label, op in () if reuse else operations:
            log(f"  {label}")
            command = [sys.executable, str(HERE / "run.py"), "--child", op, "--data", str(data),
                       "--work", str(work)]
            if args.profile:
                Path(args.profile).mkdir(parents=True, exist_ok=True)
                command += ["--profile", str(Path(args.profile) / f"{size}-{op}.prof")]
            done = run_median(command, 1 if op == "load" else repeat, env=env)
            if done["returncode"]:
                log(f"[red]  {label} failed[/red]: {done['stderr'][-600:]}")
                last = (done["stderr"].strip().splitlines() or ["?"])[-1]
                add(label, size, None, done["wall"], done["rss_mb"], f"FAILED: {last[:120]}")
                continue
            result = _child_result(done)
            ours[op] = add(label, size, result.get("seconds"), done["wall"], done["rss_mb"],
                           result.get("detail", ""), runs=done.get("walls"))
            if op == "stats":
                ours["_counts"] = result.get("counts", {})
        if args.ours and project.exists():
            log("  qualcode cooccur --scope turn -o FILE.csv (the CLI, whole process)")
            done = cli_cooccur(project, env)
            ours["cooccur-cli"] = add(
                "cooccur CLI", size, None, done["wall"], done["rss_mb"],
                f"turn scope, coders pooled, to CSV; CPU {done['cpu']:.2f} s; "
                f"{study['codings']:,} codings", runs=done.get("walls"), cpu=done["cpu"])
        if args.peer:
            log("  qc (peer)")
            peer = run_peer(size, data, args.cache, args, log, repeat)
            if "import" in peer:
                r = peer["import"]
                add("qc corpus import", size, r["wall"], r["wall"], r["rss_mb"],
                    "--importer verbatim, whole process", tool="qc")
                r = peer["stats"]
                add("qc codes stats", size, r["wall"], r["wall"], r["rss_mb"],
                    f"{peer['coded_lines']:,} coded lines inserted directly "
                    f"({peer['load_seconds']:.1f} s); counts "
                    f"{'match' if peer['stats_check'] else 'DIFFER'}", tool="qc")
            if "crosstab" in peer:
                r = peer["crosstab"]
                capped = r["timed_out"]
                note = (f"NOT FINISHED, stopped at the {args.peer_timeout:.0f} s cap" if capped
                        else "line level, coders pooled")
                if r.get("cached"):
                    note += f"; CACHED figure measured {r['measured_at']}"
                if r.get("cpu") is not None:
                    note += f"; CPU {r['cpu']:.0f} s"
                add("qc codes crosstab", size, None if capped else r["wall"], r["wall"],
                    r["rss_mb"], note, tool="qc", capped=capped, cached=r.get("cached", False),
                    measured_at=r.get("measured_at"), cpu=r.get("cpu"))
            else:
                add("qc codes crosstab", size, None, None, None,
                    "not run at this size (quadratic in codes; --peer-crosstab-sizes)", tool="qc")
            ratios[size] = compare_with_qc(rows, ours, size)
        if "cooccur-cli" in ours:
            qc_row = next((x for x in rows if x["operation"] == "qc codes crosstab"
                           and x["size"] == size), None)
            goal_figures["cooc_qc"][size] = {
                "codings": study["codings"], "ours_s": ours["cooccur-cli"]["process_seconds"],
                "qc_s": qc_row["process_seconds"] if qc_row else None,
                "qc_cached": qc_row.get("measured_at") if qc_row and qc_row.get("cached") else None,
                "qc_capped": bool(qc_row and qc_row.get("capped"))}
        if args.scripts:
            run_scripts(size, project, args, env, add, goal_figures, log)

    goal_rows = goals.evaluate(pick_goal_figures(goal_figures))
    rows[:] = add_growth(rows)
    if args.json:  # first: a long run's figures are kept even if drawing fails
        machine = {"python": platform.python_version(), "platform": platform.platform(),
                   "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine()}
        doc = {"machine": machine, "sizes": sizes, "studies": studies, "results": rows,
               "ratios": ratios, "goals": goals.as_json(goal_rows),
               "goal_figures": pick_goal_figures(goal_figures)}
        for size, values in ratios.items():
            for key, value in values.items():
                doc.setdefault(key, value) if size == sizes[0] else None
        Path(args.json).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        log(f"wrote {args.json}")
    render(rows, console, peer=args.peer, markdown=args.markdown)
    render_goals(goal_rows, console, markdown=args.markdown)
    log(f"whole run: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
