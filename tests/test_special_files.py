"""A named pipe, a device or a socket given where a file is expected is refused before
it is read (a pipe used to block the command forever). The real command is given each
kind in place of every kind of file in tests/hardening/test_corpus_under_limits.py."""

from __future__ import annotations

import os
import signal
import socket

import pytest

from qualcode.errors import InputError
from qualcode.input_files import read_regular_file, refuse_special

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


@pytest.fixture(autouse=True)
def _no_hanging():
    # Were a pipe opened the blocking way, the test fails after 10 s instead of hanging.
    def fail(*_):
        raise TimeoutError("blocked on a special file")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_a_named_pipe_is_refused_before_it_is_opened(tmp_path):
    os.mkfifo(tmp_path / "p.txt")
    with pytest.raises(InputError) as caught:
        read_regular_file(tmp_path / "p.txt", 100, "transcript")
    assert str(caught.value) == "p.txt: is a named pipe (FIFO), not a transcript; give a regular file"
    with pytest.raises(InputError, match="p.txt: is a named pipe"):
        refuse_special(tmp_path / "p.txt", "project file")


def test_a_device_behind_a_name_is_refused(tmp_path):
    (tmp_path / "endless.txt").symlink_to("/dev/zero")
    with pytest.raises(InputError, match="endless.txt: is a character device, not a transcript"):
        read_regular_file(tmp_path / "endless.txt", 100, "transcript")


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(InputError, match="s.yaml: is a socket, not a codebook file"):
            read_regular_file(path, 100, "codebook file")


def test_a_pipe_swapped_in_after_the_check_does_not_block(tmp_path, monkeypatch):
    # The file passes the first look, then is a pipe when opened: opened without
    # blocking, it is refused by the second look through the descriptor.
    import qualcode.input_files as input_files

    os.mkfifo(tmp_path / "late.txt")
    monkeypatch.setattr(input_files, "refuse_special", lambda path, what="file": None)
    with pytest.raises(InputError, match="late.txt: is a named pipe"):
        read_regular_file(tmp_path / "late.txt", 100, "transcript")


def test_regular_files_missing_files_folders_and_sizes(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"12345")
    assert read_regular_file(tmp_path / "a.txt", 5) == b"12345"
    with pytest.raises(InputError, match=r"a.txt: is too large \(5 bytes\); the limit for a file is 4 bytes"):
        read_regular_file(tmp_path / "a.txt", 4)
    with pytest.raises(InputError, match="nope.txt: does not exist"):
        read_regular_file(tmp_path / "nope.txt", 4)
    with pytest.raises(InputError, match="is a folder, not a transcript"):
        read_regular_file(tmp_path, 4, "transcript")
