"""Seeing other programs' changes while the app is open.

A CLI command, a script or another qualcode window may change the project while this
app shows it. Once a second the app asks SQLite for the project's data version (a
number that changes only when another connection commits; asking reads no file, so
an idle app costs nothing). When it has moved, the app counts a new generation and
posts :class:`ProjectChanged` to the screen being shown (the top one that reads the
project, even under a dialog, since it stays visible); that screen re-reads what it
shows and keeps the user's place. Screens further down re-read when they come back
into view (they compare generations on resume).

This is the one way the app learns of outside changes: a later feature (several
coders live on one project, a line saying who else is working) listens here too.
"""

from __future__ import annotations

import sqlite3

from textual.message import Message

POLL_SECONDS = 1.0


class ProjectChanged(Message):
    """Another program committed changes to the project; re-read what is shown."""

    def __init__(self, version: int) -> None:
        super().__init__()
        self.version = version


class ChangeWatcher:
    """Polls the app's own connection for the data version and reports moves."""

    def __init__(self, app) -> None:
        self.app = app
        self.version: int | None = None
        self.timer = None

    def start(self) -> None:
        self.version = self._read()
        self.timer = self.app.set_interval(POLL_SECONDS, self.poll, name="project-changes")

    def _read(self) -> int | None:
        try:
            return self.app.project.data_version()
        except sqlite3.Error as exc:
            self.app.database_failure("could not check the project for other programs' changes", exc)
            return None

    def poll(self) -> None:
        version = self._read()
        if version is None or version == self.version:
            return
        self.version = version
        self.app.outside_change(version)
