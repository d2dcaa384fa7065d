"""``qualcode example DEST`` builds the coded example study from transcripts_example/."""

from __future__ import annotations

import csv
import json

from qualcode import Project
from qualcode.ingest.readers import read_transcript
from qualcode.nlp import sentence_spans

from ._stored import assert_offsets_sound
from .conftest import CODEBOOK, EXAMPLE_DIR, file_digest


def expected_turns_and_sentences() -> tuple[int, int]:
    """Turns and sentences of every listed file, from the readers and the splitter alone."""
    with (EXAMPLE_DIR / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        files = [row["file"] for row in csv.DictReader(handle) if row["file"]]
    assert len(files) == 31
    turns = sentences = 0
    for name in files:
        parsed = read_transcript(EXAMPLE_DIR / name)
        turns += len(parsed.turns)
        speeches = [parsed.turn_text(t) for t in parsed.turns]
        sentences += sum(len(spans) for spans in sentence_spans(speeches))
    return turns, sentences


def test_status_of_the_example(example_project, run_cli):
    result = run_cli("-p", example_project, "status", "--json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)["counts"]
    turns, sentences = expected_turns_and_sentences()
    assert counts == {
        "participants": 25, "waves": 3, "transcripts": 31, "turns": turns, "sentences": sentences,
        "codes": 40, "codings": 668, "memos": 30, "coders": 2,
    }


def test_example_transcripts_are_sound(example_project):
    with Project.open(example_project) as proj:
        names = [t.name for t in proj.transcripts.all()]
        assert len(names) == 31
        for name in names:
            assert_offsets_sound(proj.transcripts.get(name))
        # Every scripted coding lies inside its transcript.
        for name in names:
            length = len(proj.transcripts.get(name).text)
            rows = proj.db.execute(
                "SELECT c.start, c.end FROM codings c JOIN transcripts t ON t.id = c.transcript_id "
                "WHERE t.name = ?", [name]).fetchall()
            assert all(0 <= start < end <= length for start, end in rows)
        assert {c.name for c in proj.study.coders()} == {"anna", "ben"}


def test_example_refuses_to_overwrite(example_project, run_cli):
    before = file_digest(example_project)
    result = run_cli("example", example_project)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {example_project.name}: already exists; remove it first to rebuild the example"]
    assert file_digest(example_project) == before


def test_example_without_dest_is_built_in_the_current_folder(tmp_path, monkeypatch, run_cli):
    monkeypatch.chdir(tmp_path)
    result = run_cli("example")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("built example.qualcode: 25 participants")
    # and the folder the tour's exports go to, beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.qualcode", "exports"]


def test_the_example_is_package_data_that_reads_the_checkout_folders():
    # In a checkout, qualcode/example_study/ links to the two top-level folders (a wheel
    # carries copies of them, see tests/test_install.py), so there is one copy to edit.
    from qualcode.example import EXAMPLE_CODEBOOK, EXAMPLE_SOURCE

    assert EXAMPLE_SOURCE.resolve() == EXAMPLE_DIR.resolve()
    assert EXAMPLE_CODEBOOK.resolve() == CODEBOOK.resolve()


def test_example_codes_like_real_coders(example_project):
    """anna codes every transcript and double-codes passages with related codes; ben
    double-codes a subset of anna's transcripts. The default (overlap) network has well
    over 25 edges, at every wave."""
    with Project.open(example_project) as proj:
        by_coder = {name: {t for (t,) in proj.db.execute(
            "SELECT DISTINCT t.name FROM codings c JOIN transcripts t ON t.id = c.transcript_id "
            "JOIN coders d ON d.id = c.coder_id WHERE d.name = ?", [name])} for name in ("anna", "ben")}
        assert by_coder["anna"] == {t.name for t in proj.transcripts.all()}
        assert by_coder["ben"] < by_coder["anna"] and len(by_coder["ben"]) >= 5
        assert len(proj.analysis.cooccurrence(scope="overlap").edges()) >= 25
        per_wave = proj.analysis.cooccurrence(scope="overlap", per_wave=True)
        assert {w: len(r.edges()) >= 15 for w, r in per_wave.items()} == {"W1": True, "W2": True, "W3": True}


def brute_passages(rows):
    """Passages by the definition, characters as sets: codings of one code in one
    transcript that share a character join (chains too)."""
    groups = {}
    for transcript, code, start, end in rows:
        groups.setdefault((transcript, code), []).append(set(range(start, end)))
    count = 0
    for spans in groups.values():
        merged = []
        for chars in spans:
            joined = [m for m in merged if m & chars]
            for m in joined:
                merged.remove(m)
                chars |= m
            merged.append(chars)
        count += len(merged)
    return count


def test_example_counts_passages_not_codings(example_project):
    """The wave 1 figure the issue found inflated: codings count a passage once per
    coder; passages (checked against the definition with sets of characters) do not."""
    with Project.open(example_project) as proj:
        rows = proj.db.execute(
            "SELECT c.transcript_id, c.code_id, c.start, c.end FROM codings c "
            "JOIN transcripts t ON t.id = c.transcript_id JOIN waves w ON w.id = t.wave_id "
            "WHERE w.label = 'W1'").fetchall()
        counts = proj.analysis.passage_counts()
        w1 = sum(v.own.get("W1", 0) for v in counts.values())
        assert w1 == brute_passages(rows) < len(rows)
        matrix = proj.analysis.matrix(by="role", codes=["Someone like me"])
        clients = [r.values[0] for r in matrix.rows if r.labels[0] == "client"]
        anna = [r.values[0] for r in proj.analysis.matrix(by="role", codes=["Someone like me"], coders=["anna"]).rows
                if r.labels[0] == "client"]
        # ben codes two clients' W1 passages anna did not (C04, C05); the rest overlap hers
        assert clients == [13, 1, 4] and anna == [11, 1, 4]
