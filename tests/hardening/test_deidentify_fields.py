"""``deidentify`` applies the key beyond the transcripts' text: transcript and file
names, the codebook, attributes, memos (unless --keep-memos) and the event log's copies,
which undo replays (so an undo never brings a name back, nor a coding at the wrong place)."""

from __future__ import annotations

import json

import pytest

from qualcode import Project, QualcodeError
from qualcode.records import MemoLink

from ..conftest import file_digest

TEXT = ("Interviewer: Who helped you most?\n\n"
        "P01: Margaret Thornbury did. Margaret Thornbury came round every Tuesday, "
        "and we walked along Ashby Road to the park and back again, rain or shine.\n")
KEY = {"Margaret Thornbury": "Maggie", "Ashby Road": "[Street 1]"}


@pytest.fixture
def study(tmp_path):
    source = tmp_path / "Margaret_Thornbury_W1.txt"
    source.write_text(TEXT, encoding="utf-8")
    path = tmp_path / "study.qualcode"
    with Project.create(path) as project:
        project.coder = "anna"
        project.study.add_wave("W1", description="Interviews near Ashby Road")
        project.study.add_participant("P01", site="Ashby Road", attributes={"helper": "Margaret Thornbury"})
        project.transcripts.import_transcript(source, participant="P01", wave="W1")
        project.codebook.add_code("Help", definition="Who helped, e.g. Margaret Thornbury.",
                         example="Margaret Thornbury did.", keywords=["Margaret Thornbury", "help"])
        text = project.transcripts.get("Margaret_Thornbury_W1").text
        walk = text.index("we walked along Ashby Road")
        project.coding.apply_spans([("Margaret_Thornbury_W1", "Help", walk, walk + 26)], summary="coded")
        coding = project.coding.codings()[0]
        project.coding.set_coding_memo(coding.id, "Margaret Thornbury again")
        memo = project.memos.add("code", "About Margaret Thornbury", "Margaret Thornbury helps.",
                                links=[MemoLink("code", "Help")])
        project.memos.edit(memo.id, body="Margaret Thornbury helps a lot.")
        project.coding.remove_coding(coding.id)  # the log now holds the coding's row, to restore
        for real, pseudonym in KEY.items():
            project.privacy.add_name(real, pseudonym)
    return path


def everything(project) -> str:
    """Every value a person can see or export, and the log undo replays, as one text."""
    parts = [json.dumps([project.transcripts.all(), project.codebook.tree(), project.study.participants(),
                         project.study.waves(), project.memos.all(), project.coding.codings()], default=str)]
    parts += [str(row) for row in project.db.execute("SELECT * FROM events")]
    parts += [str(row) for row in project.db.execute("SELECT old, new FROM event_changes")]
    parts += [str(row) for row in project.db.execute("SELECT name, source_name FROM transcripts")]
    return "\n".join(parts)


def test_every_field_and_the_log_are_deidentified(study):
    with Project.open(study) as project:
        result = project.privacy.deidentify()
        assert result["names"] == 1 and result["fields"] >= 6 and result["log"] >= 3
        seen = everything(project)
        for real in KEY:
            assert real not in seen
        assert [t.name for t in project.transcripts.all()] == ["Maggie_W1"]
        assert project.transcripts.all()[0].source_name == "Maggie_W1.txt"
        assert project.codebook.code("Help").keywords == ("Maggie", "help")
        assert project.study.participant("P01").attributes == {"helper": "Maggie"}
        # Undo replays the log's copies: the restored coding sits on the moved text, and
        # the memo's earlier body comes back pseudonymised (anna's actions: hers to undo).
        project.coder = "anna"
        project.undo()  # the coding's removal
        restored = project.coding.codings()[0]
        assert restored.text == "we walked along [Street 1]"
        assert restored.memo == "Maggie again"
        project.undo()  # the memo's edit
        assert project.memos.all()[0].body == "Maggie helps."


def test_keep_memos_leaves_memos_as_written(study, run_cli):
    result = run_cli("-p", study, "deidentify", "--keep-memos")
    assert result.exit_code == 0, result.output
    assert "transcript name(s)" in result.output
    with Project.open(study) as project:
        assert project.memos.all()[0].title == "About Margaret Thornbury"
        assert project.codebook.code("Help").definition == "Who helped, e.g. Maggie."
        log = "\n".join(str(row) for row in project.db.execute("SELECT old, new FROM event_changes "
                                                                "WHERE tbl = 'memos'"))
        assert "Margaret Thornbury" in log  # the memos' own history is theirs too


def test_a_name_the_key_would_give_twice_is_refused_whole(study, tmp_path):
    with Project.open(study) as project:
        project.codebook.add_code("Help from Maggie")
        project.codebook.add_code("Help from Margaret Thornbury")
    before = file_digest(study)
    with Project.open(study) as project:
        with pytest.raises(QualcodeError, match="the name key would give two codes the same name"):
            project.privacy.deidentify()
    assert file_digest(study) == before
    assert not list(tmp_path.glob("*.bak"))  # nothing changed: no backup of it left behind
