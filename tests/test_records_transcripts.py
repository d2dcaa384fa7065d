"""Transcripts, turns, speakers and the study's other results come back as frozen records,
and the --json of the commands that print them keeps its keys."""

from __future__ import annotations

import dataclasses
import json

import pytest

from qualcode import Project
from qualcode.records import json_data
from qualcode.records.exchange import RefiExport, RefiImportReport
from qualcode.records.study import Coder, Interviewer, NameKeyEntry, NameSuggestion, StudyFacts
from qualcode.records.transcripts import ImportResult, Sentence, Speaker, Transcript, TranscriptDocument, Turn

INTERVIEW = "Interviewer: How are you?\n\nP01: Fine. Thanks to Maggie Hale.\n\nInterviewer: Good.\n"


@pytest.fixture
def small(tmp_path):
    source = tmp_path / "P01_W1.txt"
    source.write_text(INTERVIEW, encoding="utf-8")
    path = tmp_path / "small.qualcode"
    with Project.create(path, title="small") as project:
        project.study.add_wave("W1")
        project.study.add_participant("P01")
        project.transcripts.import_transcript(source, participant="P01", wave="W1", date="2025-03-12")
    return path


def _frozen(record) -> None:
    assert dataclasses.is_dataclass(record) and not hasattr(record, "__dict__")
    first = dataclasses.fields(record)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, first, None)


def test_transcripts_turns_and_speakers_are_frozen_records(small):
    with Project.open(small) as project:
        [listed] = project.transcripts.all()
        doc = project.transcripts.get("P01_W1")
    assert isinstance(listed, Transcript) and isinstance(doc, TranscriptDocument)
    assert (listed.name, listed.kind, listed.wave, listed.participant, listed.date) == (
        "P01_W1", "interview", "W1", "P01", "2025-03-12")
    # Three turns, by hand: two of the interviewer's, one of P01's, with two sentences.
    assert listed.turns == len(doc.turns) == 3 and listed.codings == 0
    assert all(isinstance(t, Turn) for t in doc.turns) and all(isinstance(s, Speaker) for s in doc.speakers)
    assert [(t.seq, t.speaker, t.participant, bool(t.interviewer)) for t in doc.turns] == [
        (1, "Interviewer", None, True), (2, "P01", "P01", False), (3, "Interviewer", None, True)]
    assert [doc.text[t.start:t.end] for t in doc.turns] == ["How are you?", "Fine. Thanks to Maggie Hale.", "Good."]
    assert [(s.label, s.participant, s.turns) for s in doc.speakers] == [("Interviewer", None, 2), ("P01", "P01", 1)]
    assert all(isinstance(s, Sentence) for s in doc.sentences)
    assert [(s.seq, s.turn, doc.text[s.start:s.end]) for s in doc.sentences] == [
        (1, 1, "How are you?"), (2, 2, "Fine."), (3, 2, "Thanks to Maggie Hale."), (4, 3, "Good.")]
    for record in (listed, doc, doc.turns[0], doc.speakers[0]):
        _frozen(record)
    with pytest.raises(AttributeError):  # a named tuple: as immutable, and quicker to make
        doc.sentences[0].seq = 9  # type: ignore[misc]
    assert json_data(doc.sentences[1]) == {"seq": 2, "turn": 2, "start": doc.turns[1].start,
                                           "end": doc.turns[1].start + len("Fine.")}
    assert doc.turns[1].with_text(doc.text).text == "Fine. Thanks to Maggie Hale."


def test_transcript_json_keys_are_unchanged(small, run_cli):
    p = ["-p", small]
    [listed] = json.loads(run_cli("transcript", "list", "--json", *p).stdout)
    assert list(listed) == ["name", "kind", "wave", "participant", "date", "source_name", "source_format",
                            "chars", "words", "turns", "codings"]
    shown = json.loads(run_cli("transcript", "show", "P01_W1", "--json", *p).stdout)
    assert list(shown) == ["guid", "name", "kind", "date", "source_name", "source_format", "sha256", "encoding",
                           "char_count", "word_count", "imported_at", "wave", "participant", "text", "speakers",
                           "turns", "sentences"]
    assert list(shown["speakers"][0]) == ["id", "label", "participant", "interviewer", "turns"]
    assert list(shown["turns"][0]) == ["id", "seq", "speaker", "participant", "interviewer", "start", "end",
                                       "start_time", "end_time", "time_estimated", "text"]
    assert shown["turns"][1]["text"] == "Fine. Thanks to Maggie Hale."
    assert shown["turns"][0]["interviewer"] == 1 and shown["turns"][1]["time_estimated"] == 0  # as stored
    assert list(shown["sentences"][0]) == ["seq", "turn", "start", "end"]
    speakers = json.loads(run_cli("transcript", "speakers", "P01_W1", "--json", *p).stdout)
    assert speakers == [{"label": "Interviewer", "participant": None, "interviewer": 1, "turns": 2},
                        {"label": "P01", "participant": "P01", "interviewer": 0, "turns": 1}]


def test_study_facts_interviewers_and_coders_are_records(small, run_cli):
    with Project.open(small) as project:
        project.coder = "anna"
        doc = project.transcripts.get("P01_W1")
        project.codebook.add_code("Coping")
        project.coding.apply_spans([("P01_W1", "Coping", doc.turns[1].start, doc.turns[1].end)], summary="one")
        person = project.study.set_interviewer("anna", gender="Woman", credentials="MSc")
        facts = project.study.set_study_facts({"setting": "Homes"})
        coders = project.study.coders()
    assert person == Interviewer("anna", credentials="MSc", gender="Woman")
    assert isinstance(facts, StudyFacts) and facts.facts == {"setting": "Homes"} and facts.interviewers == (person,)
    # By name: anna, and the coder who imported (QUALCODE_CODER of the tests), with none.
    assert [(c.name, c.codings) for c in coders] == [("anna", 1), ("tester", 0)] and isinstance(coders[0], Coder)
    for record in (person, facts, coders[0]):
        _frozen(record)
    assert person.value("gender") == "Woman" and person.value("occupation") is None
    with pytest.raises(KeyError):
        person.value("shoe")
    shown = json.loads(run_cli("study", "show", "--json", "-p", small).stdout)
    assert list(shown) == ["facts", "interviewers", "durations", "time_points"]
    # Only the fields recorded, as the stored object has them.
    assert shown["interviewers"] == [{"name": "anna", "credentials": "MSc", "gender": "Woman"}]
    assert json_data(coders[0]) == {"guid": coders[0].guid, "name": "anna", "created": coders[0].created,
                                    "codings": 1}


def test_name_key_and_suggestions_are_records_with_the_same_json(small, run_cli):
    with Project.open(small) as project:
        project.privacy.add_name("Maggie Hale", "[Person 1]")
        [entry] = project.privacy.name_key()
        suggestions = {s.text: s for s in project.privacy.suggest_names(use_entities=False)}
    assert isinstance(entry, NameKeyEntry) and (entry.real, entry.pseudonym, entry.kind) == (
        "Maggie Hale", "[Person 1]", "person")
    leaked = suggestions["Maggie Hale"]  # in the key, not yet replaced in the text
    assert isinstance(leaked, NameSuggestion) and leaked.pseudonym == leaked.proposed == "[Person 1]"
    assert leaked.transcripts == ("P01_W1",)
    _frozen(entry)
    _frozen(leaked)
    [listed] = json.loads(run_cli("namekey", "list", "--json", "-p", small).stdout)
    assert list(listed) == ["id", "real", "pseudonym", "kind", "participant"]
    found = json.loads(run_cli("deidentify", "--suggest", "--no-entities", "--json", "-p", small).stdout)
    by_text = {h["text"]: h for h in found}
    # The key's pseudonym only on a real name of the key, before "proposed", as before.
    assert list(by_text["Maggie Hale"]) == ["text", "kind", "source", "count", "transcripts", "example",
                                            "pseudonym", "proposed"]
    assert all("pseudonym" not in h for t, h in by_text.items() if t != "Maggie Hale")


def test_refi_results_are_records_with_the_same_json(small, tmp_path, run_cli):
    out = tmp_path / "small.qdpx"
    with Project.open(small) as project:
        written = project.exchange.export_refi(out)
    assert isinstance(written, RefiExport)
    assert (written.sources, written.participants, written.users, written.recordings_missing) == (1, 1, 1, ())
    _frozen(written)
    report = Project.from_refi(out, tmp_path / "back.qualcode")
    assert isinstance(report, RefiImportReport) and report.counts["transcripts"] == 1
    assert report.warnings == () and report.dropped == {}
    _frozen(report)
    exported = json.loads(run_cli("export", "refi", "-o", tmp_path / "again.qdpx", "--json", "-p", small).stdout)
    assert list(exported) == ["path", "users", "codes", "participants", "sources", "selections", "codings",
                              "memos", "waves", "recordings"]
    imported = json.loads(run_cli("import-refi", tmp_path / "again.qdpx", "-o", tmp_path / "b2.qualcode",
                                  "--json").stdout)
    assert list(imported) == ["source", "project", "origin", "counts", "dropped", "warnings", "checks"]
    assert imported["warnings"] == [] and imported["counts"]["transcripts"] == 1


def test_an_import_result_is_a_frozen_record(tmp_path):
    source = tmp_path / "P01_W1.txt"
    source.write_text(INTERVIEW, encoding="utf-8")
    with Project.create(tmp_path / "one.qualcode", title="one") as project:
        project.study.add_participant("P01")
        result = project.transcripts.import_transcript(source, participant="P01")
        again = project.transcripts.import_transcript(source, participant="P01")
    assert isinstance(result, ImportResult) and (result.status, result.turns, result.sentences) == ("imported", 3, 4)
    assert again.status == "duplicate" and again.name == "P01_W1"
    _frozen(result)
    assert list(json_data(result)) == ["name", "source", "status", "kind", "encoding", "participant", "wave",
                                       "turns", "sentences", "words", "speakers", "unmapped", "notes"]
