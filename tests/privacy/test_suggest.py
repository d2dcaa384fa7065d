"""`deidentify --suggest` without a trained pipeline: names proposed whole, titles and
sentence-initial common words not proposed."""

from __future__ import annotations

from qualcode.privacy.suggest import heuristic_candidates

TEXT = (
    "Interviewer: Who helped you?\n\n"
    "Janet: Well, there was Dominic LaRoche from the council, and Grace McCune. "
    "Honestly, the best was Siobhan O'Neill. Her brother knew Jan van der Berg. "
    "Mrs Hale from the shop came too, and Dr Okafor. Anyway Leanne sorted it. "
    "Walking helped. I started walking again in May with Mary-Jo Smith-Jones.\n"
)


def _proposed(text: str, exclude=frozenset()) -> list[str]:
    return [text[a:b] for a, b, _ in heuristic_candidates(text, set(exclude))]


def test_names_are_proposed_whole():
    proposed = _proposed(TEXT, {"Janet", "Interviewer"})
    for name in ("Dominic LaRoche", "Grace McCune", "Siobhan O'Neill", "Jan van der Berg", "Mary-Jo Smith-Jones"):
        assert name in proposed, name
    assert "La" not in proposed and "Roche" not in proposed and "Neill" not in proposed


def test_titles_and_sentence_initial_common_words_are_not_proposed():
    proposed = _proposed(TEXT, {"Janet", "Interviewer"})
    assert "Hale" in proposed and "Okafor" in proposed and "Leanne" in proposed
    for word in ("Mrs", "Dr", "Mrs Hale", "Dr Okafor", "Honestly", "Walking", "Anyway", "Anyway Leanne", "Well"):
        assert word not in proposed, word


def test_a_name_at_the_start_of_a_sentence_counts_when_it_reads_as_a_name():
    assert _proposed("McCune rang. Later we met.") == ["McCune"]
    assert _proposed("Later we met Priya. Priya rang.") == ["Priya", "Priya"]
