"""The real terminal UI (Textual's Pilot pressing keys, in its own process) and command-line
writers coding one project at the same time: everything either side reported as saved is
in the project afterwards, whether the TUI was quit or killed, and the file is intact.

The full run (marker ``slow``, part of ``make test``) has two TUIs and two command-line
writers, 1,000 codings in all, and kills each TUI with SIGKILL four times.
"""

from __future__ import annotations

import random
import time

import pytest

from .processes import cli_writer, lost, make_project, saved_codings, tui

CLI_CODINGS = 200


@pytest.mark.parametrize("ending", ["kill", "quit"])
def test_tui_and_cli_code_in_turns_and_nothing_is_lost(tmp_path, ending):
    path = make_project(tmp_path)
    screen = tui(path, "tui")
    writer = cli_writer(path, "cli", first=0, count=CLI_CODINGS, every=50)  # 4 real processes
    try:
        while writer.proc.poll() is None:  # the TUI codes while the CLI does
            screen.send("code 2")
            screen.answered()
        assert writer.wait() == 0, writer.stderr()
        # The CLI has closed its last connection: the moment the -wal used to be deleted.
        screen.send("code 5")
        screen.answered()
        if ending == "kill":  # at a random moment of three more codings
            screen.send("code 3")
            time.sleep(random.uniform(0.0, 0.6))
    finally:
        if ending == "kill" or writer.proc.poll() is None:
            screen.kill()
        else:
            screen.send("quit")
            screen.expect("bye")
            assert screen.wait() == 0, screen.stderr()
    assert screen.nacks == []
    assert len(writer.acks) == CLI_CODINGS
    assert len(screen.acks) >= 7
    saved = saved_codings(path)
    assert lost(writer, "cli", saved) == []
    assert lost(screen, "tui", saved) == []
    # At most the coding the kill interrupted after its commit, before the screen said so.
    assert 0 <= len(saved) - (CLI_CODINGS + len(screen.acks)) <= (ending == "kill")
    print(f"TUI and CLI: {CLI_CODINGS} CLI codings (4 by separate processes), {len(screen.acks)} TUI "
          f"codings, then {'SIGKILL' if ending == 'kill' else 'quit'}: 0 lost")


@pytest.mark.slow
def test_two_tuis_and_two_cli_writers_1000_codings_with_kills(tmp_path):
    path = make_project(tmp_path)
    started = time.monotonic()
    # 2 x 400 command-line codings (every 100th a separate process) and 2 x 4 sessions of
    # 25 TUI codings, each session then killed at a random moment of a few more: over
    # 1,000 codings, 8 kills.
    writers = [cli_writer(path, "cli-a", first=0, count=400, every=100),
               cli_writer(path, "cli-b", first=3, count=400, every=100)]
    sessions = {"tui-a": [], "tui-b": []}
    for round_ in range(4):
        # Each session starts past the sentences the earlier ones coded (25, and up to 3).
        screens = {coder: tui(path, coder, skip=30 * round_) for coder in sessions}
        for screen in screens.values():
            screen.send("code 25")
        for coder, screen in screens.items():
            screen.answered(timeout=300)
            screen.send("code 3")
            time.sleep(random.uniform(0.0, 0.6))
            screen.kill()
            sessions[coder].append(screen)
    for writer in writers:
        assert writer.wait(timeout=600) == 0, writer.stderr()
    saved = saved_codings(path)
    acknowledged = sum(len(w.acks) for w in writers) + sum(len(s.acks) for ss in sessions.values() for s in ss)
    assert acknowledged >= 1000
    for coder, screens in sessions.items():
        for screen in screens:
            assert screen.nacks == []
            assert lost(screen, coder, saved) == []
    for writer, coder in zip(writers, ("cli-a", "cli-b")):
        assert lost(writer, coder, saved) == []
    assert 0 <= len(saved) - acknowledged <= 8  # at most one interrupted coding per kill
    print(f"4 programs at once (2 TUIs, 2 CLI writers), {acknowledged} codings acknowledged, "
          f"8 kills, 0 lost, {time.monotonic() - started:.0f} s")
