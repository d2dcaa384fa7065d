"""Aligning a transcript's old and corrected text: where each coded span goes."""

from __future__ import annotations

from qualcode.ingest.realign import Alignment, place_all

OLD = (
    "Interviewer: How did it start?\n\n"
    "Janet: It was the food bank, really. I'd been going since Christmas.\n\n"
    "Interviewer: And the trainer?\n\n"
    "Janet: Leanne. She was sat by the tea urn with some leaflets and a bowl of fruit.\n\n"
    "Interviewer: What did she say?\n\n"
    "Janet: Nothing much. She asked if I wanted a cuppa.\n"
)


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def test_unchanged_passages_are_kept_where_edits_moved_them():
    new = OLD.replace("How did it start?", "How did it all start, then?")
    coded = _span(OLD, "She asked if I wanted a cuppa.")
    (place,) = place_all(OLD, new, [coded])
    assert place.status == "kept"
    assert new[place.start:place.end] == "She asked if I wanted a cuppa."
    assert place.start == coded[0] + len(" all") + len(", then")


def test_a_shortened_passage_keeps_what_survives():
    new = OLD.replace(" with some leaflets and a bowl of fruit", "")
    (place,) = place_all(OLD, new, [_span(OLD, "She was sat by the tea urn with some leaflets and a bowl of fruit.")])
    assert place.status == "changed"
    assert new[place.start:place.end] == "She was sat by the tea urn."


def test_an_edited_passage_and_a_typo_fixed_inside_it():
    new = OLD.replace("I'd been going since Christmas", "I had been going since Christmas")
    (place,) = place_all(OLD, new, [_span(OLD, "It was the food bank, really. I'd been going since Christmas.")])
    assert place.status == "changed"
    assert new[place.start:place.end] == "It was the food bank, really. I had been going since Christmas."


def test_a_moved_passage_is_found_and_a_deleted_one_is_not():
    moved = "Janet: Nothing much. She asked if I wanted a cuppa.\n"
    new = OLD.replace(moved, "").replace("Interviewer: How did it start?\n\n",
                                         "Interviewer: How did it start?\n\n" + moved + "\n")
    new = new.replace("Interviewer: What did she say?\n\n", "")
    places = place_all(OLD, new, [_span(OLD, "She asked if I wanted a cuppa."), _span(OLD, "What did she say?")])
    assert [p.status for p in places] == ["moved", "unplaced"]
    assert new[places[0].start:places[0].end] == "She asked if I wanted a cuppa."


def test_a_moved_and_edited_passage_is_found_nearly():
    passage = "She was sat by the tea urn with some leaflets and a bowl of fruit."
    edited = "She was sat by the tea urn with some leaflets and a bowl of fruit!"
    new = OLD.replace(f"Janet: Leanne. {passage}\n\n", "") + f"\nJanet: Leanne, yes. {edited}\n"
    (place,) = place_all(OLD, new, [_span(OLD, passage)])
    assert place.status == "moved"
    assert new[place.start:place.end].startswith("She was sat by the tea urn")


def test_surviving_parts_are_spans_of_the_new_text():
    alignment = Alignment("abc def ghi", "abc ghi")
    assert alignment.surviving(0, 11) == [(0, 3), (4, 7)]


def test_rewrapped_text_keeps_its_codings_in_place():
    old = "Janet: we went walking together every\nTuesday, whatever the weather.\n"
    new = "Janet: we went walking\ntogether every Tuesday,\nwhatever the weather.\n"
    (place,) = place_all(old, new, [_span(old, "walking together every\nTuesday")])
    assert place.status == "changed" and new[place.start:place.end] == "walking\ntogether every Tuesday"
