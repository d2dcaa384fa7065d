"""``qualcode serve``: the terminal UI in a browser, one process per coder, through
textual-serve, and nobody let in by mistake.

textual-serve starts the app's process when a browser opens its websocket. Here that
happens only for a browser that has shown a valid access key: the key (created by
``qualcode access-key add CODER``) names the coder, and the server answers it with a
session cookie (HttpOnly, SameSite=Strict) that the websocket must carry. A missing,
wrong or revoked key gets the login page and a 401, and no process is started for it.
Every attempt is appended to a log beside the project (``PROJECT.serve-log``).

The server listens on 127.0.0.1 unless told otherwise; another address is refused
while the project has no access key. On the loopback address without keys, the page is
open to whoever can reach it on this machine, as the coder given with --coder.
"""

from __future__ import annotations

import datetime as dt
import html
import ipaddress
import os
import secrets
import shlex
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from ..errors import QualcodeError
from ..project import Project

COOKIE = "qualcode_session"
LOG_SUFFIX = ".serve-log"
SERVED_ENV = "QUALCODE_SERVED"  # tells the TUI it runs in a browser (presence says so)


def _number(value: str | None, default: int) -> int:
    try:
        return max(10, min(1000, int(value or default)))
    except ValueError:
        return default


def is_loopback(host: str) -> bool:
    """Whether every address ``host`` names is this machine's loopback."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def check_access(project: Project, host: str) -> None:
    """Refuse to listen beyond this machine while the project has no access key."""
    if not is_loopback(host) and not project.access.any_active():
        raise QualcodeError(
            f"{project.path.name}: refusing to listen on {host} without access keys; create one "
            "per coder with `qualcode access-key add CODER`, or use ssh port forwarding to "
            "127.0.0.1 (see docs/team.md)")


LOGIN_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>qualcode: {title}</title></head>
<body style="font-family: sans-serif; max-width: 32em; margin: 4em auto">
<h1>qualcode: {title}</h1>
<p>{message}</p>
<form method="post" action="login">
<label>Access key <input type="password" name="key" autocomplete="off" autofocus></label>
<button type="submit">Open</button>
</form>
</body></html>
"""


class GuardedServer(Server):
    """textual-serve's server with a door: no key, no TUI process."""

    def __init__(self, project_path: Path, *, host: str, port: int, open_coder: str | None,
                 public_url: str | None = None) -> None:
        self.project_path = Path(project_path).resolve()
        with Project.open(self.project_path) as project:
            check_access(project, host)
            self.title_text = project.title
            self.keys_required = project.access.any_active()
        super().__init__(command="", host=host, port=port, title=f"qualcode: {self.title_text}",
                         public_url=public_url)
        self.open_coder = open_coder
        self.sessions: dict[str, str] = {}  # cookie value -> coder
        self.log_path = self.project_path.with_name(self.project_path.name + LOG_SUFFIX)

    # --- who is asking -------------------------------------------------------------

    def log_attempt(self, request: web.Request, outcome: str, coder: str | None = None) -> None:
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        line = f"{stamp}\t{request.remote or '-'}\t{request.path}\t{outcome}\t{coder or '-'}\n"
        fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)

    def coder_for_key(self, key: str | None) -> str | None:
        # Opened for each login: keys added or revoked meanwhile count at once.
        with Project.open(self.project_path) as project:
            self.keys_required = project.access.any_active()
            return project.access.coder_for(key)

    def session_coder(self, request: web.Request) -> str | None:
        if not self.keys_required:
            return self.open_coder or ""
        return self.sessions.get(request.cookies.get(COOKIE, ""))

    def _same_origin(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        return origin is None or urlsplit(origin).netloc == request.host

    def _login_page(self, message: str, status: int) -> web.Response:
        return web.Response(text=LOGIN_PAGE.format(title=html.escape(self.title_text),
                                                   message=html.escape(message)),
                            status=status, content_type="text/html")

    def _enter(self, request: web.Request, key: str | None) -> web.Response:
        coder = self.coder_for_key(key)
        if coder is None:
            self.log_attempt(request, "refused: missing key" if not key else "refused: wrong key")
            return self._login_page("That key does not open this project." if key
                                    else "Give your access key.", 401)
        token = secrets.token_urlsafe(32)
        self.sessions[token] = coder
        self.log_attempt(request, "let in", coder)
        moved = web.HTTPSeeOther(location="./")
        moved.set_cookie(COOKIE, token, httponly=True, samesite="Strict",
                         secure=self.public_url.startswith("https"))
        raise moved

    # --- routes --------------------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        """(The command says where it serves; textual-serve's banner would name no app.)"""

    # textual-serve builds its routes in this private method and offers no public hook to
    # add one; the login form needs a POST route beside them. textual-serve is capped below
    # 2 in pyproject.toml for this reason, and the door tests (tests/web) post to that route.
    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_post("/login", self.handle_login)
        return app

    async def handle_index(self, request: web.Request):
        if "key" in request.query:
            return self._enter(request, request.query.get("key"))
        if self.session_coder(request) is None:
            self.log_attempt(request, "refused: missing key")
            return self._login_page("Give your access key.", 401)
        return await Server.handle_index(self, request)

    async def handle_login(self, request: web.Request) -> web.Response:
        if not self._same_origin(request):
            self.log_attempt(request, "refused: another site's form")
            return self._login_page("Open this page directly.", 403)
        form = await request.post()
        key = form.get("key")
        return self._enter(request, key if isinstance(key, str) else None)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        coder = self.session_coder(request)
        if coder is None or not self._same_origin(request):
            self.log_attempt(request, "refused: no session" if coder is None else "refused: another site")
            raise web.HTTPUnauthorized(text="qualcode: log in first\n")
        self.log_attempt(request, "started the terminal UI", coder)
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _number(request.query.get("width"), 80)
        height = _number(request.query.get("height"), 24)
        await websocket.prepare(request)

        async def close() -> None:
            await websocket.close()

        # This coder's own process (textual-serve's one command would be everyone's).
        app_service = AppService(self.tui_command(coder), write_bytes=websocket.send_bytes,
                                 write_str=websocket.send_str, close=close,
                                 download_manager=self.download_manager, debug=self.debug)
        try:
            await app_service.start(width, height)
            await self._process_messages(websocket, app_service)
        finally:
            await app_service.stop()
        return websocket

    def tui_command(self, coder: str) -> str:
        args = [sys.executable, "-m", "qualcode", "tui", str(self.project_path)]
        if coder:
            args += ["--coder", coder]
        # exec: the shell textual-serve runs the command in becomes the TUI, so the TUI is
        # the server's own child and notices when the server is gone (see tui.presence).
        return "exec " + shlex.join(["env", f"{SERVED_ENV}=1", *args])


def serve(project_path: Path, *, host: str = "127.0.0.1", port: int = 8000,
          coder: str | None = None, public_url: str | None = None) -> None:
    server = GuardedServer(project_path, host=host, port=port, open_coder=coder,
                           public_url=public_url)
    server.serve()


__all__ = ["GuardedServer", "check_access", "is_loopback", "serve"]
