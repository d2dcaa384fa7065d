"""qualcode never opens a network connection: the whole CLI flow runs with sockets
forbidden."""

from __future__ import annotations

import socket

import pytest

from ..conftest import CODEBOOK, EXAMPLE_DIR


@pytest.fixture
def no_network(monkeypatch):
    """Fail on any connection, datagram or name lookup. (Creating and binding a
    socket is allowed: a library probing for IPv6 support binds to ::1 and talks to
    nobody.)"""
    attempts = []

    def refuse(what):
        def call(*args, **kwargs):
            attempts.append(what)
            raise OSError(f"network access attempted: {what}")
        return call

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(name))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    yield attempts
    assert attempts == []


def test_full_cli_flow_without_network(no_network, tmp_path, run_cli):
    project = tmp_path / "s.qualcode"
    steps = [
        ("init", project),
        ("-p", project, "import", "--manifest", EXAMPLE_DIR / "manifest.csv"),
        ("-p", project, "codebook", "load", CODEBOOK),
        ("-p", project, "tag", "C01_W1", "--turn", "2", "--code", "First contact"),
        ("-p", project, "search", "food bank"),
        ("-p", project, "segments", "--code", "First contact"),
        ("-p", project, "autocode", "keywords", "--code", "Smoking", "--apply"),
        ("-p", project, "memo", "add", "--type", "project", "--title", "Plan", "--body", "x"),
        ("-p", project, "codebook", "export", tmp_path / "book.qdc"),
        ("-p", project, "undo"),
        ("-p", project, "log", "--json"),
    ]
    for args in steps:
        result = run_cli(*args)
        assert result.exit_code == 0, (args, result.output)
