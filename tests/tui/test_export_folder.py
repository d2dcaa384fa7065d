"""The terminal UI writes exports where the CLI does: an exports/ folder beside the project
file, whatever the current folder and wherever the package is installed."""

from __future__ import annotations

from pathlib import Path

from qualcode.tui.app import make_app
from qualcode.tui.screens.network import NetworkScreen

from .test_flows import SIZE, run_async, settle


@run_async
async def test_network_export_goes_beside_the_project(tui_project, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    app = make_app(tui_project)
    assert app.export_folder == tui_project.parent / "exports"
    assert not app.export_folder.exists()  # made only when something is written
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NetworkScreen)
        await pilot.press("e")
        await settle(pilot)
        written = screen.exported
    assert sorted(p.suffix for p in written) == [".graphml", ".png"]
    assert all(p.parent == tui_project.parent / "exports" and p.stat().st_size > 0 for p in written)
    assert not any(elsewhere.iterdir())


@run_async
async def test_an_export_folder_that_cannot_be_made_is_reported(tui_project):
    (tui_project.parent / "exports").write_text("a file, not a folder")
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.exported == []
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "exports is not a folder" in messages
    assert Path(tui_project.parent / "exports").is_file()
