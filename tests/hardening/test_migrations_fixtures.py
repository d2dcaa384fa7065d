"""Every released schema version's fixture opens with the current code, after a
backup, with all its content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qualcode import Project
from qualcode.store import schema

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures").glob("schema_v*.qualcode"))


def test_there_is_a_fixture_for_the_current_version():
    assert f"schema_v{schema.current_version()}.qualcode" in [f.name for f in FIXTURES]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.stem)
def test_fixture_opens_and_keeps_everything(fixture, tmp_path):
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    version = int(fixture.stem.split("_v")[1])
    with Project.open(path) as project:
        assert project.schema_version == schema.current_version()
        person = project.study.participant("P01")
        assert (person.pseudonym, person.role, person.site) == ("Pat", "client", "North")
        assert person.attributes == {"sex": "F"}
        assert person.wave_attributes == {"W1": {"employment": "none"}}
        assert [t.name for t in project.transcripts.all()] == ["P01_W1"]
        codings = {(c.code, c.text, c.coder) for c in project.coding.codings()}
        assert codings == {("GP referral", "My GP sent me.", "anna"),
                           ("Small steps", "It's the little things.", "anna")}
        assert project.codebook.code("GP referral").parent == "Routes in"
        assert [m.title for m in project.memos.all()] == ["Small steps"]
        # Sentences and the full-text index come through whatever way they were stored.
        info = project.transcripts.get("P01_W1")
        sentences = [(s.turn, info.text[s.start:s.end]) for s in info.sentences]
        assert sentences == [
            (1, "How did you come to the service?"), (2, "My GP sent me."),
            (2, "I didn't know what a health trainer was, to be honest."), (3, "And now?"),
            (4, "She rings me every fortnight."), (4, "I've cut down on the takeaways."),
            (4, "It's the little things."),
        ]
        assert project.status()["counts"]["sentences"] == 7
        assert [(h.turn, h.speaker) for h in project.search.turns("takeaway*")] == [(4, "P01")]
        assert [h.turn for h in project.search.turns('"health trainer"')] == [2]
        # The upgraded file still undoes what was done before the upgrade (by its coder:
        # undo never reaches another coder's actions).
        project.coder = "anna"
        project.undo()
        assert project.memos.all() == []
    backups = list(tmp_path.glob(f"{fixture.name}.v*.bak"))
    assert len(backups) == (0 if version == schema.current_version() else 1)
