"""The terminal UI in an 80x24 terminal and in a new user's first hour: the text column
keeps its room, tabs stay in their column, Escape keeps the cursor, lists show where
they are, words say what they mean, and new codes get a parent and a colour."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Region
from textual.widgets import DataTable, OptionList

from qualcode import Project
from qualcode.export.colours import CODE_PALETTE, contrast, new_code_colour
from qualcode.model import Target
from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.help import HelpScreen, key_rows
from qualcode.tui.shown import counted
from qualcode.tui.widgets.code_picker import PickerPanel, rank
from qualcode.tui.widgets.coding_bar import CodingBar
from qualcode.tui.widgets.key_footer import KeyFooter
from qualcode.tui.widgets.status_line import StatusLine, fit_status
from qualcode.tui.widgets.transcript_view import TranscriptView

from .conftest import write_transcript
from .test_flows import open_first_transcript, run_async, settle

SMALL = (80, 24)


def row_text(widget, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


def rendered(widget) -> str:
    return str(widget.render())


# --- 1. an 80x24 terminal -----------------------------------------------------------------


@run_async
async def test_coding_screen_at_80_columns_keeps_50_cells_of_text_and_o_brings_the_codebook(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        screen = app.screen
        assert not screen.codebook_shown
        assert view.text_width >= 50
        # Every drawn row is exactly the view's width: nothing pushes into the next pane.
        width = view.scrollable_content_region.width
        assert all(view.render_line(y).cell_length == width for y in range(5))
        await pilot.press("o")
        await pilot.pause()
        assert screen.codebook_shown
        await pilot.press("o")
        await pilot.pause()
        assert not screen.codebook_shown and view.has_focus
        # Tab to the folded codebook unfolds it and gives it the focus.
        await pilot.press("tab")
        await pilot.pause()
        assert screen.codebook_shown and screen.query_one("#codebook").has_focus


@run_async
async def test_wide_terminal_keeps_the_codebook_and_full_columns(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        assert app.screen.codebook_shown
        # Full columns; the text keeps a comfortable line and the margin takes the rest.
        assert view.prefix == 20 and view.margin == 34 and view.text_width >= 64


@run_async
async def test_home_grid_keeps_id_and_name_while_waves_scroll(tui_project):
    with Project.open(tui_project) as p:  # more waves than 80 columns can show
        for n in range(3, 9):
            p.study.add_wave(f"W{n}")
            p.study.set_attendance("P01", f"W{n}", "withdrawn")
    app = make_app(tui_project)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#grid", DataTable)
        assert table.fixed_columns == 2
        table.move_cursor(row=0, column=11)  # W8, the last wave
        await pilot.pause()
        assert table.scroll_x > 0  # the waves did scroll sideways
        first = row_text(table, 1)  # under the header
        assert first.lstrip().startswith("P01") and "Anna" in first
        assert "W1" not in row_text(table, 0)  # the first wave did scroll out of view


def test_status_line_fits_with_the_saved_state_first():
    state = Text(" ✓ all changes saved")
    last = "coded 433:478 with Trust and rapport and Being listened to"
    wide = fit_status(state, last, "anna", "A study (study.qualcode)", 160).plain
    assert wide == (" ✓ all changes saved  ·  " + last + "  ·  coder anna  ·  A study (study.qualcode)")
    # Narrower: the project goes, then the coder; the last action stays whole.
    narrow = fit_status(state, last, "anna", "A study (study.qualcode)", 100).plain
    assert narrow == " ✓ all changes saved  ·  " + last + "  ·  coder anna"
    narrower = fit_status(state, last, "anna", "A study (study.qualcode)", 90).plain
    assert narrower == " ✓ all changes saved  ·  " + last
    # Narrower still: the last action is cut with an ellipsis; the state stays.
    cut = fit_status(state, last, "anna", "A study", 50).plain
    assert cell_len(cut) == 50 and cut.endswith("…") and cut.startswith(" ✓ all changes saved  ·  coded 433")
    tiny = fit_status(state, last, "anna", "A study", 18).plain
    assert cell_len(tiny) <= 18 and tiny.startswith(" ✓ all")


@run_async
async def test_status_and_footer_fit_80_columns_and_keep_help(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await open_first_transcript(pilot)
        bar = app.screen.query_one(CodingBar)  # the coding screen's status and keys
        status, footer = rendered(bar), str(bar.keys())
        assert cell_len(status) <= 80 and status.startswith(" ✓ all changes saved")
        assert cell_len(footer) <= 80
        assert footer.rstrip().endswith("?  help")  # help always, last: it lists the rest
        assert " c  code " in footer  # the screen's own keys before the global ones
        # Drawn as said: line 2 the status, line 3 the keys.
        lines = ["".join(segment.text for segment in line)
                 for line in bar.render_lines(Region(0, 0, *bar.outer_size))]
        assert lines[1].rstrip() == status.rstrip() and lines[2].rstrip() == footer.rstrip()
    app = make_app(tui_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        footer = rendered(app.screen.query_one(KeyFooter))  # other screens: a footer of its own
        assert footer.rstrip().endswith("?  help")
        status = rendered(app.screen.query_one(StatusLine))
        # The title and the file name, told apart.
        assert "TUI test study (study.qualcode)" in status


# --- 2. tabs and control characters -------------------------------------------------------


@run_async
async def test_a_tab_is_drawn_to_its_tab_stop_and_the_margin_stays_in_line(tmp_path):
    source = tmp_path / "p01_w1.txt"
    source.write_text("Interviewer: When did you write?\n\n"
                      "P01: Date of first writing:\tFebruary 8, 1939\x07 and again\n\n"
                      "P01: No tab here at all in this turn\n", encoding="utf-8")
    path = tmp_path / "tabs.qualcode"
    with Project.create(path, title="Tabs") as p:
        p.study.add_wave("W1")
        p.study.add_participant("P01")
        p.transcripts.import_transcript(source, participant="P01", wave="W1")
        text = p.transcripts.get("p01_w1").text
        p.codebook.add_code("Dates", colour="#0072b2")
        start = text.index("Date of")
        p.coding.tag("p01_w1", "Dates", Target(range=(start, start + 10)))
        p.coding.tag("p01_w1", "Dates", Target(range=(text.index("No tab"), text.index("No tab") + 6)))
    app = make_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.query_one(TranscriptView)
        # The offsets are the stored text's: only the bell is shown as its picture.
        assert view.text == text.replace("\x07", "␇")
        tab_row = view.row_of(text.index("\t"))
        other_row = view.row_of(text.index("No tab"))
        width = view.scrollable_content_region.width
        strips = {row: view.render_line(row - int(view.scroll_y)) for row in (tab_row, other_row)}
        for strip in strips.values():
            assert strip.cell_length == width
            assert all("\t" not in seg.text and "\x07" not in seg.text for seg in strip)
        drawn = "".join(seg.text for seg in strips[tab_row])
        # "Date of first writing:" is 22 cells: the tab fills to 24, the next stop of 4.
        column = drawn.index("Date of")
        assert drawn[column + 22:column + 24] == "  " and drawn[column + 24:].startswith("February")
        assert "␇" in drawn  # the bell shows as its picture, one cell
        # The margin's bar is in the same column on both rows.
        bars = [("".join(seg.text for seg in strips[row])).index("▍") for row in (tab_row, other_row)]
        assert bars[0] == bars[1] == view.prefix + view.text_width + 1
        # A click after the tab lands on the character drawn there.
        y = tab_row - int(view.scroll_y)
        await pilot.click(view, offset=(column + 24, y))
        await pilot.pause()
        assert view.cursor == text.index("February")


# --- 3. selection and focus -----------------------------------------------------------------


@run_async
async def test_escape_after_selecting_a_turn_leaves_the_cursor_where_it_was(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        await pilot.press("]", "]", "]", "]", "w", "w")  # turn 5, its third word
        here = view.cursor
        await pilot.press("t")
        assert view.selection == (view.turns[4].start, view.turns[4].end)
        assert view.cursor == view.turns[4].end
        await pilot.press("escape")
        assert view.selection is None and view.cursor == here


@run_async
async def test_tab_into_the_other_documents_highlights_one_and_enter_opens_it(tui_project, tmp_path):
    with Project.open(tui_project) as p:
        p.transcripts.import_transcript(write_transcript(tmp_path / "notes.txt", name="Bea"), kind="document",
                            name="Field notes")
    app = make_app(tui_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        others = app.screen.query_one("#others", OptionList)
        assert others.highlighted is None
        await pilot.press("tab")
        await pilot.pause()
        assert others.has_focus and others.highlighted == 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CodingScreen) and app.screen.transcript_name == "Field notes"


# --- 4. wording and help ----------------------------------------------------------------------


@run_async
async def test_home_says_interviewed_and_missed_not_done(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#grid", DataTable)
        row = {str(c) for c in table.get_row_at(0)} | {str(c) for c in table.get_row_at(1)}
        assert "1 coded · interviewed" in {c.strip() for c in row}
        assert "missed" in row  # P02 at W2
        assert not any("done" in c for c in row)


def test_help_groups_the_digit_keys_in_one_row():
    rows = key_rows(PickerPanel.BINDINGS)
    digits = [keys for keys, _ in rows if keys[0].isdigit()]
    assert digits == ["0-9"]
    assert not any("digit(" in what for _, what in rows)


@run_async
async def test_help_screen_lists_0_9_once(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        keys = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert keys.count("0-9") == 1 and "0" not in keys and "9" not in keys


def test_counts_agree_with_their_nouns():
    assert counted(1, "turn") == "1 turn"
    assert counted(0, "coding") == "0 codings"
    assert counted(2, "sub-code") == "2 sub-codes"
    assert counted(1234, "character") == "1,234 characters"


@run_async
async def test_coding_title_says_1_turn(tmp_path):
    source = tmp_path / "one.txt"
    source.write_text("P01: Only one turn here.\n", encoding="utf-8")
    path = tmp_path / "one.qualcode"
    with Project.create(path, title="One") as p:
        p.study.add_wave("W1")
        p.study.add_participant("P01")
        p.transcripts.import_transcript(source, participant="P01", wave="W1")
    app = make_app(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        title = str(app.screen.query_one("#doc-title").text)
        assert " 1 turn ·" in title and "· 0 codings" in title


# --- 5. the code picker: ranking, parents, colours ----------------------------------------


def test_picker_ranks_exact_then_prefixes_and_drops_loose_matches():
    names = ["First contact", "Re-tendering and providers", "Trust and rapport", "Distrust",
             "Money worries", "Physical activity"]
    assert rank("trust", names) == ["Trust and rapport", "Distrust"]
    assert rank("turst", names) == ["Trust and rapport"]  # a typo still finds it
    assert rank("phys act", names) == ["Physical activity"]
    assert rank("money worries", names)[0] == "Money worries"


def test_new_code_palette_reads_on_dark_and_light_terminals():
    for colour in CODE_PALETTE:
        assert contrast(colour, "#1e1e1e") >= 3, colour
        assert contrast(colour, "#000000") >= 3, colour
        assert contrast(colour, "#ffffff") >= 3, colour
    assert len(set(CODE_PALETTE)) == len(CODE_PALETTE)
    # The least used colour comes next, the earliest of a tie.
    assert new_code_colour([]) == CODE_PALETTE[0]
    assert new_code_colour([CODE_PALETTE[0], None, "#123456"]) == CODE_PALETTE[1]
    assert new_code_colour([*CODE_PALETTE, CODE_PALETTE[0].lower()]) == CODE_PALETTE[1]


@run_async
async def test_new_code_goes_under_the_last_codes_category_with_a_colour(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await open_first_transcript(pilot)
        await pilot.press("]", "s", "c", *"trust", "enter")  # Trust is under Relationship
        await pilot.pause()
        await pilot.press("down", "c", *"Hope", "enter")
        await pilot.pause()
        # Tab moves the new code's place on: from Relationship to the top level.
        await pilot.press("down", "c", *"Fear")
        panel = app.screen.query_one(PickerPanel)
        assert panel.new_code_parent == "Relationship"
        assert "Relationship" in str(panel.query_one("#picker-parent").render())
        await pilot.press("tab")
        assert panel.new_code_parent is None
        await pilot.press("enter")
        await pilot.pause()
    with open_project() as p:
        hope, fear = p.codebook.code("Hope"), p.codebook.code("Fear")
        assert hope.parent == "Relationship" and fear.parent is None
        taken = ["#e69f00", "#0072b2", "#d55e00", "#009e73"]  # the test codebook's colours
        assert hope.colour == new_code_colour(taken)
        assert fear.colour == new_code_colour([*taken, hope.colour])
        assert hope.colour != fear.colour


# --- 6. the network as a picture ------------------------------------------------------------


@run_async
async def test_network_is_a_picture_per_wave_in_one_layout_and_p_shows_the_table(tui_project):
    from qualcode.tui.screens.network import NetworkScreen
    from qualcode.tui.widgets.network_picture import NetworkPicture

    app = make_app(tui_project)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NetworkScreen)
        table = screen.query_one("#pairs", DataTable)
        assert screen.query_one("#pictures").display and not table.display
        [picture] = screen.query(NetworkPicture)
        await pilot.pause()
        drawn = picture.picture
        # The two codes coded anywhere are drawn, each labelled.
        assert set(drawn.nodes) == set(drawn.labels) == {"Money worries", "Trust"}
        assert all(len(line) == picture.size.width for line in drawn.lines())
        await pilot.press("p")
        await pilot.pause()
        assert table.display and table.has_focus and not screen.query_one("#pictures").display
        await pilot.press("p", "s", "s", "w", "w", "w")  # transcript scope, per wave
        await settle(pilot)
        assert screen.wave == "per wave"
        pictures = list(screen.query(NetworkPicture))
        assert [p.title for p in pictures] == ["wave W1", "wave W2"]
        await pilot.pause()
        # One layout for both waves, as the PNGs: a code sits in the same cell in each.
        w1, w2 = (p.picture for p in pictures)
        assert w1.nodes["Trust"] == w2.nodes["Trust"]
        assert w1.nodes["Money worries"] == w2.nodes["Money worries"]


@run_async
async def test_matrix_keeps_who_and_when_while_codes_scroll(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await settle(pilot)
        table = app.screen.query_one("#matrix", DataTable)
        assert table.fixed_columns == 3  # participant, wave, n
        assert row_text(table, 1).lstrip().startswith("P01")


@run_async
async def test_the_focused_pane_says_so_in_its_title(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        grid_title, side_title = app.screen.query(".pane-title")
        assert grid_title.styles.background != side_title.styles.background
        focused_look = grid_title.styles.background
        await pilot.press("tab")  # to the other documents
        await pilot.pause()
        assert app.focused.id == "others"
        assert side_title.styles.background == focused_look
        assert grid_title.styles.background != focused_look


@run_async
async def test_code_picker_fits_a_24_row_terminal(tui_project):
    with Project.open(tui_project) as p:  # a full list: nine codes and the in-vivo line
        for n in range(12):
            p.codebook.add_code(f"Extra {n}")
    app = make_app(tui_project)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await open_first_transcript(pilot)
        await pilot.press("]", "s", "c")
        await pilot.pause()
        panel = app.screen.query_one(PickerPanel)
        assert panel.display and panel.region.y >= 0 and panel.region.bottom <= SMALL[1]
        assert panel.region.right <= SMALL[0]
