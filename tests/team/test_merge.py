"""Codebook merge plans and merging coders' projects."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
import yaml

from qualcode import Project, QualcodeError
from qualcode.records import MemoLink
from qualcode.team.codebook_merge import normalise_name, similarity, write_plan

from ..conftest import file_digest

INTERVIEW = """Interviewer: How did you first hear about the health trainers?

P01: My GP sent me after my blood test. I was a bit nervous, to be honest.

Interviewer: And what was the first meeting like?

P01: She was lovely. She'd grown up two streets from me, so she knew what it's like round here.

Interviewer: Has anything changed since?

P01: I walk to the shops now instead of getting the bus. Small things, but they add up.
"""


def make_project(path, *, codes=("GP referral", "Trust and rapport", "Small steps")):
    project = Project.create(path, title="Team study")
    project.study.add_wave("W1")
    project.study.add_participant("P01", role="client")
    source = path.with_name("P01_W1.txt")
    source.write_text(INTERVIEW, encoding="utf-8")
    project.transcripts.import_transcript(source, participant="P01", wave="W1")
    project.codebook.add_code("Routes in", category=True)
    for name in codes:
        project.codebook.add_code(name, parent="Routes in" if name == "GP referral" else None,
                         definition=f"Talk about {name.lower()}.")
    return project


def span(project, words):
    text = project.transcripts.get("P01_W1").text
    start = text.index(words)
    return start, start + len(words)


def code_as(project, coder, code, words):
    project.coder = coder
    start, end = span(project, words)
    project.coding.apply_spans([("P01_W1", code, start, end)], summary=f"{coder} coded")


def test_name_normalisation_meets_near_duplicates():
    assert normalise_name("GP referrals") == "gp referral"
    assert normalise_name("Referral from GP") == "from gp referral"
    assert similarity("GP referral", "GP referrals") == 100
    assert similarity("GP referral", "Referral from GP") == 100  # word order and filler words
    assert similarity("GP referral", "Money worries") < 50


def test_plan_statuses(tmp_path):
    make_project(tmp_path / "ours.qualcode").close()  # closing checkpoints the WAL
    shutil.copy(tmp_path / "ours.qualcode", tmp_path / "theirs.qualcode")
    ours = Project.open(tmp_path / "ours.qualcode")
    with Project.open(tmp_path / "theirs.qualcode") as theirs:
        theirs.codebook.rename_code("Trust and rapport", "Trust & rapport")      # same GUID
        theirs.codebook.add_code("GP referrals", parent="Routes in")              # near-duplicate
        theirs.codebook.add_code("Money worries", definition="Debt and bills.")   # new
        theirs.codebook.edit_code("Small steps", definition="Changing one habit at a time.")  # conflict
    plan = ours.team.codebook_merge_plan([tmp_path / "theirs.qualcode"])
    by_name = {d.incoming.name: d for d in plan.decisions}
    assert by_name["Trust & rapport"].status == "guid"
    assert by_name["Trust & rapport"].target == "Trust and rapport"
    assert by_name["GP referrals"].status == "fuzzy"
    assert by_name["GP referrals"].action == "review"  # never merged on a guess
    assert by_name["GP referrals"].target == "GP referral"
    assert by_name["Money worries"].status == "new" and by_name["Money worries"].action == "add"
    assert by_name["Small steps"].status == "conflict"
    assert by_name["Small steps"].conflicts == ("definition",)
    ours.close()


def test_ambiguous_when_several_candidates(tmp_path):
    ours = make_project(tmp_path / "ours.qualcode", codes=("GP referral", "GP referral letter"))
    book = tmp_path / "theirs.yaml"
    book.write_text(yaml.safe_dump({"codes": [{"name": "GP referrals"}]}), encoding="utf-8")
    plan = ours.team.codebook_merge_plan([book], threshold=80)
    decision = plan.decisions[0]
    assert decision.status == "ambiguous"
    assert {c.name for c in decision.candidates} == {"GP referral", "GP referral letter"}
    ours.close()


def test_applying_a_plan_with_undecided_codes_changes_nothing(tmp_path):
    ours = make_project(tmp_path / "ours.qualcode")
    book = tmp_path / "theirs.yaml"
    book.write_text(yaml.safe_dump({"codes": [{"name": "GP referrals"}, {"name": "Housing"}]}), encoding="utf-8")
    plan_path = write_plan(ours.team.codebook_merge_plan([book]), tmp_path / "plan.yaml")
    before = ours.codebook.codes()
    with pytest.raises(QualcodeError, match="still marked review"):
        ours.team.apply_codebook_plan(plan_path)
    assert ours.codebook.codes() == before
    plan = yaml.safe_load(plan_path.read_text())
    plan["decisions"][0].update(action="map", target="No such code")
    plan_path.write_text(yaml.safe_dump(plan))
    with pytest.raises(QualcodeError, match="no code named 'No such code'"):
        ours.team.apply_codebook_plan(plan_path)
    assert ours.codebook.codes() == before
    plan["decisions"][0].update(action="map", target="GP referral")
    plan_path.write_text(yaml.safe_dump(plan))
    mapping = ours.team.apply_codebook_plan(plan_path)
    assert len(mapping) == 2
    assert "Housing" in ours.codebook.code_names() and "GP referrals" not in ours.codebook.code_names()
    ours.close()


def test_project_merge_brings_every_coding_once_with_its_coder(tmp_path):
    base = make_project(tmp_path / "base.qualcode")
    base.close()
    shutil.copy(tmp_path / "base.qualcode", tmp_path / "anna.qualcode")
    shutil.copy(tmp_path / "base.qualcode", tmp_path / "ben.qualcode")
    with Project.open(tmp_path / "anna.qualcode") as anna:
        code_as(anna, "anna", "GP referral", "My GP sent me after my blood test.")
        code_as(anna, "anna", "Trust and rapport", "She'd grown up two streets from me")
    with Project.open(tmp_path / "ben.qualcode") as ben:
        ben.coder = "ben"
        ben.codebook.rename_code("Trust and rapport", "Rapport")                      # renamed: same GUID
        ben.codebook.add_code("Small step", definition="Talk about small steps.")    # near-duplicate
        code_as(ben, "ben", "GP referral", "My GP sent me after my blood test.")   # same span, other coder
        code_as(ben, "ben", "Rapport", "She'd grown up two streets from me, so she knew what it's like round here.")
        code_as(ben, "ben", "Small step", "Small things, but they add up.")
        ben.memos.add("code", "Small steps matter", "Clients count tiny changes.", links=[MemoLink("code", "Small step")])

    with Project.open(tmp_path / "anna.qualcode") as anna:
        anna.coder = "anna"
        before = file_digest(tmp_path / "anna.qualcode")
        with pytest.raises(QualcodeError, match="still marked review"):
            anna.team.merge_project(tmp_path / "ben.qualcode")  # the near-duplicate needs a decision
        assert file_digest(tmp_path / "anna.qualcode") == before  # refused: nothing written
        plan = anna.team.codebook_merge_plan([tmp_path / "ben.qualcode"])
        decisions = [replace(d, action="map") if d.incoming.name == "Small step" else d
                     for d in plan.decisions]
        decision = next(d for d in plan.decisions if d.incoming.name == "Small step")
        assert decision.status == "fuzzy" and decision.target == "Small steps"
        plan_path = write_plan(replace(plan, decisions=tuple(decisions)), tmp_path / "plan.yaml")
        dry = anna.team.merge_project(tmp_path / "ben.qualcode", plan=plan_path, dry_run=True)
        assert dry.codings_added == 3 and anna.coding.codings(coder="ben") == []
        report = anna.team.merge_project(tmp_path / "ben.qualcode", plan=plan_path)
        assert report.codings_added == 3 and report.codings_identical == 0
        assert report.coders_added == ["ben"] and report.memos_added == 1
        rows = {(c.coder, c.code, c.text) for c in anna.coding.codings()}
        assert rows == {
            ("anna", "GP referral", "My GP sent me after my blood test."),
            ("anna", "Trust and rapport", "She'd grown up two streets from me"),
            ("ben", "GP referral", "My GP sent me after my blood test."),
            ("ben", "Trust and rapport",
             "She'd grown up two streets from me, so she knew what it's like round here."),
            ("ben", "Small steps", "Small things, but they add up."),
        }
        assert len(anna.coding.codings()) == 5
        memo = anna.memos.all(type_="code")[0]
        assert list(memo.links) == [MemoLink("code", "Small steps")]
        # Merging again adds nothing.
        again = anna.team.merge_project(tmp_path / "ben.qualcode", plan=plan_path)
        assert (again.codings_added, again.codings_identical, again.memos_added) == (0, 3, 0)
        anna.undo()
        anna.undo()
        assert len(anna.coding.codings()) == 2 and anna.memos.all() == []
        assert "ben" not in [c.name for c in anna.study.coders()]
        assert list(tmp_path.glob("anna.qualcode.pre-merge-*.bak"))


def test_merge_refuses_other_study_newer_schema_and_corrupt_files(tmp_path, run_cli):
    make_project(tmp_path / "ours.qualcode").close()
    other = Project.create(tmp_path / "other.qualcode")
    other.study.add_participant("X1")
    (tmp_path / "x.txt").write_text("Interviewer: Hello?\n\nX1: Something else entirely.\n")
    other.transcripts.import_transcript(tmp_path / "x.txt", participant="X1")
    other.close()
    newer = tmp_path / "newer.qualcode"
    shutil.copy(tmp_path / "ours.qualcode", newer)
    with Project.open(newer) as p:
        p.db["_sqlite_migrations"].insert({"migration_set": "qualcode", "name": "m999_future", "applied_at": "x"})
    corrupt = tmp_path / "corrupt.qualcode"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    before = file_digest(tmp_path / "ours.qualcode")
    for path, message in ((tmp_path / "other.qualcode", "shares no transcript"),
                          (newer, "newer qualcode"), (corrupt, "corrupt.qualcode")):
        result = run_cli("-p", tmp_path / "ours.qualcode", "merge", path)
        assert result.exit_code == 1, result.output
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert file_digest(tmp_path / "ours.qualcode") == before


def test_cli_codebook_merge_plan_and_apply(tmp_path, run_cli):
    make_project(tmp_path / "ours.qualcode").close()
    book = tmp_path / "theirs.yaml"
    book.write_text(yaml.safe_dump({"codes": [{"name": "Housing", "definition": "Where people live."}]}))
    p = ["-p", tmp_path / "ours.qualcode"]
    result = run_cli(*p, "codebook", "merge", book, "--plan", tmp_path / "plan.yaml")
    assert result.exit_code == 0 and "Housing" in result.stdout
    assert run_cli(*p, "codebook", "merge", "--apply", tmp_path / "plan.yaml").exit_code == 0
    with Project.open(tmp_path / "ours.qualcode") as ours:
        assert ours.codebook.code("Housing").definition == "Where people live."
