"""Matrix and change (F6), the co-occurrence network (F7), and focus groups on the home
grid: Pilot flows asserting on what is shown and on what was written."""

from __future__ import annotations

import networkx as nx
from textual.widgets import DataTable

from qualcode import Project
from qualcode.coding.tagging import Target
from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.comparison import ComparisonScreen
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.matrix import MatrixScreen
from qualcode.tui.screens.network import NetworkScreen

from .conftest import write_transcript
from .test_flows import SIZE, run_async, settle


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def header(table: DataTable) -> list[str]:
    return [str(c.label) for c in table.ordered_columns]


@run_async
async def test_matrix_shows_missing_waves_and_change_labels_then_compares(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        matrix = screen.query_one("#matrix", DataTable)
        head = header(matrix)
        assert head[:3] == ["participant", "wave", "n"]
        assert {"Trust", "Money worries"} <= set(head)
        rows = {(r[0], r[1]): r for r in cells(matrix)}
        trust = head.index("Trust")
        assert rows[("P01", "W1")][trust] == "1"
        assert rows[("P02", "W1")][trust] == "1"
        # P02 missed W2: shown as missed in every cell, never as 0
        assert all(v == "missed" for v in rows[("P02", "W2")][3:])
        assert rows[("P02", "W1")][head.index("Money worries")] == "·"  # observed, absent
        assert "Being listene…" in head  # long names are cut in the header

        # the sample's change labels: Trust is held by two people only
        change = {r[0]: r for r in cells(screen.query_one("#change", DataTable))}
        assert change["Trust"][1] == "idiosyncratic"
        assert change["Trust"][3].startswith("2/2")  # W1: both observed have it

        # measure: characters coded
        await pilot.press("m")
        await settle(pilot)
        rows = {(r[0], r[1]): r for r in cells(matrix)}
        assert int(rows[("P01", "W1")][trust]) > 10
        # group by wave: one row per wave, n observed
        await pilot.press("m", "m", "b")
        await settle(pilot)
        by_wave = cells(matrix)
        assert [r[0] for r in by_wave] == ["W1", "W2"]
        assert [r[1] for r in by_wave] == ["2", "1"]
        await pilot.press("b")  # by role: Enter compares within the role and wave
        await settle(pilot)
        by_role = cells(matrix)
        assert [tuple(r[:3]) for r in by_role] == [("client", "W1", "1"), ("client", "W2", "1"),
                                                   ("manager", "W1", "1"), ("manager", "W2", "0")]
        assert by_role[3][trust] == "no data"
        matrix.move_cursor(row=2, column=trust)
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        compare = app.screen
        assert isinstance(compare, ComparisonScreen)
        assert (compare.role, compare.wave, compare.participant) == ("manager", "W1", None)
        assert [s.participant for g in compare.groups.values() for s in g] == ["P02"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("b", "b")  # site, then back to participant
        await settle(pilot)
        assert screen.by == "participant"

        # per participant for the code under the cursor
        matrix.move_cursor(row=1, column=trust)  # P01 W2, Trust
        await pilot.pause()
        await pilot.press("c")
        await settle(pilot)
        per_person = {r[0]: r for r in cells(screen.query_one("#change", DataTable))}
        assert per_person["P01"][1] == "constant"
        assert per_person["P02"][1] == "missing"
        assert per_person["P02"][3] == "missed"  # W2: no data, not 0
        # v on the cell: the comparison screen for Trust, only P01 at W2 (Enter writes its summary)
        matrix.focus()
        await pilot.press("v")
        await settle(pilot)
        compare = app.screen
        assert isinstance(compare, ComparisonScreen)
        assert (compare.code, compare.participant, compare.wave) == ("Trust", "P01", "W2")
        segments = [s for group in compare.groups.values() for s in group]
        assert [(s.transcript, s.participant) for s in segments] == [("P01_W2", "P01")]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.transcript_name == "P01_W2"


@run_async
async def test_network_table_flag_and_export(tui_project, tmp_path):
    with Project.open(tui_project) as p:
        p.coder = "tester"
        p.codebook.add_code("Rare", colour="#cc79a7")
        p.coding.tag("P01_W1", "Rare", Target(sentence="4.1"))
        for s in ("2.1", "5.3", "6.1"):
            p.coding.tag("P01_W1", "Trust", Target(sentence=s))
    app = make_app(tui_project)
    app.export_folder = tmp_path
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NetworkScreen)
        table = screen.query_one("#pairs", DataTable)
        assert header(table)[1:3] == ["code A", "code B"]
        # overlap scope: Rare (1 passage) meets Trust (6 passages) at sentence 4.1: over
        # five times as frequent, flagged
        rare = {frozenset(r[1:3]): r for r in cells(table)}[frozenset({"Rare", "Trust"})]
        assert sorted(rare[3:5]) == ["1", "6"] and rare[5] == "1"
        assert rare[-1] == "⚠ 6×"
        await pilot.press("s", "s")  # overlap -> turn -> transcript
        await settle(pilot)
        assert screen.scope == "transcript"
        pairs = {frozenset(r[1:3]): r for r in cells(table)}
        # transcript scope: Money worries and Trust share P01_W1 and P01_W2
        assert pairs[frozenset({"Money worries", "Trust"})][5] == "2"
        # n1, n2 count transcripts as n12 does: Rare is in 1, Trust in 3; not flagged
        rare = pairs[frozenset({"Rare", "Trust"})]
        assert sorted(rare[3:5]) == ["1", "3"] and rare[5] == "1"
        assert rare[-1] == ""
        assert pairs[frozenset({"Money worries", "Trust"})][-1] == ""
        # the strongest pair comes first
        assert set(cells(table)[0][1:3]) == {"Money worries", "Trust"}

        await pilot.press("w")  # W1 only
        await settle(pilot)
        assert screen.wave == "W1"
        assert {frozenset(r[1:3]) for r in cells(table)} >= {frozenset({"Rare", "Trust"}),
                                                             frozenset({"Money worries", "Trust"})}
        await pilot.press("w", "w")  # W2, then per wave
        await settle(pilot)
        assert screen.wave == "per wave"
        assert {r[0] for r in cells(table)} == {"W1", "W2"}
        await pilot.press("w")  # back to all waves
        await settle(pilot)

        await pilot.press("e")
        await settle(pilot)
        written = screen.exported
        assert sorted(p.suffix for p in written) == [".graphml", ".png"]
        assert all(p.parent == tmp_path and p.stat().st_size > 0 for p in written)
        messages = " ".join(n.message for n in app._notifications)
        assert all(str(p) in messages for p in written)
    graph = nx.read_graphml(next(p for p in written if p.suffix == ".graphml"))
    assert graph.graph.get("scope") == "transcript"
    assert graph["Money worries"]["Trust"]["weight"] == 2.0
    assert graph.nodes["Trust"]["frequency"] == 6
    # in the transcript scope Rare (1 transcript) and Trust (3) are not lopsided
    assert graph["Rare"]["Trust"]["freq_ratio_flag"] in (False, "False", "false")


@run_async
async def test_home_shows_focus_group_members(tui_project, tmp_path):
    with Project.open(tui_project) as p:
        p.coder = "tester"
        p.study.add_participant("H01", role="health_trainer", site="North", pseudonym="Hana")
        turns = [("Interviewer", "[00:00:05] How has the service changed?"),
                 ("Anna", "[00:00:12] We have targets now. Counting contacts all day.")]
        p.transcripts.import_transcript(write_transcript(tmp_path / "FG_trainers_W2.txt", turns, "Hana"),
                            wave="W2", kind="focus-group", speaker_map={"Hana": "H01"})
        names = [t.name for t in p.transcripts.all()]
        assert "FG_trainers_W2" in names
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        grid = screen.query_one("#grid", DataTable)
        head = header(grid)
        rows = {r[0]: r for r in cells(grid)}
        hana = rows["H01"]
        assert hana[head.index("W2")] == "FG_trainers_W2 · focus group"
        assert hana[head.index("W1")] == "—"
        assert "missed" in rows["P02"][head.index("W2")]
        # Enter on that cell opens the focus group
        grid.move_cursor(row=list(rows).index("H01"), column=head.index("W2"))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.transcript_name == "FG_trainers_W2"


@run_async
async def test_palette_and_help_list_the_new_screens(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"network")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        wheres = {str(r[0]) for r in cells(app.screen.query_one(DataTable))}
        whats = {str(r[2]) for r in cells(app.screen.query_one(DataTable))}
        assert {"Matrix and change", "Network"} <= wheres
        assert {"matrix", "network", "export GraphML+PNG"} <= whats
        await pilot.press("escape", "f6")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)


@run_async
async def test_code_picker_overlay_keeps_focus_and_scroll(tui_project, open_project):
    """The picker on the coding screen is an overlay fed by the transcript's keys: no
    screen is pushed, the focus and the scroll position stay, Escape cancels."""
    from qualcode.tui.widgets.code_picker import PickerPanel
    from qualcode.tui.widgets.transcript_view import TranscriptView

    app = make_app(tui_project)
    async with app.run_test(size=(100, 16)) as pilot:  # small: the transcript scrolls
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        view = screen.query_one(TranscriptView)
        assert not screen.query(PickerPanel) and not screen.picking  # mounted on first use
        await pilot.press("pagedown")
        await pilot.pause()
        top = view.scroll_y
        assert top > 0
        await pilot.press("s", "c")
        await pilot.pause()
        panel = screen.query_one(PickerPanel)
        assert panel.display and screen.picking and app.screen is screen
        assert screen.focused is view
        await pilot.press(*"mon")
        await pilot.pause()
        assert panel.query_one("#query").value == "mon"
        assert panel.shown[0] == ("code", "Money worries")
        await pilot.press("backspace", "backspace", "backspace", "escape")
        await pilot.pause()
        assert not panel.display and view.key_hook is None
        count = len(view.spans)
        await pilot.press("c", *"mon", "enter")
        await pilot.pause()
        assert not panel.display and screen.query_one(PickerPanel) is panel  # kept, hidden
        assert len(view.spans) == count + 1
        assert view.scroll_y == top and screen.focused is view
        selection = view.selection
        await pilot.press("down")  # keys move the selection again
        await pilot.pause()
        assert view.selection != selection
    with open_project() as p:
        assert ("Money worries", *selection) in {(c.code, c.start, c.end)
                                                 for c in p.coding.codings(transcript="P01_W1")}
