"""Who else is here: this app's session in the project and the line naming the others.

Once a second the app looks where the user is (the transcript on screen, if any). It
writes a heartbeat only when that place changed or :data:`HEARTBEAT_SECONDS` passed:
each write moves the data version that every other open app polls, so a heartbeat
every second would make every other screen re-read every second. The others' sessions
are read again after any change seen from outside (a heartbeat of theirs is one), which
costs one small query.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time

from ..errors import is_busy_error

SERVED_ENV = "QUALCODE_SERVED"  # set by `qualcode serve` for the apps it starts


class PresenceKeeper:
    def __init__(self, app) -> None:
        self.app = app
        self.place: str | None = None
        self.last_beat = 0.0
        self.seen_generation = -1
        self.line = ""
        self.joined = False
        # A TUI started by `qualcode serve` is the server's own child; when the server is
        # gone (stopped, killed), nobody can see or drive this app any more, and Textual's
        # web driver does not end on the closed input: so it leaves by itself.
        self.server_pid = os.getppid() if os.environ.get(SERVED_ENV) else None

    def start(self) -> None:
        program = "web" if os.environ.get(SERVED_ENV) else "tui"
        self.app.set_interval(1.0, self.tick, name="presence")
        try:
            self.app.project.presence.join(program=program)
        except sqlite3.Error as exc:
            self.app.database_failure("could not tell the others you are here", exc)
            return
        self.joined = True
        self.last_beat = time.monotonic()
        self.tick()

    def current_place(self) -> str | None:
        for screen in reversed(self.app.screen_stack):
            name = getattr(screen, "transcript_name", None)
            if name:
                return str(name)
        return None

    def tick(self) -> None:
        if self.server_pid is not None and os.getppid() != self.server_pid:
            self.app.exit()
            return
        if not self.joined:
            return
        place = self.current_place()
        now = time.monotonic()
        try:
            if place != self.place or now - self.last_beat >= self.app.project.presence.HEARTBEAT_SECONDS:
                self.app.project.presence.beat(place=place)
                self.place, self.last_beat = place, now
                self.seen_generation = -1  # read the others again too
            if self.seen_generation != self.app.generation:
                self.seen_generation = self.app.generation
                others = self.app.project.presence.others()
                line = self.app.project.presence.line(others) if others else ""
                if line != self.line:
                    self.line = line
                    self.app.update_status()
        except sqlite3.Error as exc:
            # A busy project is tried again at the next tick, a second later; saying so
            # would replace the failure of the user's own last action (a tag not saved),
            # which is the one they need to see.
            if not is_busy_error(exc):
                self.app.database_failure("could not update who else is here", exc)

    def stop(self) -> None:
        if self.joined:
            self.joined = False
            # On failure the session expires by itself within a minute.
            with contextlib.suppress(sqlite3.Error):
                self.app.project.presence.leave()
