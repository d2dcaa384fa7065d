"""Change over time (Saldana's descriptive questions) and wave-vs-wave comparison.

Every label is computed from the cube (see :mod:`qualcode.analysis.cube`) and comes
with its evidence: the value at every wave, ``None`` where the participant has no data.

Per participant and code
    Take the values x_1..x_k (number of codings, or characters with
    ``measure='chars'``) at the waves where the participant was *observed*
    (interviewed or took part in a focus group), in wave order; unobserved waves are
    skipped and listed as ``missing_waves`` in the evidence. A code never seen for the
    participant gets no label. Otherwise the first rule that holds gives the label:

    ``missing``   the participant was observed at fewer than 2 waves, so there is no
                  trajectory (attendance, not absence, is the reason);
    ``surges``    k >= 3 and either the code is present only at interior waves (absent
                  at the first and the last observed wave), or one interior wave holds
                  the unique maximum and it is at least ``SURGE_FACTOR`` (2) times every
                  other wave's value;
    ``emerges``   absent at the first observed wave and present at the last;
    ``ceases``    present at the first observed wave and absent at the last;
    ``increases`` present at both ends and x_k >= ``CHANGE_RATIO`` (1.5) * x_1 and
                  x_k - x_1 >= ``MIN_DIFF`` (1 coding);
    ``decreases`` present at both ends and x_1 >= 1.5 * x_k and x_1 - x_k >= 1;
    ``constant``  present at both ends and neither of the above.

For the sample (per code)
    The value at a wave is the share of the participants observed at that wave who
    have the code (prevalence, so attrition does not look like decline); the same
    rules apply with ``MIN_SHARE_DIFF`` (0.10) instead of one coding, after two that
    come first:

    ``idiosyncratic`` the code is seen in at most ``IDIOSYNCRATIC_MAX`` (2)
                      participants over the whole study;
    ``missing``       fewer than 2 waves have any observed participant.

Wave-vs-wave (A, then B)
    For the sample (recurrent cross-sectional view) each code compares its prevalence
    at A and B among those observed at each: ``new`` (absent at A, present at B),
    ``gone``, ``grown`` (ratio >= 1.5 and difference >= 0.10), ``shrunk``, ``same``.
    Per participant (trajectory view) only those observed at both waves count, with the
    same rules on coding counts (difference >= 1).
"""

from __future__ import annotations

from collections import defaultdict

from ..errors import QualcodeError
from ..records.analysis import (
    ChangeEvidence,
    ChangeReport,
    CodeShift,
    CodeValues,
    MissingWave,
    ParticipantChange,
    ParticipantShift,
    SampleChange,
    WaveComparison,
    WaveCount,
    WaveShare,
)
from .cube import Cube, measure_of

LABELS = ("emerges", "increases", "surges", "decreases", "ceases", "constant",
          "idiosyncratic", "missing")
SURGE_FACTOR = 2.0
CHANGE_RATIO = 1.5
MIN_DIFF = 1
MIN_SHARE_DIFF = 0.10
IDIOSYNCRATIC_MAX = 2
EPS = 1e-9  # shares are floats: 0.3 is 1.5 * 0.2


def _compare(a: float, b: float, min_diff: float) -> str | None:
    if a == 0 and b == 0:
        return None
    if a == 0:
        return "new"
    if b == 0:
        return "gone"
    if b >= CHANGE_RATIO * a - EPS and b - a >= min_diff - EPS:
        return "grown"
    if a >= CHANGE_RATIO * b - EPS and a - b >= min_diff - EPS:
        return "shrunk"
    return "same"


# Wave-vs-wave words for the same comparisons, as trajectory labels.
_TRAJECTORY = {"new": "emerges", "gone": "ceases", "grown": "increases", "shrunk": "decreases",
               "same": "constant"}


def classify(values: list[float], *, min_diff: float = MIN_DIFF) -> str | None:
    """Label a trajectory of values at observed waves (see the module docstring).
    Returns None when the code never occurs."""
    if not any(v > 0 for v in values):
        return None
    if len(values) < 2:
        return "missing"
    first, last, k = values[0], values[-1], len(values)
    if k >= 3:
        if first == 0 and last == 0:
            return "surges"
        peak = max(values)
        at = [i for i, v in enumerate(values) if v == peak]
        if len(at) == 1 and 0 < at[0] < k - 1 and all(
                peak >= SURGE_FACTOR * v - EPS for i, v in enumerate(values) if i != at[0]):
            return "surges"
    # first and last are not both 0 here: one rule of change serves both views.
    change = _compare(first, last, min_diff)
    assert change is not None
    return _TRAJECTORY[change]


def change_report(cube: Cube, *, codes=None, participants=None, measure: str = "count") -> ChangeReport:
    """Labels per participant and code and for the sample, with evidence."""
    measure_of(0, 0, measure)
    if measure == "presence":
        raise QualcodeError("change uses counts or characters, not presence")
    coded = cube.coded_ids()
    code_ids = ([cube.code_by_name(c)["id"] for c in codes] if codes
                else [k for k in cube.code_order() if k in coded])
    people = sorted(cube.participants.values(), key=lambda p: p["pid"])
    if participants:
        wanted = {cube.participant_by_pid(pid)["id"] for pid in participants}
        people = [p for p in people if p["id"] in wanted]
    waves = cube.waves
    holders: dict[int, set[int]] = defaultdict(set)
    codes_of: dict[int, set[int]] = defaultdict(set)
    with_code: dict[tuple[int, int], int] = defaultdict(int)
    codings_at: dict[tuple[int, int], int] = defaultdict(int)
    for (p, w, k), (n, _) in cube.cells.items():
        holders[k].add(p)
        codes_of[p].add(k)
        if cube.observed(p, w):
            with_code[(w, k)] += 1
            codings_at[(w, k)] += n

    result_people: list[ParticipantChange] = []
    for person in people:
        pid = person["id"]
        observed = [w for w in waves if cube.observed(pid, w["id"])]
        missing = tuple(MissingWave(w["label"], cube.status_of(pid, w["id"]))
                        for w in waves if not cube.observed(pid, w["id"]))
        if not observed and not any(cube.status_of(pid, w["id"]) != "none" for w in waves):
            continue
        mine = codes_of.get(pid, set())
        for code_id in code_ids:
            if code_id not in mine:
                continue        # never seen for this participant: no label
            values = [cube.value(pid, w["id"], code_id, measure) for w in observed]
            label = classify(values, min_diff=MIN_DIFF)
            if label is None:
                continue
            result_people.append(ParticipantChange(
                person["pid"], cube.codes[code_id]["name"], label, ChangeEvidence(
                    values={w["label"]: cube.value(pid, w["id"], code_id, measure) for w in waves},
                    observed_waves=tuple(w["label"] for w in observed),
                    missing_waves=missing,
                    present_waves=tuple(w["label"] for w in observed
                                        if cube.value(pid, w["id"], code_id, measure)))))

    result_sample: list[SampleChange] = []
    if not participants:
        n_observed = {w["id"]: sum(1 for p in cube.participants if cube.observed(p, w["id"]))
                      for w in waves}
        for code_id in code_ids:
            per_wave: dict[str, WaveShare] = {}
            shares = []
            for wave in waves:
                obs = n_observed[wave["id"]]
                have = with_code.get((wave["id"], code_id), 0)
                per_wave[wave["label"]] = WaveShare(obs, have, codings_at.get((wave["id"], code_id), 0),
                                                    round(have / obs, 4) if obs else None)
                if obs:
                    shares.append(have / obs)
            n_people = len(holders.get(code_id, ()))
            if n_people == 0:
                continue
            if n_people <= IDIOSYNCRATIC_MAX:
                label = "idiosyncratic"
            else:
                label = classify(shares, min_diff=MIN_SHARE_DIFF) or "missing"
            result_sample.append(SampleChange(cube.codes[code_id]["name"], label, n_people, per_wave))
    return ChangeReport(
        measure=measure,
        waves=tuple(w["label"] for w in waves),
        thresholds={"surge_factor": SURGE_FACTOR, "change_ratio": CHANGE_RATIO,
                    "min_diff": MIN_DIFF, "min_share_diff": MIN_SHARE_DIFF,
                    "idiosyncratic_max": IDIOSYNCRATIC_MAX},
        participants=tuple(result_people),
        sample=tuple(result_sample),
    )


def compare_waves(cube: Cube, wave_a: str, wave_b: str, *, codes=None) -> WaveComparison:
    """Codes new, gone, grown and shrunk between two waves, for the sample and per
    participant (see the module docstring)."""
    a, b = cube.wave_by_label(wave_a), cube.wave_by_label(wave_b)
    if a["id"] == b["id"]:
        raise QualcodeError("compare two different waves")
    coded = cube.coded_ids()
    code_ids = ([cube.code_by_name(c)["id"] for c in codes] if codes
                else [k for k in cube.code_order() if k in coded])
    people = sorted(cube.participants.values(), key=lambda p: p["pid"])
    obs_a = [p["id"] for p in people if cube.observed(p["id"], a["id"])]
    obs_b = [p["id"] for p in people if cube.observed(p["id"], b["id"])]
    sample: list[CodeShift] = []
    for code_id in code_ids:
        with_a = sum(1 for p in obs_a if (p, a["id"], code_id) in cube.cells)
        with_b = sum(1 for p in obs_b if (p, b["id"], code_id) in cube.cells)
        share_a = with_a / len(obs_a) if obs_a else 0.0
        share_b = with_b / len(obs_b) if obs_b else 0.0
        label = _compare(share_a, share_b, MIN_SHARE_DIFF)
        if label is None:
            continue
        sample.append(CodeShift(cube.codes[code_id]["name"], label, {
            wave_a: WaveCount(with_a, len(obs_a), round(share_a, 4)),
            wave_b: WaveCount(with_b, len(obs_b), round(share_b, 4))}))
    both = [p for p in people if cube.observed(p["id"], a["id"]) and cube.observed(p["id"], b["id"])]
    per_participant: list[ParticipantShift] = []
    for person in both:
        changes: dict[str, list[CodeValues]] = defaultdict(list)
        for code_id in code_ids:
            va = cube.value(person["id"], a["id"], code_id)
            vb = cube.value(person["id"], b["id"], code_id)
            label = _compare(va, vb, MIN_DIFF)
            if label and label != "same":
                changes[label].append(CodeValues(cube.codes[code_id]["name"], {wave_a: va, wave_b: vb}))
        per_participant.append(ParticipantShift(
            person["pid"], new=tuple(changes["new"]), gone=tuple(changes["gone"]),
            grown=tuple(changes["grown"]), shrunk=tuple(changes["shrunk"])))
    not_both = [p["pid"] for p in people
                if (cube.observed(p["id"], a["id"]) != cube.observed(p["id"], b["id"]))]
    return WaveComparison((wave_a, wave_b), tuple(sample), tuple(per_participant), tuple(not_both))
