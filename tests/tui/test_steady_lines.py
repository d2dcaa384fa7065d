"""Widgets that give the compositor the lines they gave it last (SteadyLines) and the
transcript view that draws again only its dirty rows (SteadyScrollView) must never show
a stale line: after every change, what they give equals what a fresh render draws."""

from __future__ import annotations

import asyncio

from textual.geometry import Region
from textual.widgets import Tree

from qualcode.tui.app import make_app
from qualcode.tui.widgets.coding_bar import CodingBar
from qualcode.tui.widgets.quick_line import QuickLine
from qualcode.tui.widgets.transcript_view import TranscriptView

from .test_flows import open_first_transcript


def drawn(widget) -> list[list[tuple[str, str]]]:
    """The widget's whole region as the compositor asks for it: text and style per run."""
    lines = widget.render_lines(Region(0, 0, *widget.outer_size))
    return [[(segment.text, str(segment.style)) for segment in line] for line in lines]


def fresh(widget) -> list[list[tuple[str, str]]]:
    """The same lines drawn from nothing (every cache of the widget dropped)."""
    widget.refresh()
    return drawn(widget)


def test_the_view_redraws_its_dirty_rows_and_keeps_the_rest_exactly(tui_project):
    async def run() -> None:
        app = make_app(tui_project)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await open_first_transcript(pilot)
            screen = app.screen
            view = screen.query_one(TranscriptView)
            before = drawn(view)
            for keys in (["down"], ["down", "down"], ["s"], ["down"], ["shift+right"] * 3,
                         ["escape"], ["pagedown"], ["up"], ["right_square_bracket"], ["t"]):
                await pilot.press(*keys)
                await pilot.pause()
                kept = drawn(view)
                assert kept == fresh(view), keys
            assert kept != before  # the keys did move the cursor on screen

    asyncio.run(run())


def test_steady_lines_follow_every_change(tui_project):
    async def run() -> None:
        app = make_app(tui_project)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await open_first_transcript(pilot)
            screen = app.screen
            position = screen.query_one(CodingBar)
            title = screen.query_one("#doc-title", QuickLine)
            tree = screen.query_one(Tree)
            # The position line says where the cursor is, key after key.
            said = drawn(position)
            await pilot.press("down")
            await pilot.pause()
            assert drawn(position) != said and drawn(position) == fresh(position)
            # The codebook's title (the tree's top border) lights up when the tree takes
            # the focus, and the transcript's title goes dark.
            unlit, lit = drawn(tree)[0], drawn(title)
            await pilot.press("tab")
            await pilot.pause()
            assert tree.has_focus
            assert drawn(tree)[0] != unlit and drawn(tree) == fresh(tree)
            assert drawn(title) != lit and drawn(title) == fresh(title)
            await pilot.press("tab")
            await pilot.pause()
            assert drawn(tree)[0] == unlit and drawn(title) == lit
            # A code applied changes its count in the tree as drawn.
            shown = drawn(tree)
            await pilot.press("s", "c", *"mon", "enter")
            await pilot.pause()
            assert drawn(tree) != shown and drawn(tree) == fresh(tree)
            # Another theme: every line takes its colours.
            dark = drawn(position), drawn(title), drawn(tree)
            app.theme = "textual-light"
            await pilot.pause()
            light = drawn(position), drawn(title), drawn(tree)
            assert all(a != b for a, b in zip(dark, light, strict=True))
            assert light == (fresh(position), fresh(title), fresh(tree))
            # ...and keeps them when the position line alone is drawn again.
            await pilot.press("down")
            await pilot.pause()
            assert drawn(position) != light[0] and drawn(position) == fresh(position)
            line = title.render_lines(Region(0, 0, *title.outer_size))[0]
            assert {segment.style.bgcolor for segment in line} == {title.rich_style.bgcolor}
            status_line = position.render_lines(Region(0, 0, *position.outer_size))[1]
            expected = position.get_component_rich_style("coding-bar--status").bgcolor
            assert {segment.style.bgcolor for segment in status_line} == {expected}
            # A longer text than the line is cut with an ellipsis, never wrapped away.
            position.show_position("x" * 500)
            await pilot.pause()
            line = drawn(position)[0]
            text = "".join(run_text for run_text, _style in line)
            assert text.rstrip().endswith("…") and len(text) == position.outer_size.width

    asyncio.run(run())


def textual_lines(view) -> list[list[tuple[str, str]]]:
    """The view's lines as Textual's own pipeline draws them (its styles cache emptied
    first), bypassing every shortcut of SteadyScrollView."""
    from qualcode.tui.textual_adapter import SteadyScrollView

    view._styles_cache.clear()
    lines = super(SteadyScrollView, view).render_lines(Region(0, 0, *view.outer_size))
    return [[(segment.text, str(segment.style)) for segment in line] for line in lines]


def test_rows_kept_across_a_scroll_are_what_textual_draws(tui_project, tmp_path):
    # Scrolling keeps every row that stays in view and draws only those that come in;
    # the rows are given straight, filtered as Textual would filter them. After each of
    # these moves the view must show exactly what Textual's own pipeline draws.
    from qualcode import Project
    from qualcode.coding.tagging import Target

    source = tmp_path / "long.txt"
    source.write_text("\n\n".join(
        f"{'Interviewer' if i % 2 else 'Anna'}: Turn {i} begins here. It goes on for a while, "
        f"with a second sentence! And a third one, to wrap the row? Yes." for i in range(60)) + "\n")
    with Project.open(tui_project) as project:
        project.coder = "tester"
        project.transcripts.import_transcript(source, participant="P01", speaker_map={"Anna": "P01"})
        for turn in range(2, 60, 3):
            project.coding.tag("long", "Trust", Target(sentence=f"{turn}.2"))

    async def run() -> None:
        app = make_app(tui_project)
        async with app.run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            app.open_transcript("long")
            while not getattr(app.screen, "loaded", False):
                await asyncio.sleep(0.01)
            await pilot.pause()
            view = app.screen.query_one(TranscriptView)
            height = view.scrollable_content_region.height
            assert view.virtual_size.height > 5 * height
            scrolled = []
            for keys in (["down"] * (3 * height), ["shift+down"] * 3, ["escape"], ["up"] * (3 * height),
                         ["pagedown"], ["pagedown"], ["down"], ["pageup"], ["end"], ["home"]):
                top = view.scroll_y
                await pilot.press(*keys)
                await pilot.pause()
                scrolled.append(view.scroll_y != top)
                assert drawn(view) == textual_lines(view), keys
            view.scroll_relative(y=3, animate=False)  # as the mouse wheel scrolls it
            await pilot.pause()
            assert drawn(view) == textual_lines(view)
            assert all(scrolled[i] for i in (0, 4, 5, 7, 8, 9)), scrolled  # these did scroll the view

    asyncio.run(run())


def test_the_quick_dim_line_is_drawn_as_the_general_one():
    # The position line is drawn on every key by draw_dim_line, which must give what
    # draw_line gives for the same dim text: styles, ellipsis and width, wide
    # characters included.
    from rich.console import Console
    from rich.style import Style
    from rich.text import Text

    from qualcode.tui.widgets.quick_line import draw_dim_line, draw_line

    console = Console(color_system="truecolor", width=80)
    styles = [Style(color="rgb(220,220,220)", bgcolor="rgb(30,30,30)"), Style(color="green", bgcolor="#102030")]
    texts = ["turn 3  ·  at 120", "x" * 200, "访谈 " * 30, "", "a\tb"]
    for style in styles:
        for text in texts:
            for width in (1, 2, 3, 10, 40, 80):
                quick = [(s.text, s.style) for s in draw_dim_line(text, width, style, console)]
                general = [(s.text, s.style) for s in draw_line(Text.assemble(" ", Text(text, "dim")), width,
                                                                style, console)]
                assert "".join(t for t, _ in quick) == "".join(t for t, _ in general), (text, width)
                assert [s for _, s in quick if _.strip()] == [s for _, s in general if _.strip()], (text, width)


def test_lines_drawn_straight_take_a_new_background():
    # straight_lines keeps what a widget's styles say until the widget is repainted
    # whole (as a change of style, its own or an ancestor's, repaints it); a line
    # shorter than the widget is padded in its background, as Textual's pipeline pads it.
    from rich.segment import Segment
    from textual.app import App
    from textual.strip import Strip
    from textual.widget import Widget

    from qualcode.tui.textual_adapter import SteadyLines, straight_lines

    class Short(SteadyLines, Widget):
        def render_line(self, y: int) -> Strip:
            return Strip([Segment("ab")])

    class Host(App):
        def compose(self):
            yield Short()

    def pads(widget) -> set:
        lines = straight_lines(widget, Region(0, 0, widget.size.width, widget.size.height))
        return {segment.style.bgcolor for line in lines for segment in line if not segment.text.strip()}

    async def run() -> None:
        async with Host().run_test(size=(20, 3)) as pilot:
            widget = pilot.app.query_one(Short)
            widget.styles.background = "rgb(10,20,30)"
            await pilot.pause()
            first = pads(widget)
            widget.styles.background = "rgb(200,100,50)"
            await pilot.pause()
            second = pads(widget)
            assert first != second and len(second) == 1
            textual = super(SteadyLines, widget).render_lines(Region(0, 0, widget.size.width, widget.size.height))
            assert straight_lines(widget, Region(0, 0, widget.size.width, widget.size.height)) == textual
            # A widget without a background of its own shows its ancestor's: a new one
            # there reaches its lines too.
            widget.styles.background = None
            pilot.app.screen.styles.background = "rgb(1,2,3)"
            await pilot.pause()
            third = pads(widget)
            pilot.app.screen.styles.background = "rgb(90,90,200)"
            await pilot.pause()
            assert pads(widget) != third

    asyncio.run(run())
