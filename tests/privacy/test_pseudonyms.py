"""Pseudonymisation: the name key on import, de-identifying stored transcripts with
every offset moved, the key kept outside the project, and suggestions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode import Project, QualcodeError
from qualcode.privacy.replace import reidentify, replace_names

TEXT = """Interviewer: How did you hear about the service?

Janet Walker: My neighbour Sue told me. Sue Smith, she lives on Ashby Road, by Greenfield Primary.

Interviewer: And the trainer?

Janet Walker: Leanne. She's lovely. I told Sue, and Sue went too. Suez was a canal, not a person.
"""


def test_replace_whole_words_longest_first():
    key = {"Sue": "Pam", "Sue Smith": "Pam Jones", "Ashby Road": "[Place 1]"}
    new, offsets, reps = replace_names(TEXT, key)
    assert "Sue" not in new.replace("Suez", "")
    assert "Pam Jones, she lives on [Place 1]" in new
    assert "Suez was a canal" in new
    assert [r.real for r in reps].count("Sue Smith") == 1
    # Offsets: text after every replacement lands on the same words.
    old = TEXT.index("Leanne")
    assert new[offsets(old):offsets(old) + 6] == "Leanne"


@given(st.lists(st.sampled_from(["Sue", "Sue Smith", "Bob", "x", " ", ".", "Susan", "sue", "\n"]), max_size=40),
       st.data())
@settings(max_examples=200, deadline=None)
def test_offset_map_keeps_every_untouched_character(pieces, data):
    text = "".join(pieces)
    key = {"Sue": "Alexandra", "Sue Smith": "Al", "Bob": "Robert Brown"}
    new, offsets, reps = replace_names(text, key)
    inside = set()
    for r in reps:
        inside.update(range(r.start, r.end))
    for i, ch in enumerate(text):
        if i not in inside:
            assert new[offsets(i)] == ch
    # Spans stay ordered and inside the new text.
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    assert 0 <= offsets(a) <= offsets(b, is_end=True) <= len(new)


def test_reidentify_needs_and_uses_the_key():
    key = {"Janet Walker": "Janet", "Sue Smith": "Pam Jones"}
    new = replace_names(TEXT, key)[0]
    assert reidentify(new, key).count("Sue Smith") == 1


@pytest.fixture
def study(tmp_path):
    project = Project.create(tmp_path / "p.qualcode")
    project.study.add_wave("W1")
    project.study.add_participant("C01", pseudonym="Janet")
    source = tmp_path / "C01_W1.txt"
    source.write_text(TEXT, encoding="utf-8")
    yield project, source
    project.close()


def test_key_is_applied_on_import(study):
    project, source = study
    project.privacy.add_name("Janet Walker", "Janet", participant="C01")
    project.privacy.add_name("Sue Smith", "Pam Jones")
    project.privacy.add_name("Sue", "Pam")
    project.privacy.add_name("Ashby Road", "[Place 1]", kind="place")
    result = project.transcripts.import_transcript(source, participant="C01", wave="W1")
    stored = project.transcripts.get("C01_W1")
    assert "Walker" not in stored.text and "Sue " not in stored.text and "Ashby" not in stored.text
    assert {s.label for s in stored.speakers} == {"Interviewer", "Janet"}
    for turn in stored.turns:
        speech = stored.text[turn.start:turn.end]
        assert speech and speech == speech.strip()
    assert stored.text[stored.turns[1].start:].startswith("My neighbour Pam told me.")
    assert any("replaced" in n for n in result.notes)
    # The event log holds no real name.
    dump = "\n".join(str(r) for r in project.db.execute("SELECT * FROM events UNION ALL SELECT id, event_id, tbl, op, row_id, old, new, NULL, NULL FROM event_changes"))
    assert "Walker" not in dump and "Sue Smith" not in dump


def test_deidentify_moves_codings_with_the_text(study):
    project, source = study
    project.transcripts.import_transcript(source, participant="C01", wave="W1")
    project.codebook.add_code("Word of mouth")
    text = project.transcripts.get("C01_W1").text
    quote = "My neighbour Sue told me. Sue Smith, she lives on Ashby Road"
    start = text.index(quote)
    project.coding.apply_spans([("C01_W1", "Word of mouth", start, start + len(quote))], summary="x")
    later = text.index("Leanne. She's lovely.")
    project.coding.apply_spans([("C01_W1", "Word of mouth", later, later + 21)], summary="y")
    project.privacy.add_name("Sue Smith", "Pam Jones")
    project.privacy.add_name("Sue", "Pam")
    project.privacy.add_name("Ashby Road", "[Place 1]", kind="place")
    project.privacy.add_name("Janet Walker", "Janet")
    result = project.privacy.deidentify()
    assert result == {"transcripts": 1, "replacements": 7, "speakers": 1, "names": 0, "fields": 0,
                      "log": 2}  # (the log's copies of the two codings, moved with the text)
    texts = sorted(c.text for c in project.coding.codings())
    assert texts == ["Leanne. She's lovely.", "My neighbour Pam told me. Pam Jones, she lives on [Place 1]"]
    stored = project.transcripts.get("C01_W1")
    for s in stored.sentences:
        assert stored.text[s.start:s.end].strip() == stored.text[s.start:s.end]
    hits = project.search.turns("Pam")
    assert hits and hits[0].matches[0].match == "Pam"
    assert project.search.turns("Ashby") == []
    assert list(project.path.parent.glob("p.qualcode.pre-deidentify-*.bak"))


def test_deidentified_words_leave_the_file(study, tmp_path):
    # Neither the replaced text (freed pages) nor the full-text index (whose segments
    # only mark a removed turn as gone until they are merged) may keep a real name.
    project, source = study
    project.transcripts.import_transcript(source, participant="C01", wave="W1")
    project.privacy.add_name("Ashby Road", "[Place 1]", kind="place")
    project.privacy.add_name("Greenfield Primary", "[School 1]", kind="organisation")
    project.privacy.deidentify()
    project.privacy.export_name_key(tmp_path / "key.csv", remove=True)
    path = project.path
    project.close()
    raw = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                              if path.with_name(path.name + "-wal").exists() else b"")
    # The index stores words case-folded and may share a word's first letters with the
    # word before it, so look for the ends of the words too.
    for trace in (b"Ashby", b"Greenfield", b"shby", b"reenfield"):
        assert trace not in raw, trace
    with Project.open(path) as again:
        assert again.search.turns("Ashby") == [] and again.search.turns("Greenfield") == []
        assert [h.turn for h in again.search.turns('"Place 1"')] == [2]


def test_key_moved_out_of_the_project_leaves_no_trace(study, tmp_path):
    project, source = study
    project.privacy.add_name("Janet Walker", "Janet")
    project.privacy.add_name("Sue Smith", "Pam Jones")
    project.transcripts.import_transcript(source, participant="C01", wave="W1")
    key_file = tmp_path / "key.csv"
    assert project.privacy.export_name_key(key_file, remove=True) == 2
    assert (key_file.stat().st_mode & 0o777) == 0o600
    assert project.privacy.name_key() == []
    path = project.path
    project.close()
    raw = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                              if path.with_name(path.name + "-wal").exists() else b"")
    assert b"Walker" not in raw and b"Sue Smith" not in raw
    with Project.open(path) as again:
        with pytest.raises(QualcodeError, match="no name key"):
            again.privacy.reidentified_text("C01_W1")
        assert "Janet Walker" in again.privacy.reidentified_text("C01_W1", key_file)
        assert again.privacy.import_name_key(key_file) == 2


def test_suggestions_find_names_left_in_text(study):
    project, source = study
    project.transcripts.import_transcript(source, participant="C01", wave="W1")
    project.privacy.add_name("Greenfield Primary", "[School 1]", kind="organisation")
    hits = {h.text: h for h in project.privacy.suggest_names(use_entities=False)}
    assert hits["Greenfield Primary"].source.startswith("name key")
    assert hits["Greenfield Primary"].proposed == "[School 1]"
    assert "Sue Smith" in hits and "Ashby Road" in hits
    assert "Interviewer" not in hits and "I" not in hits
    assert "Leanne" not in hits or hits["Leanne"].kind == "unknown"


def test_cli_namekey_and_deidentify(study, run_cli, tmp_path):
    project, source = study
    project.transcripts.import_transcript(source, participant="C01", wave="W1")
    path = project.path
    project.close()
    p = ["-p", path]
    assert run_cli(*p, "namekey", "add", "Sue Smith", "Pam Jones").exit_code == 0
    assert run_cli(*p, "namekey", "add", "Sue Smith", "X").exit_code == 1
    result = run_cli(*p, "deidentify", "--suggest", "--no-entities", "--json")
    assert result.exit_code == 0 and "Ashby Road" in result.stdout
    result = run_cli(*p, "deidentify")
    assert result.exit_code == 0 and "1 name(s) replaced" in result.stdout
    assert run_cli(*p, "namekey", "export", tmp_path / "k.csv", "--remove").exit_code == 0
    assert "Sue Smith" in run_cli(*p, "namekey", "reidentify", "C01_W1", "--key", tmp_path / "k.csv").stdout
