"""The summary grid in the terminal UI: Enter on a matrix cell opens the editor with the
cell's coded passages beside it; save writes (citing them), cancel does not, the cell
shows it has a summary, undo takes it back, an emptied text deletes it."""

from __future__ import annotations

from textual.widgets import DataTable, Static, TextArea

from qualcode import Project
from qualcode.tui.app import make_app
from qualcode.tui.dialogs import SummaryEditor
from qualcode.tui.screens.matrix import MatrixScreen

from .test_analysis_screens import cells, header
from .test_flows import SIZE, run_async, settle


async def _open_editor(app, pilot, participant: str, wave: str, code: str) -> SummaryEditor:
    screen = app.screen
    assert isinstance(screen, MatrixScreen)
    matrix = screen.query_one("#matrix", DataTable)
    row = next(i for i, r in enumerate(cells(matrix)) if r[:2] == [participant, wave])
    matrix.move_cursor(row=row, column=header(matrix).index(code))
    matrix.focus()
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, SummaryEditor)
    return app.screen


@run_async
async def test_enter_edits_the_cells_summary_and_undo_takes_it_back(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        matrix = screen.query_one("#matrix", DataTable)
        trust = header(matrix).index("Trust")

        editor = await _open_editor(app, pilot, "P01", "W1", "Trust")
        passages = [str(s.render()) for s in editor.query(".passage").results(Static)]
        assert len(passages) == 1 and "P01_W1" in passages[0]  # the cell's one Trust passage
        await pilot.press(*"Trusts her")
        await pilot.press("escape")  # cancel: nothing written
        await settle(pilot)
        assert app.screen is screen and app.project.summaries.all() == []

        editor = await _open_editor(app, pilot, "P01", "W1", "Trust")
        editor.query_one(TextArea).text = "Trusts her from the first week."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        [summary] = app.project.summaries.all()
        assert (summary.row, summary.wave, summary.theme, summary.body) == \
            ("P01", "W1", "Trust", "Trusts her from the first week.")
        assert len(summary.citations) == 1 and summary.citations[0].transcript == "P01_W1"
        rows = {(r[0], r[1]): r for r in cells(matrix)}
        assert rows["P01", "W1"][trust] == "1✎" and rows["P01", "W2"][trust] == "1"

        # the editor opens on what was written; an emptied text deletes it
        editor = await _open_editor(app, pilot, "P01", "W1", "Trust")
        assert editor.query_one(TextArea).text == "Trusts her from the first week."
        editor.query_one(TextArea).text = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.project.summaries.all() == []
        await pilot.press("u")  # undo the deletion
        await settle(pilot)
        assert [s.body for s in app.project.summaries.all()] == ["Trusts her from the first week."]
        await pilot.press("u")  # undo the writing
        await settle(pilot)
        assert app.project.summaries.all() == []
        assert {(r[0], r[1]): r for r in cells(matrix)}["P01", "W1"][trust] == "1"
    with Project.open(tui_project) as project:
        logged = {e.action: e.status for e in project.log(limit=6) if e.action.startswith("summary.")}
        assert logged == {"summary.set": "undone", "summary.delete": "undone"}
