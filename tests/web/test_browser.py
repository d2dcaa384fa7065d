"""`qualcode serve` in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver`` packages) driven by Selenium. With a valid key the page starts the
coder's TUI, which opens a transcript and applies a code that the CLI then lists; with
no key or a wrong one there is no TUI and the project is untouched.

Skips, saying why, where Chromium or its driver is not installed (apt-get install
chromium chromium-driver), unless QUALCODE_REQUIRE_BROWSER is set: then it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qualcode import Project

from ..conftest import REPO, file_digest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _need_browser() -> None:
    if CHROMIUM and DRIVER:
        return
    missing = "chromium" if not CHROMIUM else "chromedriver"
    if os.environ.get("QUALCODE_REQUIRE_BROWSER"):
        pytest.fail(f"{missing} is required here (QUALCODE_REQUIRE_BROWSER is set) but not installed")
    pytest.skip(f"{missing} is not installed: the browser test needs Debian's chromium and "
                "chromium-driver (apt-get install chromium chromium-driver)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _until(condition, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout} s")


def _sessions(path: Path) -> list[dict]:
    with Project.open(path) as project:
        return project.presence.sessions()


def _codings_by(path: Path, coder: str) -> int:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    listed = subprocess.run([sys.executable, "-m", "qualcode", "-p", str(path), "codings", "--by", coder,
                             "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert listed.returncode == 0, listed.stderr
    return len(json.loads(listed.stdout))


@pytest.fixture
def browser():
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def server(example_project, tmp_path):
    project = tmp_path / "example.qualcode"
    shutil.copy(example_project, project)
    with Project.open(project) as p:
        key = p.access.create("ben")
        p.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    process = subprocess.Popen([sys.executable, "-m", "qualcode", "serve", str(project), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        _until(lambda: _listening(port), "the server listening", 60)
        yield project, key, f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()
        # The TUIs it started for browsers end with it (they watch their server).
        _until(lambda: not _tuis_on(project), "the served TUIs gone after the server", 20)


def _tuis_on(project: Path) -> list[str]:
    """Command lines of the running `qualcode tui` processes on ``project``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"tui" in args and str(project).encode() in args:
            found.append(" ".join(a.decode(errors="replace") for a in args))
    return found


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.slow
def test_without_a_key_or_with_a_wrong_one_the_browser_gets_no_tui(browser, server):
    project, key, url = server
    before = file_digest(project)
    for address in (url, f"{url}?key={key[:-3]}abc"):
        browser.get(address)
        assert "Access key" in browser.page_source
        assert "data-session-websocket-url" not in browser.page_source
    time.sleep(3)  # a TUI, had one started, would have joined by now
    assert _sessions(project) == []
    assert file_digest(project) == before


@pytest.mark.slow
def test_with_a_key_the_browser_codes_as_its_coder(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    project, key, url = server
    before = _codings_by(project, "ben")
    browser.get(f"{url}?key={key}")
    assert "data-session-websocket-url" in browser.page_source
    # The TUI started for ben, in the browser, on the home grid (no transcript yet).
    web = _until(lambda: [s for s in _sessions(project) if s["program"] == "web"], "ben's TUI", 90)
    assert [(s["coder"], s["place"]) for s in web] == [("ben", None)]
    terminal = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")

    def press(*keys: str) -> None:
        for pressed in keys:
            terminal.send_keys(pressed)
            time.sleep(0.4)

    press(Keys.ENTER)  # the transcript under the home grid's cursor
    _until(lambda: [s for s in _sessions(project) if s["place"]], "a transcript open", 60)
    press("s", "c", "1")  # a sentence, the code picker, its first code
    _until(lambda: _codings_by(project, "ben") == before + 1, "ben's coding listed by the CLI", 60)
    with Project.open(project) as p:
        assert p.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
