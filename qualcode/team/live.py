"""Several coders live on one project file: presence and access keys.

Presence: each running program (a terminal UI, a browser session through ``qualcode
serve``) keeps one row in ``sessions`` with a heartbeat; a row whose heartbeat is older
than :data:`EXPIRE_SECONDS` belongs to a program that was killed or lost its network,
and is left out and removed. The heartbeat is slow on purpose: every write moves the
data version that each open TUI polls, so a fast one would make every screen re-read.

Access keys: ``qualcode serve`` lets a browser in only with a key, and the key names the
coder. A key is ``qk_<id>_<secret>``; the project keeps the id, the coder, a random salt
and the scrypt hash of the secret, never the secret itself, so a copy of the file
(a backup, a blind copy) lets nobody in.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import socket
import time
from typing import Any

from ..context import ProjectContext
from ..errors import QualcodeError
from ..store import team_live as store_team

HEARTBEAT_SECONDS = 10.0
EXPIRE_SECONDS = 45.0
# scrypt's cost: about 30 ms and 16 MiB a check here, which is nothing for one login and
# makes guessing a leaked hash slow.
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024, "dklen": 32}
KEY_PATTERN = re.compile(r"^qk_([0-9a-f]{12})_([A-Za-z0-9_-]{32,64})$")


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, **SCRYPT)


class PresenceService:
    """Who else has the project open (``project.presence``)."""

    HEARTBEAT_SECONDS = HEARTBEAT_SECONDS
    EXPIRE_SECONDS = EXPIRE_SECONDS

    def __init__(self, ctx: ProjectContext) -> None:
        self.ctx = ctx
        self.session_id: str | None = None
        self.place: str | None = None
        self.program = "tui"

    def join(self, *, program: str = "tui", place: str | None = None,
             clock: float | None = None) -> str:
        """Open this program's session (one row); returns its id."""
        self.session_id = secrets.token_hex(8)
        self.program, self.place = program, place
        store_team.open_session(self.ctx.db, self.session_id, coder=self.ctx.coder,
                                program=program, host=socket.gethostname(), pid=os.getpid(),
                                place=place, at=time.time() if clock is None else clock)
        return self.session_id

    def beat(self, *, place: str | None = None, clock: float | None = None) -> None:
        """Say this session is alive and where it is; opens it again if another program
        removed it as expired (after a suspend, say). Also removes expired sessions."""
        if self.session_id is None:
            return
        self.place = place
        at = time.time() if clock is None else clock
        if not store_team.beat(self.ctx.db, self.session_id, place=place, at=at):
            self.join(program=self.program, place=place, clock=at)
        store_team.expire_sessions(self.ctx.db, at - EXPIRE_SECONDS)

    def leave(self) -> None:
        if self.session_id is not None:
            store_team.close_session(self.ctx.db, self.session_id)
            self.session_id = None

    def sessions(self, *, clock: float | None = None) -> list[dict[str, Any]]:
        """Every live session (this one too), each with ``mine``."""
        at = time.time() if clock is None else clock
        rows = store_team.live_sessions(self.ctx.db, at - EXPIRE_SECONDS)
        for row in rows:
            row["mine"] = row["id"] == self.session_id
        return rows

    def others(self, *, clock: float | None = None) -> list[dict[str, Any]]:
        return [s for s in self.sessions(clock=clock) if not s["mine"]]

    @staticmethod
    def line(others: list[dict[str, Any]]) -> str:
        return presence_line(others)


def presence_line(others: list[dict[str, Any]]) -> str:
    """One line for the screen: who else is working, and on what."""
    if not others:
        return "no one else has this project open"
    parts = []
    for session in others:
        where = f" on {session['place']}" if session["place"] else ""
        web = " (browser)" if session["program"] == "web" else ""
        parts.append(f"{session['coder']}{web}{where}")
    return "also here: " + ", ".join(parts)


class AccessKeys:
    """The keys of ``qualcode serve`` (``project.access``)."""

    def __init__(self, ctx: ProjectContext) -> None:
        self.ctx = ctx

    def create(self, coder: str) -> str:
        """A new key for ``coder``; the key itself is returned once and never stored."""
        coder = (coder or "").strip()
        if not coder or any(ch in coder for ch in "\r\n\t") or len(coder) > 64:
            raise QualcodeError(f"coder name {coder!r} is not valid for a key (1-64 characters, one line)")
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        salt = os.urandom(16)
        with self.ctx.action("access.key", f"created a serve key for {coder}", undoable=False):
            store_team.add_key(self.ctx.db, key_id, coder, salt, _hash(secret, salt))
        return f"qk_{key_id}_{secret}"

    def revoke(self, coder: str) -> int:
        with self.ctx.action("access.revoke", f"revoked the serve keys of {coder}", undoable=False):
            count = store_team.revoke_keys(self.ctx.db, coder)
        if not count:
            raise QualcodeError(f"{coder} has no key to revoke")
        return count

    def keys(self) -> list[dict[str, Any]]:
        return store_team.list_keys(self.ctx.db)

    def any_active(self) -> bool:
        return store_team.active_key_count(self.ctx.db) > 0

    def coder_for(self, key: str | None) -> str | None:
        """The coder a key names, or None for a missing, malformed, wrong or revoked one."""
        match = KEY_PATTERN.match(key or "")
        if not match:
            return None
        stored = store_team.key_hash(self.ctx.db, match.group(1))
        if stored is None:
            return None
        coder, salt, digest = stored
        return coder if hmac.compare_digest(_hash(match.group(2), salt), digest) else None
