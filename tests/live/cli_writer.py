"""A program coding through the command line, many times, in its own process.

Usage: cli_writer.py PROJECT TRANSCRIPT CODER CODE FIRST COUNT [EVERY]

Codes COUNT spans of TRANSCRIPT (5 characters each, starting at FIRST and two apart)
with CODE, each by one ``qualcode tag`` command: the command line's own entry point,
which opens the project, codes, and closes it again, as a separate run does. Every
EVERY-th coding (0: none) is a real separate ``qualcode`` process instead. After each
command reports success it prints ``ack START END CODE``; a failure ends the run with
its message on standard error.
"""

from __future__ import annotations

import subprocess
import sys


def main(path: str, transcript: str, coder: str, code: str, first: int, count: int,
         every: int = 0) -> None:
    import click

    from qualcode.cli import cli

    for i in range(count):
        start = first + 7 * i
        args = ["-p", path, "--coder", coder, "tag", transcript, "--range", f"{start}:{start + 5}",
                "--code", code]
        if every and (i + 1) % every == 0:
            done = subprocess.run([sys.executable, "-m", "qualcode", *args], capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"coding {i} failed: {done.stderr.strip()}")
        else:
            try:
                cli.main(args, prog_name="qualcode", standalone_mode=False)
            except click.ClickException as exc:
                sys.exit(f"coding {i} failed: {exc.format_message()}")
        print(f"ack {start} {start + 5} {code}", flush=True)
    print("finished", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:5], *(int(a) for a in sys.argv[5:]))
