"""`qualcode serve` lets in only a browser with a valid key, starts a TUI process only
for it (as the coder the key names), logs every attempt, and never listens beyond this
machine without keys."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp.test_utils import TestClient, TestServer

from qualcode import Project
from qualcode.errors import QualcodeError
from qualcode.web import serve as web_serve
from tests.conftest import file_digest


class FakeAppService:
    """Stands in for the TUI process: records what would have been started."""

    started: list[str] = []

    def __init__(self, command: str, **_: object) -> None:
        self.command = command

    async def start(self, width: int, height: int) -> None:
        FakeAppService.started.append(self.command)

    async def stop(self) -> None:
        pass


@pytest.fixture
def served(tmp_path, monkeypatch):
    path = tmp_path / "team.qualcode"
    Project.create(path, title="Team study").close()
    FakeAppService.started = []
    monkeypatch.setattr(web_serve, "AppService", FakeAppService)
    return path


def run(coro):
    return asyncio.run(coro)


async def _client(path, **kwargs) -> TestClient:
    server = web_serve.GuardedServer(path, host="127.0.0.1", port=0, open_coder=kwargs.get("coder"))
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    return client


def test_without_a_valid_key_there_is_no_tui_and_the_project_is_untouched(served):
    with Project.open(served) as project:
        key = project.access.create("ben")
    before = file_digest(served)

    async def scenario():
        client = await _client(served)
        try:
            page = await client.get("/")
            assert page.status == 401 and "Access key" in await page.text()
            wrong = await client.get("/", params={"key": key[:-2] + "zz"}, allow_redirects=False)
            assert wrong.status == 401
            posted = await client.post("/login", data={"key": "qk_nothing"}, allow_redirects=False)
            assert posted.status == 401
            socket = await client.get("/ws")
            assert socket.status == 401
        finally:
            await client.close()

    run(scenario())
    assert FakeAppService.started == []
    assert file_digest(served) == before
    log = served.with_name(served.name + ".serve-log").read_text()
    outcomes = [line.split("\t")[3] for line in log.splitlines()]
    assert outcomes == ["refused: missing key", "refused: wrong key", "refused: wrong key",
                        "refused: no session"]
    assert key not in log


def test_a_valid_key_starts_the_tui_of_the_coder_it_names(served):
    with Project.open(served) as project:
        key = project.access.create("ben")

    async def scenario():
        client = await _client(served)
        try:
            entered = await client.post("/login", data={"key": key}, allow_redirects=False)
            assert entered.status == 303 and "HttpOnly" in entered.headers["Set-Cookie"]
            page = await client.get("/")
            assert page.status == 200 and "data-session-websocket-url" in await page.text()
            foreign = await client.get("/ws", headers={"Origin": "http://evil.example"})
            assert foreign.status == 401
            socket = await client.ws_connect("/ws")
            await socket.close()
        finally:
            await client.close()

    run(scenario())
    assert len(FakeAppService.started) == 1
    command = FakeAppService.started[0]
    # The shell becomes the TUI (exec), so the TUI is the server's own child.
    assert command.startswith("exec env QUALCODE_SERVED=1 ") and command.endswith("--coder ben")
    log = served.with_name(served.name + ".serve-log").read_text()
    assert "let in\tben" in log and "refused: another site" in log


def test_loopback_without_keys_is_open_to_this_machine_as_the_given_coder(served):
    async def scenario():
        client = await _client(served, coder="solo")
        try:
            assert (await client.get("/")).status == 200
            socket = await client.ws_connect("/ws")
            await socket.close()
        finally:
            await client.close()

    run(scenario())
    assert FakeAppService.started and FakeAppService.started[0].endswith("--coder solo")


def test_another_address_is_refused_without_keys(served, run_cli):
    before = file_digest(served)
    with pytest.raises(QualcodeError, match="refusing to listen on 0.0.0.0 without access keys"):
        web_serve.GuardedServer(served, host="0.0.0.0", port=0, open_coder=None)
    result = run_cli("serve", served, "--host", "0.0.0.0", "--port", "1")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "team.qualcode: refusing to listen on 0.0.0.0" in result.stderr
    assert file_digest(served) == before


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("::1", True),
                                                ("localhost", True), ("0.0.0.0", False),
                                                ("10.1.2.3", False), ("::", False)])
def test_which_addresses_are_this_machine_only(host, loopback):
    assert web_serve.is_loopback(host) is loopback
