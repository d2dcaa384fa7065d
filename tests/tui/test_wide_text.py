"""Text whose characters take other than one terminal cell each: CJK (two cells),
emoji sequences (two cells for several code points), combining accents (none). Rows
must fit their column, and the mouse must land on the character under it."""

from __future__ import annotations

import asyncio

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, split_graphemes

from qualcode import Project
from qualcode.records.transcripts import Turn
from qualcode.tui.app import make_app
from qualcode.tui.widgets.transcript_rows import offset_in_row, wrap_rows
from qualcode.tui.widgets.transcript_view import TranscriptView

FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467"  # one grapheme, five code points, two cells
WORDS = ["food", "bank", "食物银行", "我们", "每个星期", "👍", FAMILY, "café", "cafe\u0301", "naïve", "の"]


def _turn(start: int, end: int) -> Turn:
    return Turn(id=1, seq=1, speaker="P01", participant="P01", interviewer=0, start=start, end=end)


def _check_rows(text: str, turns: list[Turn], width: int) -> None:
    rows = wrap_rows(text, turns, width)
    for turn_index, turn in enumerate(turns):
        mine = [(a, b) for a, b, index, _ in rows if index == turn_index]
        # The rows cover the turn in order, leaving out only the line breaks.
        assert "".join(text[a:b] for a, b in mine) == text[turn.start:turn.end].replace("\n", "")
        for a, b in mine:
            shown = text[a:b].rstrip(" ")  # a row may end with the space it was cut after
            # At most the width, unless one grapheme alone is wider than the row.
            assert cell_len(shown) <= width or len(split_graphemes(shown)[0]) == 1, (shown, width)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40), min_size=1, max_size=4),
       st.integers(min_value=4, max_value=30))
def test_rows_never_exceed_the_width_in_cells(paragraphs, width):
    speech = "\n".join(" ".join(words) for words in paragraphs)
    text = "P01: " + speech
    _check_rows(text, [_turn(5, len(text))], width)


def test_ascii_rows_are_cut_as_before():
    text = "one two three four five six seven eight nine ten"
    rows = wrap_rows(text, [_turn(0, len(text))], 10)
    assert [text[a:b] for a, b, _, _ in rows] == ["one two ", "three four ", "five six ", "seven ",
                                                   "eight nine ", "ten"]


def test_wide_rows_are_cut_in_cells_after_spaces():
    text = "我们 每个星期 都去 食物银行"
    rows = wrap_rows(text, [_turn(0, len(text))], 8)
    assert [text[a:b] for a, b, _, _ in rows] == ["我们 ", "每个星期 ", "都去 ", "食物银行"]
    unbroken = "食物银行食物银行食"
    rows = wrap_rows(unbroken, [_turn(0, len(unbroken))], 5)
    assert [unbroken[a:b] for a, b, _, _ in rows] == ["食物", "银行", "食物", "银行", "食"]


def test_offset_in_row_counts_cells():
    text = "ab食物" + FAMILY + "z"
    end = len(text)
    assert [offset_in_row(text, 0, end, column) for column in range(9)] == [
        0, 1,      # a, b
        2, 2,      # 食 takes two cells
        3, 3,      # 物
        4, 4,      # the family emoji: two cells, five code points, one place to land
        9,         # z
    ]
    assert offset_in_row(text, 0, end, 50) == end
    assert offset_in_row("plain", 0, 5, 3) == 3


def test_coding_screen_keeps_wide_text_in_its_column(tmp_path):
    speech = ("我每个星期都去食物银行，因为钱不够用。" * 6) + " 👍 " + FAMILY + " 谢谢。"
    source = tmp_path / "P01_W1.txt"
    source.write_text(f"Interviewer: 你好。\n\nP01: {speech}\n", encoding="utf-8")
    path = tmp_path / "wide.qualcode"
    with Project.create(path, title="wide") as project:
        project.study.add_wave("W1")
        project.study.add_participant("P01")
        project.transcripts.import_transcript(source, participant="P01", wave="W1")
        project.codebook.add_code("Money", colour="#d55e00")
        text = project.transcripts.get("P01_W1").text
        start = text.index("食物银行")
        project.coding.apply_spans([("P01_W1", "Money", start, start + 4)], summary="wide")

    async def run() -> None:
        app = make_app(path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            view = pilot.app.screen.query_one(TranscriptView)
            width = view.scrollable_content_region.width
            shown = []
            for y in range(min(len(view._rows), view.scrollable_content_region.height)):
                strip = view.render_line(y)
                # Nothing overflows (and nothing is cropped at the right edge).
                assert strip.cell_length == width
                start, end, turn, _ = view._rows[y]
                if turn >= 0:
                    assert cell_len(text[start:end].rstrip()) <= view.text_width
                    line = "".join(segment.text for segment in strip)
                    assert text[start:end].rstrip() in line
                    shown.append(text[start:end])
            assert "".join(shown).startswith("你好。我每个星期都去食物银行")
            # The coded row shows the code's name in the margin, not cut off.
            coded = view.row_of(text.index("食物银行"))
            margin = "".join(s.text for s in view.render_line(coded - int(view.scroll_y)))
            assert margin.rstrip().endswith("Money")
            # A click on the second cell of a wide character lands on that character.
            row = view.row_of(text.index("我每个"))
            first_char = view._rows[row][0]
            await pilot.click(view, offset=(view.prefix + 3, row - int(view.scroll_y)))
            await pilot.pause()
            assert view.cursor == first_char + 1

    asyncio.run(run())
