"""Which spaCy pipeline is used, and the trained-pipeline paths when one is installed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode import nlp, sparse_sentences

from .conftest import shared_path


def test_model_choice_follows_the_environment(monkeypatch):
    monkeypatch.setenv("QUALCODE_SPACY_MODEL", "blank")
    assert nlp.trained_pipeline_name() is None
    monkeypatch.setenv("QUALCODE_SPACY_MODEL", "no_such_pipeline_package")
    assert nlp.trained_pipeline_name() is None
    monkeypatch.setenv("QUALCODE_SPACY_MODEL", "json")  # any importable package name is taken
    assert nlp.trained_pipeline_name() == "json"


@pytest.fixture
def blank_pipeline(monkeypatch):
    """The blank English pipeline, whatever is installed (and the cache left clean)."""
    monkeypatch.setenv("QUALCODE_SPACY_MODEL", "blank")
    nlp.pipeline.cache_clear()
    yield
    nlp.pipeline.cache_clear()


def test_blank_pipeline_splits_sentences(blank_pipeline):
    text = "  I walk now. Every day!  Not far, mind."
    spans = next(nlp.sentence_spans([text]))
    assert [text[a:b] for a, b in spans] == ["I walk now.", "Every day!", "Not far, mind."]


def test_chinese_and_japanese_sentences(blank_pipeline):
    # An English tokenizer leaves a paragraph of Chinese as one token; with its
    # punctuation split off, the sentencizer finds the sentence ends.
    text = "我每个星期都去食物银行，因为钱不够用。她说：“我是健康教练！”你信吗？はい、そうです。 Then English."
    spans = next(nlp.sentence_spans([text]))
    assert [text[a:b] for a, b in spans] == [
        "我每个星期都去食物银行，因为钱不够用。", "她说：“我是健康教练！”", "你信吗？", "はい、そうです。",
        "Then English.",
    ]


def test_other_text_is_tokenized_as_spacy_does(example_project):
    # The added patterns only touch CJK characters: every token of the example study
    # (curly quotes, apostrophes, dashes and all) is what spaCy's own English gives.
    import spacy

    from qualcode import Project

    plain = spacy.blank("en").tokenizer
    ours = nlp.pipeline().tokenizer
    with Project.open(example_project) as project:
        texts = [project.transcripts.get(t.name).text for t in project.transcripts.all()]
    texts.append("She said \u201cdon\u2019t\u201d \u2014 it\u2019s \u2018fine\u2019\u2026 isn\u2019t it? "
                 "Caf\u00e9 at 10:30, na\u00efve; 50% off (really!) \u00abnon\u00bb \u201eja\u201c.")
    for text in texts:
        assert [t.text for t in ours(text)] == [t.text for t in plain(text)]


@pytest.mark.parametrize(("text", "words"), [
    ("Money is tight, to be honest.", 6),
    ("  café  naïve\n", 2),
    ("我每个星期都去食物银行。", 11),  # each character a word, as Word counts them
    ("她说：“好！” OK then 👍", 6),  # punctuation is not a word
    ("", 0),
    # Characters whose UTF-8 form begins as an ideograph's does, or not: the quick test
    # for Chinese and Japanese must neither miss one nor count the others apart.
    ("She said \u201cdon\u2019t\u201d \u2014 fine\u2026", 5),
    ("a \ufb01le (ligature) in \u2162 parts", 6),
    ("\uf900\uf901 ok", 3),  # CJK compatibility ideographs
    ("\U00020000 ok \u3042", 3),  # an ideograph beyond the first plane, and hiragana
    ("\uac00\ub098 \u0416\u0416", 2),  # Hangul is written with spaces: a word each run
])
def test_word_count(text, words):
    assert nlp.word_count(text) == words


def test_named_entities_with_a_trained_pipeline(project, tmp_path):
    if nlp.trained_pipeline_name() is None:
        pytest.skip("no trained spaCy pipeline installed (set QUALCODE_SPACY_MODEL to one to run this)")
    project.study.add_participant("C01")
    source = tmp_path / "C01.txt"
    source.write_text("Interviewer: Who helped?\n\nC01: My sister Linda Morris drove me to Leeds "
                      "every Tuesday, and the Salvation Army gave us a food parcel.\n", encoding="utf-8")
    project.transcripts.import_transcript(source, participant="C01")
    found = {h.text: h for h in project.privacy.suggest_names(use_entities=True)}
    assert any("Linda" in name for name in found)
    assert all(h.source == "named entity" for h in found.values())


def test_sentences_never_end_inside_transcription_marks(blank_pipeline):
    text = "I am! [laughs] Honestly, it was fine. (pause) And then. Yes [inaudible. 00:05:15] ok."
    spans = next(nlp.sentence_spans([text]))
    assert [text[a:b] for a, b in spans] == [
        "I am!", "[laughs] Honestly, it was fine.", "(pause) And then.", "Yes [inaudible. 00:05:15] ok.",
    ]
    # Without the fix the sentencizer gave "I am! [" and "laughs] Honestly, ...".
    assert nlp.keep_transcription_marks_whole("a [b] c", [(0, 3), (3, 7)]) == [(0, 1), (2, 7)]
    assert nlp.keep_transcription_marks_whole("a [b. c] d", [(0, 5), (6, 10)]) == [(0, 10)]


def test_no_sentence_boundary_inside_brackets_in_the_example_study(example_project):
    from qualcode import Project

    with Project.open(example_project) as project:
        sentences = unbalanced = 0
        for row in project.transcripts.all():
            info = project.transcripts.get(row.name)
            for s in info.sentences:
                sentence = info.text[s.start:s.end]
                sentences += 1
                unbalanced += sentence.count("[") != sentence.count("]") or sentence.count("(") != sentence.count(")")
    assert sentences > 3000
    assert unbalanced == 0


def _spacy_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence as spaCy's own sentencizer component puts them."""
    doc = nlp.pipeline()(text)
    return [(sent.start_char, sent.end_char) for sent in doc.sents]


@pytest.mark.parametrize("batch_size", [1, 3, 256])
def test_sentence_boundaries_are_where_spacys_sentencizer_puts_them(blank_pipeline, batch_size):
    # Each case exercises one part of the component's rule: enders followed by more
    # punctuation ("?!", '."', "..."), punctuation that is no ender (",", "-"), a turn
    # that is all punctuation, an ender at the very end, blank texts, white-space tokens
    # at the edges, Chinese enders, texts that start with punctuation.
    texts = ["", "   ", "\n\n", "Hello.", "Really?! Yes.", 'He said "no." Then left.', "Well... I mean - no.",
             "...", "?!", ", , .", ". Starts with a stop. Two", "a . . b", "x\n\ny. z", "  Padded.  Both.  ",
             "你好。我很好！谢谢", "(laughs) ok. [pause] Right! Then, so.", "Mr. Smith went. Ok", "No ender at all"]
    got = list(nlp._sentencizer_bounds(nlp.pipeline(), iter(texts), batch_size))
    assert [text for _spans, text in got] == texts
    assert [spans for spans, _text in got] == [_spacy_sentences(t) if t else [] for t in texts]
    # By hand: "Really?! Yes." is two sentences, "?!" ending the first.
    assert got[4][0] == [(0, 8), (9, 13)]


def test_sentence_enders_that_are_not_punctuation_are_found_too():
    # Only punctuation tokens are looked up among the enders when every ender is
    # punctuation (as spaCy's are); a sentencizer told otherwise ("|" is a symbol, not
    # punctuation) still ends its sentences where the component does.
    import spacy

    custom = spacy.blank("en")
    custom.add_pipe("sentencizer", config={"punct_chars": [".", "|"]})
    assert not custom.vocab["|"].is_punct
    texts = ["One | two. Three | four", "No ends here", "Stop. Go | on"]
    got = [spans for spans, _text in nlp._sentencizer_bounds(custom, iter(texts), 256)]
    assert got == [[(s.start_char, s.end_char) for s in custom(t).sents] for t in texts]
    assert got[0] == [(0, 5), (6, 10), (11, 18), (19, 23)]  # by hand: "One |", "two.", "Three |", "four"


def test_the_pipeline_is_set_aside_from_the_garbage_collector(blank_pipeline):
    import gc

    gc.unfreeze()
    nlp.pipeline()
    assert gc.get_freeze_count() > 10_000  # the pipeline's objects, and the modules'


def test_sentence_spans_are_the_same_with_the_component_itself(blank_pipeline, monkeypatch):
    texts = ["I walk now. Every day!  Not far, mind.", "Yes! [laughs] Honestly. (pause)", "", "Ok?"]
    fast = list(nlp.sentence_spans(texts))
    monkeypatch.setattr(nlp, "_plain_sentencizer", lambda _nlp: False)
    assert list(nlp.sentence_spans(texts)) == fast
    assert fast[0] == [(0, 11), (12, 22), (24, 38)]


def test_white_space_at_sentence_edges_is_trimmed_as_the_component_path_trims_it(blank_pipeline, monkeypatch):
    # The fast path trims on the token arrays; the component's path trims characters.
    texts = ["  Padded.  Both.  ", "\n\nx\n\n. \u3000", " . ", "a.\u2028b. \x1c c", "Stop.\n\n\nGo.\n",
             "   ", "One.\u00a0\u00a0Two!\t", "\u3000\u3000\u6211\u3002\u3000"]
    fast = list(nlp.sentence_spans(texts))
    monkeypatch.setattr(nlp, "_plain_sentencizer", lambda _nlp: False)
    assert list(nlp.sentence_spans(texts)) == fast
    assert fast[0] == [(2, 9), (11, 16)]  # by hand: "Padded." and "Both."
    assert fast[5] == []


def test_sentence_batches_are_bounded_in_characters():
    # Pieces of a long turn (100,000 characters each) go one at a time; short texts share.
    texts = ["a" * 100_000, "b" * 100_000, "c" * 150_000, "d", "e"]
    assert [len(batch) for batch in nlp._batches(iter(texts), 256)] == [2, 3]
    assert [len(batch) for batch in nlp._batches(iter(["x"] * 5), 2)] == [2, 2, 1]
    assert list(nlp._batches(iter([]), 2)) == []


# The sparse path tokenizes only the pieces around sentence-ending characters; it must
# put every boundary where splitting the whole text does. These words are chosen to
# reach each part of the rule and of the tokenizer: abbreviations and emoticons spaCy
# keeps whole ("e.g.", "Mr.", ":)"), enders inside words and numbers ("3.5", "www.a.org"),
# runs of punctuation after an ender ("--", '"', "…", "?!"), white space that becomes a
# token (line breaks, double and ideographic spaces), Chinese, an underscore (a word
# character that is punctuation), and an ender beyond the Basic Multilingual Plane.
_TRICKY_WORDS = ["well", "I", "Mr.", "Smith", "e.g.", "3.5", "www.a.org", ":)", "--", "-", '"', "'", "(laughs)",
                 "[pause]", "[inaudible.", "00:05]", "...", "…", "?!", "!", "?", ".", "so.", "yes!", '"No."', "no?",
                 "(", ")", "_", "__", "a_b.", "你好。", "谢谢！", "。", "\u3000", "\n", "\n\n", "  ", "\t",
                 "\U00011047", "x\U00011047", "¿Qué?", "U.S.", "etc.", "Dr.", "...and", "end.\"", "—", "*", "$5."]


def _whole_and_sparse(texts: list[str], batch_size: int = 256):
    pipe = nlp.pipeline()
    whole = [spans for spans, _t in nlp._sentencizer_bounds(pipe, iter(texts), batch_size, trimmed=True)]
    sparse = list(sparse_sentences.sentencizer_bounds(pipe, iter(texts), batch_size))
    assert [text for _spans, text in sparse] == texts
    return whole, [spans for spans, _t in sparse]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(_TRICKY_WORDS), max_size=30).map(" ".join), min_size=1, max_size=12),
       st.sampled_from([1, 5, 256]))
def test_the_sparse_path_puts_every_boundary_where_the_whole_text_does(blank_pipeline, texts, batch_size):
    whole, sparse = _whole_and_sparse(texts, batch_size)
    assert sparse == whole


def test_the_sparse_path_on_fixed_cases_worked_out_by_hand(blank_pipeline):
    texts = ["  Padded.  Both.  ", "Mr. Smith went. Ok", "No ender at all", "", "   ", "Stop.\n\nGo.\n",
             "Yes! \"Well, no.\" Then", "你好。我很好！谢谢", "a_b. c"]
    whole, sparse = _whole_and_sparse(texts)
    assert sparse == whole
    assert sparse[0] == [(2, 9), (11, 16)]  # "Padded." and "Both."
    assert sparse[1] == [(0, 15), (16, 18)]  # "Mr." does not end a sentence
    assert sparse[2] == [(0, 15)] and sparse[3] == [] and sparse[4] == []
    assert sparse[5] == [(0, 5), (7, 10)]  # "Stop." and "Go.", the line breaks left out


def test_a_long_run_of_punctuation_after_an_ender_is_split_whole(blank_pipeline, monkeypatch):
    # More chunks of punctuation after "Stop." than the pieces follow: the next start
    # falls on a separator, and that text (only) is split the whole way.
    texts = ["Stop. " + "-- " * 12 + "then on", "Plain. Text"]
    whole_calls = []
    original = nlp._sentencizer_bounds

    def counting(pipe, batch, *args, **kwargs):
        batch = list(batch)
        whole_calls.append(batch)
        return original(pipe, batch, *args, **kwargs)

    monkeypatch.setattr(nlp, "_sentencizer_bounds", counting)
    sparse = [spans for spans, _t in sparse_sentences.sentencizer_bounds(nlp.pipeline(), iter(texts), 256)]
    assert whole_calls == [[texts[0]]]
    # By hand: punctuation after an ender stays with its sentence, up to "then".
    assert sparse[0] == [(0, 41), (42, 49)]
    assert sparse[1] == [(0, 6), (7, 11)]


def test_the_sparse_path_on_real_transcripts(blank_pipeline):
    from qualcode.ingest.readers import read_transcript

    shared = shared_path("transcripts")
    texts = []
    for path in sorted(shared.rglob("*")):
        if path.suffix in (".txt", ".md", ".vtt", ".srt", ".docx"):
            parsed = read_transcript(path)
            texts.extend(parsed.text[t.start:t.end] for t in parsed.turns)
            texts.append(parsed.text)
    whole, sparse = _whole_and_sparse(texts)
    assert sum(map(len, whole)) > 5000
    assert sparse == whole
