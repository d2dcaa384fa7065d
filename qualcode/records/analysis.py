"""Records of the analysis results: matrices, change over time, co-occurrence tables and
inter-coder agreement.

A face reads ``matrix.rows[0].values`` instead of ``matrix["rows"][0]["values"]``. The
numbers inside stay plain tuples and mappings (a row holds its values as one tuple, not
one object per cell), so a matrix of a large study costs what the lists it replaced did.
Their JSON (:func:`qualcode.records.json_data`) is the ``--json`` output of the commands
as it was when these were dictionaries: fields in the same order, and fields that only
some results have (groups, the segment unit's note) left out where they were.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Number = int | float


def _fields_but_empty(record: Any, *optional: str) -> dict[str, Any]:
    """The record's fields as a dict, without those of ``optional`` that are None or
    empty (they exist only for some results, and the JSON has never shown them empty)."""
    data = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    for name in optional:
        if data[name] is None or data[name] == {}:
            del data[name]
    return data


# --- the participant x wave x code matrix -----------------------------------------------


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One row: a participant (or a group) at a wave. ``values`` has one number per
    column, each None when there is no data at that wave (not zero)."""

    #: As many as the matrix's ``row_keys``: ("P01", "W1") or ("carer", "W1").
    labels: tuple[str, ...]
    #: The attendance status of a participant row ("interviewed", "missed", ...); None
    #: for a group row.
    status: str | None
    #: How many observed participants the row sums (0 or 1 for a participant row).
    n: int
    values: tuple[Number | None, ...]


@dataclass(frozen=True, slots=True)
class Matrix:
    """Rows (participant x wave, or group x wave) by columns (codes or categories)."""

    by: str
    measure: str
    #: Names of the row labels: ("participant", "wave"), ("wave",) or (by, "wave").
    row_keys: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True, slots=True)
class FrameworkRow:
    """One case at one wave: the coded text (or memos) under each column."""

    case: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FrameworkMatrix:
    """Cases x codes with the coded text (``content`` "text") or the codings' memos
    ("memo") in the cells, one sheet per wave; a case that did not take part at a wave
    has no row in its sheet. ``cases``: every case, in order."""

    by: str
    content: str
    columns: tuple[str, ...]
    sheets: Mapping[str, tuple[FrameworkRow, ...]]
    cases: tuple[str, ...]


# --- passages per code, and who took part in a transcript --------------------------------


@dataclass(frozen=True, slots=True)
class PassageCounts:
    """Coded passages of one code by wave label ("-": no wave): ``own`` its own codings,
    ``inclusive`` the code with everything under it (a passage coded with two of its
    sub-codes counts once)."""

    own: Mapping[str, int]
    inclusive: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class TranscriptPerson:
    """A participant who took part in a transcript: its own participant, or a mapped
    speaker who is not an interviewer (a focus-group member)."""

    transcript: str
    wave: str | None
    kind: str
    participant: str


# --- co-occurrence ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CooccurrencePair:
    """Two codes found together: how often (``count``, in the scope's unit), each code's
    own count (``n1``, ``n2``), Jaccard's share of their characters or units, the
    c-coefficient, and whether one code is over five times as frequent as the other."""

    code_a: str
    code_b: str
    n1: int
    n2: int
    count: int
    jaccard: float
    c: float
    freq_ratio_flag: bool
    #: The measure the table was made with (count, jaccard or c) for this pair.
    weight: Number


@dataclass(frozen=True, slots=True)
class CooccurrenceEdge:
    """One pair of codes of a co-occurrence network, by code id (``source`` < ``target``):
    ``weight`` is the measure the network is drawn with, then every measure."""

    source: int
    target: int
    weight: Number
    count: int
    jaccard: float
    c: float
    freq_ratio_flag: bool


@dataclass(frozen=True, slots=True)
class NetworkCode:
    """A code as a network shows it: its name, parent and colour (its own, else the
    nearest ancestor's, else its category's from a colour-blind-safe palette) and the
    category it belongs to with that category's colour."""

    name: str
    parent: str | None
    colour: str
    category: str
    category_colour: str


@dataclass(frozen=True, slots=True)
class NetworkDrawing:
    """Co-occurrence networks ready to draw as the picture export draws them: the pairs
    as table rows and the graphs (networkx graphs: codes as nodes with their frequency
    and colours, pairs as weighted edges) by label (a wave, the waves chosen, or "all"),
    one layout over them all (``pos``: code name -> (x, y), so a code sits at the same
    place in every wave's picture) and the size scales they share."""

    tables: Mapping[str, tuple[CooccurrencePair, ...]]
    graphs: Mapping[str, Any]
    pos: Mapping[str, Any]
    #: The largest code frequency and edge weight over all the graphs.
    max_frequency: Number
    max_weight: Number


# --- saturation -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SaturationPoint:
    """One transcript on a saturation curve: its codes, how many were new, and the
    distinct codes so far."""

    index: int
    transcript: str
    wave: str | None
    codes: int
    new: int
    cumulative: int


@dataclass(frozen=True, slots=True)
class SaturationCurve:
    """Cumulative distinct codes over transcripts, and how many codes the last ``k``
    transcripts added (``new_share_last_k``: their share of all the codes)."""

    points: tuple[SaturationPoint, ...]
    distinct_codes: int
    transcripts: int
    k: int
    new_in_last_k: int
    new_share_last_k: float


#: The JSON key of the curves of each grouping (an attribute's values: "groups").
_CURVES_KEY = {"wave": "waves", "role": "roles"}


@dataclass(frozen=True, slots=True)
class Saturation:
    """Saturation curves: one for the study (``by`` "study", labelled "all"), or one per
    wave, per role, or per value of an attribute (``by`` its name), in their order.
    ``order``: transcripts in interview order, or in the order they were coded."""

    by: str
    order: str
    curves: Mapping[str, SaturationCurve]

    @property
    def curve(self) -> SaturationCurve:
        """The study's one curve (``by`` "study")."""
        return self.curves["all"]

    def to_dict(self) -> dict[str, Any]:
        # As the JSON always was: the study's curve inline, else the curves under "waves",
        # "roles" or "groups".
        head: dict[str, Any] = {"by": self.by, "order": self.order}
        if self.by == "study":
            return {**head, **{f.name: getattr(self.curve, f.name)
                               for f in dataclasses.fields(self.curve)}}
        return {**head, _CURVES_KEY.get(self.by, "groups"): self.curves}


# --- change over time -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MissingWave:
    wave: str
    status: str


@dataclass(frozen=True, slots=True)
class ChangeEvidence:
    """What a participant's label rests on: the value at each wave (None: no data)."""

    values: Mapping[str, Number | None]
    observed_waves: tuple[str, ...]
    missing_waves: tuple[MissingWave, ...]
    present_waves: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParticipantChange:
    """How one code changes for one participant across the waves they were seen at."""

    participant: str
    code: str
    label: str
    evidence: ChangeEvidence


@dataclass(frozen=True, slots=True)
class WaveShare:
    """Participants observed at a wave, how many of them had the code, its codings,
    and the share (None when nobody was observed)."""

    observed: int
    with_code: int
    codings: int
    share: float | None


@dataclass(frozen=True, slots=True)
class SampleChange:
    """How one code changes in the sample: ``evidence`` by wave label."""

    code: str
    label: str
    participants: int
    evidence: Mapping[str, WaveShare]


@dataclass(frozen=True, slots=True)
class ChangeReport:
    """Change-over-time labels for each participant and code, and for the sample;
    ``groups``: the report of each value of an attribute (``by``), labelled ``age=29``."""

    measure: str
    waves: tuple[str, ...]
    thresholds: Mapping[str, Number]
    participants: tuple[ParticipantChange, ...]
    sample: tuple[SampleChange, ...]
    groups: Mapping[str, ChangeReport] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return _fields_but_empty(self, "groups")


# --- comparing two waves ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WaveCount:
    """Participants observed at a wave and how many of them had the code."""

    with_code: int
    observed: int
    share: float


@dataclass(frozen=True, slots=True)
class CodeShift:
    """How a code's share of the sample moved from one wave to the other (``label``: new,
    gone, grown, shrunk or same); ``at`` by wave label, the two waves in the order asked.
    Its JSON has the two waves as keys beside the code, as it always had."""

    code: str
    label: str
    at: Mapping[str, WaveCount]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, **self.at}


@dataclass(frozen=True, slots=True)
class CodeValues:
    """A code's value (count) for one participant at each of the two waves."""

    code: str
    values: Mapping[str, Number | None]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, **self.values}


@dataclass(frozen=True, slots=True)
class ParticipantShift:
    """The codes new, gone, grown and shrunk for one participant seen at both waves."""

    participant: str
    new: tuple[CodeValues, ...]
    gone: tuple[CodeValues, ...]
    grown: tuple[CodeValues, ...]
    shrunk: tuple[CodeValues, ...]


@dataclass(frozen=True, slots=True)
class WaveComparison:
    """Two waves compared, for the sample and for each participant seen at both."""

    waves: tuple[str, str]
    sample: tuple[CodeShift, ...]
    participants: tuple[ParticipantShift, ...]
    not_observed_at_both: tuple[str, ...]


# --- attendance and the sample ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    """One participant's attendance: a status at each wave (interviewed, focus-group,
    missed, withdrawn, not_yet or none) and every way they took part there."""

    participant: str
    role: str | None
    site: str | None
    status: Mapping[str, str]
    took_part: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class WaveAttendance:
    """Counts of one wave: a person counts in every way they took part; retention is
    of those interviewed at the first wave and due at this one (None: nobody due)."""

    wave: str
    missed: int
    withdrawn: int
    not_yet: int
    interviewed: int
    focus_group: int
    both: int
    observed: int
    baseline_due: int
    retained: int
    retention: float | None

    def count(self, status: str) -> int:
        """The count of a status as the attendance vocabulary spells it ("focus-group")."""
        return int(getattr(self, status.replace("-", "_")))

    def to_dict(self) -> dict[str, Any]:
        data = _fields_but_empty(self)
        data["focus-group"] = data.pop("focus_group")
        # The JSON keeps its order: focus-group after interviewed.
        order = ("wave", "missed", "withdrawn", "not_yet", "interviewed", "focus-group", "both",
                 "observed", "baseline_due", "retained", "retention")
        return {key: data[key] for key in order}


@dataclass(frozen=True, slots=True)
class AttendanceGrid:
    """Participants x waves attendance, and the counts and retention of each wave."""

    waves: tuple[str, ...]
    participants: tuple[AttendanceRow, ...]
    summary: tuple[WaveAttendance, ...]


@dataclass(frozen=True, slots=True)
class ValueCount:
    """How many of a group have a value of an attribute (``(missing)``: none)."""

    group: str
    size: int
    attribute: str
    value: str
    n: int
    percent: float


@dataclass(frozen=True, slots=True)
class NumberSummary:
    """An attribute whose values are all numbers, in one group: median and range."""

    group: str
    size: int
    attribute: str
    n: int
    missing: int
    median: Number
    min: Number
    max: Number


@dataclass(frozen=True, slots=True)
class SampleDescription:
    """The sample by ``by`` (an attribute, "wave" or "all"): counts of every value, and
    the median and range of numeric attributes."""

    by: str
    rows: tuple[ValueCount, ...]
    numeric: tuple[NumberSummary, ...]


# --- inter-coder agreement --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    """Agreement on one code (``code`` None: over all codes). ``table``: the units by
    what each coder did (both, only_first, only_second, neither; for segment units
    matched, only_first, only_second); None with more than two coders."""

    code: str | None
    units: float
    agreed: float
    percent_agreement: float | None
    kappa: float | None
    alpha: float | None
    table: Mapping[str, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields_but_empty(self, "code", "table")


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """Percent agreement, kappa and alpha per code (by name) and over all codes, on
    the transcripts at least two of the coders coded."""

    unit: str
    coders: tuple[str, ...]
    transcripts: tuple[str, ...]
    codes: tuple[CodeAgreement, ...]
    overall: CodeAgreement
    #: Segment units only: the share of the longer segment two codings must share.
    min_overlap: float | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields_but_empty(self, "min_overlap", "note")


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A stretch (char), turn or unmatched coding (segment) where the coders differ."""

    transcript: str
    code: str
    start: int
    end: int
    coded_by: tuple[str, ...]
    not_coded_by: tuple[str, ...]
    #: Turn units: the turn's number.
    turn: int | None = None
    #: Segment units: the largest share of the segment another coder's coding covers.
    best_overlap: float | None = None
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        # The turn after the span, the overlap after the coders: as the JSON always was.
        data: dict[str, Any] = {"transcript": self.transcript, "code": self.code,
                                "start": self.start, "end": self.end}
        if self.turn is not None:
            data["turn"] = self.turn
        data.update(coded_by=self.coded_by, not_coded_by=self.not_coded_by)
        if self.best_overlap is not None:
            data["best_overlap"] = self.best_overlap
        data["text"] = self.text
        return data


@dataclass(frozen=True, slots=True)
class BlindCopy:
    """A project file written for blind coding by one coder, and what was left out."""

    coder: str
    codings_kept: int
    codings_left_out: int
    memos_left_out: int
    path: str
