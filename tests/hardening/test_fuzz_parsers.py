"""Fuzzing the parsers of user files: any input gives a result or our own error,
never another exception."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode import QualcodeError
from qualcode.coding.codebook_file import read_codebook_file
from qualcode.exchange.refi_qdc import read_qdc
from qualcode.ingest.manifest import read_manifest
from qualcode.ingest.srt import read_srt
from qualcode.ingest.text import read_text
from qualcode.ingest.vtt import read_vtt

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["name", "guid", "codes", "children", "keywords", "stage", "colour",
                         "category", "format", "definition", "x"]), inner, max_size=5),
    max_leaves=25,
)


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_text_vtt_srt_take_any_bytes(data):
    for reader in (read_text, read_vtt, read_srt):
        try:
            parsed = reader(data, "fuzz")
        except QualcodeError:
            continue
        for turn in parsed.turns:
            assert 0 <= turn.start <= turn.end <= len(parsed.text)


@SETTINGS
@given(doc=yaml_values)
def test_codebook_loader_takes_any_yaml(tmp_path, doc):
    path = tmp_path / "book.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    try:
        read_codebook_file(path)
    except QualcodeError as exc:
        assert "book.yaml" in str(exc)


@SETTINGS
@given(data=st.binary(max_size=1000) | st.text(max_size=600).map(str.encode))
def test_codebook_qdc_and_manifest_take_any_bytes(tmp_path, data):
    for name, reader in (("book.yaml", read_codebook_file), ("book.qdc", read_qdc),
                         ("manifest.csv", read_manifest)):
        path = tmp_path / name
        path.write_bytes(data)
        try:
            reader(path)
        except QualcodeError as exc:
            assert name in str(exc)
