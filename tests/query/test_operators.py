"""Every operator and filter against counts worked out by hand on the project of
conftest.py (the hand computation is in each test's comment)."""

from __future__ import annotations

import pytest

from qualcode.records import json_data


def texts(project, query):
    return [p.text for p in project.query.run(query).passages]


def test_one_code_counts_passages_not_codings(qp):
    # Money worries: a1 (anna + ben, one passage), a4, b1, b5, c1 -> 5 passages from
    # 6 codings; P1 and P2; participant-waves P1-W1, P1-W2, P2-W1; 5 turns (a1, a4, b1,
    # b5, c1 are in five different turns).
    result = qp.query.run('"Money worries"')
    assert result.totals == {"passages": 5, "participants": 2, "participant_waves": 3,
                             "transcripts": 3, "turns": 5}
    first = result.passages[0]
    assert (first.transcript, first.text, first.participant, first.wave, first.role, first.site,
            first.speaker, first.turn) == ("P1_W1", "Money is short.", "P1", "W1", "client", "A", "R", 2)
    assert first.coders == ("anna", "ben")
    assert first.codes == ("Money worries",)
    assert first.before.endswith("R: ") and first.after.startswith(" I feel alone.")


def test_category_means_every_code_under_it(qp):
    # Feelings = Money worries + Isolation: a1, a2, a4, b1, b2, b5, c1, c2 (none overlap).
    assert qp.query.run("Feelings").totals["passages"] == 8


def test_and_without_unit_is_the_text_coded_with_both(qp):
    # Isolation b2 and Peer support b2+b3 share b2; a2 and a3 only stand side by side.
    assert texts(qp, "Isolation AND 'Peer support'") == ["Nobody calls me."]
    # Money worries and Relapse never share a character.
    assert qp.query.run('"Money worries" AND Relapse').totals["passages"] == 0


def test_and_within_turn(qp):
    # Turns with both: P1_W1's second answer (a4, a5) and P1_W2's (b4, b5); P2's c1 and
    # c5 are in different turns. Passages a4, a5, b4, b5: 4, in 2 turns of 2
    # participant-waves.
    result = qp.query.run('"Money worries" AND Relapse WITHIN turn')
    assert [p.text for p in result.passages] == ["No job now.", "I drink more.",
                                                 "I lapsed twice.", "Bills scare me."]
    assert result.totals["turns"] == 2 and result.totals["participant_waves"] == 2


def test_and_within_transcript_and_participant_wave(qp):
    # Every transcript has both: a1 a4 a5, b1 b4 b5, c1 c5 -> 8 passages.
    assert qp.query.run('"Money worries" AND Relapse WITHIN transcript').totals["passages"] == 8
    # One transcript per participant-wave here, so the same 8.
    assert qp.query.run('"Money worries" AND Relapse WITHIN participant-wave').totals["passages"] == 8


def test_and_within_sentence(qp):
    # Only b2 holds Isolation and (part of) Peer support in one sentence; Peer support's
    # passage b2+b3 starts in b2, so both passages are in: merged, one passage b2+b3.
    assert texts(qp, "Isolation AND 'Peer support' WITHIN sentence") == ["Nobody calls me. The group is good."]


def test_not_is_a_difference_of_passages(qp):
    # Isolation a2, b2, c2; b2 overlaps Peer support -> a2, c2.
    assert texts(qp, 'Isolation NOT "Peer support"') == ["I feel alone.", "I stay in."]


def test_not_within_turn(qp):
    # a2's turn has a3 (Peer support), b2's has b2+b3; c2's turn has none -> c2 only.
    assert texts(qp, 'Isolation NOT "Peer support" WITHIN turn') == ["I stay in."]


def test_overlaps_joins_the_overlapping_passages(qp):
    # b2 (Isolation) overlaps b2+b3 (Peer support): their union, one passage.
    assert texts(qp, 'Isolation OVERLAPS "Peer support"') == ["Nobody calls me. The group is good."]


def test_or_merges_overlapping_passages(qp):
    # a2, a3 apart; b2 and b2+b3 merge into one; c2 -> 4.
    assert texts(qp, 'Isolation OR "Peer support"') == [
        "I feel alone.", "Friends help.", "Nobody calls me. The group is good.", "I stay in."]


def test_near_sentences(qp):
    # Sentences of each transcript: 0 question, 1-3 first answer, 4 question, 5-6.
    # Money worries at 1 and 5 (P1_W1), 1 and 6 (P1_W2), 1 (P2_W1); Isolation at 2.
    # NEAR/1: a1-a2, b1-b2, c1-c2 -> 6 passages; a4 (3 away), b5 (4 away) are not.
    result = qp.query.run('"Money worries" NEAR/1 sentences Isolation')
    assert [p.text for p in result.passages] == ["Money is short.", "I feel alone.", "Rent went up.",
                                                 "Nobody calls me.", "Cash is tight.", "I stay in."]
    # NEAR/0: the same sentence: none.
    assert qp.query.run('"Money worries" NEAR/0 sentences Isolation').totals["passages"] == 0
    # NEAR/3 reaches a4 (sentence 5, Isolation at 2); b5 at 6 is 4 away.
    assert qp.query.run('"Money worries" NEAR/3 sentences Isolation').totals["passages"] == 7


def test_near_turns(qp):
    # Turns: Money worries in turns 1 and 3 (P1), 1 and 3 (P1_W2: b1, b5), 1 (P2);
    # Relapse in turn 3 of each. NEAR/1 turns: a4-a5, b5-b4 (same turn) -> 4; c1 (turn
    # 1) is 2 turns from c5, a1 and b1 likewise.
    assert qp.query.run('"Money worries" NEAR/1 turns Relapse').totals["passages"] == 4
    # NEAR/2 adds a1, b1, c1 and c5 -> 8.
    assert qp.query.run('"Money worries" NEAR/2 turns Relapse').totals["passages"] == 8


def test_precedence_and_parentheses(qp):
    # OR binds loosest: Relapse OR (Isolation NOT "Peer support") = a5 b4 c5 + a2 c2 = 5.
    assert qp.query.run('Relapse OR Isolation NOT "Peer support"').totals["passages"] == 5
    # (Relapse OR Isolation) NOT "Peer support": Relapse's 3 + Isolation's a2, c2 = 5
    # too; the next differs: (Isolation OR Relapse) AND "Peer support" -> b2 only.
    assert texts(qp, '(Isolation OR Relapse) AND "Peer support"') == ["Nobody calls me."]


@pytest.mark.parametrize(("filters", "expected"), [
    # Money worries: a1 a4 (P1 W1), b1 b5 (P1 W2), c1 (P2 W1).
    ("wave:W2", 2),                     # b1 b5
    ("role:client", 5),
    ("site:B", 1),                      # c1
    ("sex=F", 4),                       # P1's four
    ("age>=50", 4),                     # P1 (52)
    ("age<100", 5),                     # numbers, not text ("52" < "100" as text is false)
    ("W2.employment=unemployed", 4),    # P1 was unemployed at W2: all P1's passages
    ("employment@W2=unemployed", 4),
    ("employment=unemployed", 2),       # at the passage's own wave: P1 at W2 only
    ("speaker:C05", 1),                 # c1
    ("coder:ben", 3),                   # ben's codings only: a1, a4, c1
    ("coder:anna", 3),                  # a1, b1, b5
    ("coder:anna wave:W1", 1),          # a1
    ("sex=F wave:W1", 2),               # a1 a4
])
def test_filters(qp, filters, expected):
    assert qp.query.run(f'"Money worries" {filters}').totals["passages"] == expected


def test_coder_filter_applies_before_the_operators(qp):
    # ben coded Money worries a1, a4, c1 and Isolation c2; anna coded every Relapse.
    # Within turn for ben alone: no Relapse of ben's -> nothing.
    assert qp.query.run('"Money worries" AND Relapse WITHIN turn coder:ben').totals["passages"] == 0
    # Isolation NEAR/1 sentences Money worries by ben: c1-c2 -> 2.
    assert qp.query.run('Isolation NEAR/1 sentences "Money worries" coder:ben').totals["passages"] == 2


def test_counts_by_wave_participant_and_participant_wave(qp):
    query = '"Money worries"'
    assert [(c.wave, c.passages) for c in qp.query.counts(query, "wave")] == [("W1", 3), ("W2", 2)]
    assert [(c.participant, c.passages) for c in qp.query.counts(query, "participant")] == [("P1", 4), ("P2", 1)]
    assert [(c.participant, c.wave, c.passages) for c in qp.query.counts(query, "participant-wave")] == [
        ("P1", "W1", 2), ("P1", "W2", 2), ("P2", "W1", 1)]
    # The JSON of a count has the keys of its grouping only, as ``query --count-by --json`` prints.
    assert json_data(qp.query.counts(query, "wave")) == [{"wave": "W1", "passages": 3}, {"wave": "W2", "passages": 2}]
    assert json_data(qp.query.counts(query, "participant"))[0] == {"participant": "P1", "passages": 4}
    assert json_data(qp.query.counts(query, "participant-wave"))[0] == {"participant": "P1", "wave": "W1",
                                                                        "passages": 2}
