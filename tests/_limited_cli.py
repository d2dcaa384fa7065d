"""Run the real command line in a child process with a memory limit and a timeout.

The child's address space is capped with ``RLIMIT_AS`` (inherited by any process it
starts), it gets no terminal and no input, and it runs in a session of its own so a
timeout can stop it and whatever it started. Its peak resident memory comes from the
kernel (``wait4``), and includes the children it waited for.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

GB = 1024**3


@dataclass
class Run:
    args: list[str]
    returncode: int | None  # None: stopped at the timeout
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    def describe(self) -> str:
        return (f"qualcode {' '.join(self.args)}: exit {self.returncode}, {self.seconds:.1f} s, "
                f"{self.peak_mb:.0f} MB\nstdout: {self.stdout[-800:]}\nstderr: {self.stderr[-1500:]}")


def run_qualcode(args: list[str], *, cwd: Path | str | None = None, memory: int = GB,
                 timeout: float = 60.0, env: dict | None = None) -> Run:
    """``python -m qualcode ARGS`` under ``memory`` bytes of address space and
    ``timeout`` seconds of wall time."""
    args = [str(a) for a in args]
    child_env = {**os.environ, "QUALCODE_CODER": "tester", "COLUMNS": "200",
                 # One thread per math library: their per-thread buffers count against the limit.
                 "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    child_env.pop("QUALCODE_PROJECT", None)
    child_env.update(env or {})

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "qualcode", *args], cwd=cwd, env=child_env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                preexec_fn=limit, start_new_session=True)
        status = usage = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                status = None
                break
            time.sleep(0.02)
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status) if status is not None else -9
        out.seek(0)
        err.seek(0)
        return Run(args, None if status is None else proc.returncode,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   seconds, usage.ru_maxrss / 1024)
