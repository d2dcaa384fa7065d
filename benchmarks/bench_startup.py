"""Benchmark: start-up of short commands against a bare interpreter, in one run.

Times whole processes, each started many times and interleaved round by round (so that a
burst of load on a shared machine hits every command alike): ``python -c pass``,
``qualcode status``, ``qualcode log`` and ``qualcode --help`` on a small project, after
one warm-up run of each (the bytecode cache is written then). Prints the median and the
fastest run of each, and the median's ratio to ``python -c pass``.

With ``--baseline DIR`` the same commands also run on another source tree of qualcode
(for example ``git archive main | tar -x -C DIR``), put first on the import path, so that
before and after are measured side by side in the same run.

Goal: ``qualcode status`` <= 120 ms, or <= 6x ``python -c pass`` in the same run.

    python benchmarks/bench_startup.py [--repeat 15] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS, TARGET_RATIO = 0.120, 6.0
# What the `qualcode` console script runs.
ENTRY = "from qualcode.cli import main; main()"


def make_project(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from qualcode import Project

    path = folder / "startup.qualcode"
    path.unlink(missing_ok=True)
    with Project.create(path, title="start-up benchmark") as project:
        project.study.add_participant("P01")
        project.study.add_wave("W1")
    return path


def commands(project: Path) -> dict[str, list[str]]:
    python = [sys.executable]
    return {
        "python -c pass": [*python, "-c", "pass"],
        "qualcode status": [*python, "-c", ENTRY, "-p", str(project), "status"],
        "qualcode log": [*python, "-c", ENTRY, "-p", str(project), "log"],
        "qualcode --help": [*python, "-c", ENTRY, "--help"],
    }


def run_once(command: list[str], env: dict[str, str], cwd: Path) -> float:
    # (Run in the project's folder: `-c` puts the working folder first on the import path,
    # and a checkout there would shadow the tree being timed.)
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> dict[str, dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="another qualcode source tree to time side by side")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="make the project in DIR and keep it")
    args = parser.parse_args(argv)
    env = {**os.environ, "QUALCODE_CODER": "bench"}
    env.pop("PYTHONPATH", None)
    variants = {"": env}
    if args.baseline:
        variants["baseline "] = {**env, "PYTHONPATH": str(args.baseline.resolve())}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        project = make_project(folder)
        jobs = {f"{label}{name}": (command, variant_env)
                for label, variant_env in variants.items()
                for name, command in commands(project).items()
                if not (label and name == "python -c pass")}
        for command, job_env in jobs.values():
            run_once(command, job_env, folder)  # warm-up: the bytecode cache, the page cache
        times: dict[str, list[float]] = {name: [] for name in jobs}
        for _ in range(args.repeat):
            for name, (command, job_env) in jobs.items():
                times[name].append(run_once(command, job_env, folder))
    bare = statistics.median(times["python -c pass"])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    figures: dict[str, dict[str, float]] = {}
    for name, runs in times.items():
        median = statistics.median(runs)
        figures[name] = {"median": median, "fastest": min(runs), "ratio": median / bare}
        print(f"{name:<28} median {median * 1000:6.1f} ms  fastest {min(runs) * 1000:6.1f} ms  "
              f"x{median / bare:4.1f} python -c pass")
    status = figures["qualcode status"]
    verdict = "ok" if status["median"] <= TARGET_SECONDS or status["ratio"] <= TARGET_RATIO else "MISSED"
    print(f"target qualcode status <= {TARGET_SECONDS * 1000:.0f} ms or <= x{TARGET_RATIO:.0f} python -c pass: "
          f"{status['median'] * 1000:.1f} ms, x{status['ratio']:.1f} {verdict} "
          f"({args.repeat} runs each; load average {load:.1f})")
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
