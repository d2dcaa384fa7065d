"""Correcting transcripts from the TUI: where a researcher looks for it (the study home
for a transcript, the coding screen for turns, the participant screen), each undoable."""

from __future__ import annotations

from qualcode.tui.app import make_app
from qualcode.tui.dialogs import ChoiceDialog, ConfirmDialog, TextInputDialog, TranscriptFieldsDialog
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.participant import ParticipantScreen
from qualcode.tui.widgets.transcript_view import TranscriptView

from .conftest import TURNS, write_transcript
from .test_flows import SIZE, open_first_transcript, run_async, settle


@run_async
async def test_edit_a_transcripts_wave_from_home_and_undo(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptFieldsDialog)
        wave = app.screen.query_one("#wave")
        wave.value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        with open_project() as p:
            assert p.transcripts.transcript_summary("P01_W1").wave is None
        await pilot.press("u")
        await settle(pilot)
        with open_project() as p:
            assert p.transcripts.transcript_summary("P01_W1").wave == "W1"


@run_async
async def test_delete_a_transcript_after_confirming(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "2 coding(s)" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        with open_project() as p:
            assert "P01_W1" not in [t.name for t in p.transcripts.all()]
        await pilot.press("u")
        await settle(pilot)
        with open_project() as p:
            assert len(p.coding.codings(transcript="P01_W1")) == 2


@run_async
async def test_replace_a_transcripts_text(tui_project, open_project, tmp_path):
    corrected = write_transcript(tmp_path / "corrected.txt",
                                 [(s, t.replace("woman", "trainer")) for s, t in TURNS])
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TextInputDialog)
        app.screen.query_one("#text").value = str(corrected)
        await pilot.press("enter")
        await settle(pilot)
        assert "2 codings kept" in app.last_action
        with open_project() as p:
            assert "A trainer had leaflets." in p.transcripts.get("P01_W1").text


@run_async
async def test_split_join_and_relabel_turns_in_the_coding_screen(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        with open_project() as p:
            turns = p.transcripts.get("P01_W1").turns
            text = p.transcripts.get("P01_W1").text
        second = turns[1]
        at = text.index("A woman", second.start)
        view.go_to(at)
        await pilot.press("S")
        await settle(pilot)
        with open_project() as p:
            after = p.transcripts.get("P01_W1")
            assert len(after.turns) == len(turns) + 1
            assert after.text[after.turns[2].start:].startswith("A woman had leaflets.")
        view = app.screen.query_one(TranscriptView)
        assert len(view.turns) == len(turns) + 1
        assert view.cursor == at  # kept where the cut was
        view.go_to(second.start)
        await pilot.press("J")
        await settle(pilot)
        with open_project() as p:
            assert [(t.start, t.end) for t in p.transcripts.get("P01_W1").turns] == [
                (t.start, t.end) for t in turns]
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        labels = [label for label, _ in app.screen.choices]
        assert labels[0] == "turn 2 -> Interviewer"
        await pilot.press("enter")
        await settle(pilot)
        with open_project() as p:
            assert p.transcripts.get("P01_W1").turns[1].speaker == "Interviewer"
        await pilot.press("u", "u", "u")
        await settle(pilot)
        with open_project() as p:
            assert [t.speaker for t in p.transcripts.get("P01_W1").turns] == [t.speaker for t in turns]
        assert [t.speaker for t in app.screen.query_one(TranscriptView).turns] == [t.speaker for t in turns]


@run_async
async def test_delete_a_participant_from_their_screen(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "p")
        await settle(pilot)
        assert isinstance(app.screen, ParticipantScreen) and app.screen.pid == "P02"
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        with open_project() as p:
            assert [x.pid for x in p.study.participants()] == ["P01"]
