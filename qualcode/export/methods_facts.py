"""What the methods appendix reports, computed from the project: durations, the sample,
agreement with its base counts, saturation by role, and the COREQ checklist
(Tong, Sainsbury and Craig 2007: 32 items in three domains) filled with what the
project holds for each item, or "not recorded".

Durations
    Only from transcripts whose duration was recorded (``qualcode study duration``) or
    whose every turn carries a timestamp (subtitles, fully time-stamped transcripts):
    a transcript with timestamps on some turns only says nothing reliable about how long
    the conversation lasted. From timestamps the duration runs from the first turn's
    start to the last turn's end (or start, a lower bound). Interviews and focus groups
    are summarised apart.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..records.analysis import AgreementReport
from ..records.study import Interviewer
from ..store import exports as store_exports
from ..version import __version__
from .docx_common import plural, role_label

NOT_RECORDED = "not recorded"


@dataclass
class Duration:
    name: str
    kind: str
    wave: str | None
    participant: str | None
    minutes: float
    source: str          # "recorded" or "timestamps"


def durations(project) -> tuple[list[Duration], list[dict]]:
    """(usable durations, partly timed transcripts left out)."""
    recorded = project.study.durations()
    known = {t.name: t for t in project.transcripts.all()}
    found, partial = [], []
    for name, minutes in recorded.items():
        listed = known.get(name)
        if listed:
            found.append(Duration(name, listed.kind, listed.wave, listed.participant, float(minutes), "recorded"))
    for t in store_exports.timed_transcripts(project.db):
        if t["name"] in recorded:
            continue
        if t["timed_turns"] < t["turns"]:
            partial.append(t)
            continue
        minutes = max(0.0, (t["last"] or 0) - (t["first"] or 0)) / 60
        found.append(Duration(t["name"], t["kind"], t["wave"], t["participant"], minutes, "timestamps"))
    found.sort(key=lambda d: (d.kind, d.wave or "", d.name))
    return found, partial


def duration_summary(items: list[Duration], total: int, what: str) -> str:
    if not items:
        return f"{what}: no duration recorded and none completely time-stamped (of {total})."
    minutes = [d.minutes for d in items]
    return (f"{what}: median {statistics.median(minutes):.0f} minutes, range {min(minutes):.0f} to "
            f"{max(minutes):.0f} ({len(items)} of {total} with a recorded duration or complete "
            "timestamps).")


def sample_table(project, cube) -> tuple[list[str], list[list[str]]]:
    """Attributes summarised by role: counts and percentages of each value (missing
    shown), numbers as median and range."""
    from ..analysis.describe import MISSING, describe

    people = list(cube.participants.values())
    roles = sorted({p.get("role") or MISSING for p in people})
    by_role = describe(cube, by="role")
    overall = describe(cube, by=None)
    size = Counter(p.get("role") or MISSING for p in people)
    header = ["Attribute", "Value", *(f"{role_label(r) if r != MISSING else 'No role'}s (n={size[r]})"
                                      for r in roles), f"All (n={len(people)})"]
    numeric = {(r.group, r.attribute): r for r in by_role.numeric + overall.numeric}
    numeric_keys = {r.attribute for r in overall.numeric}
    cells: dict[tuple[str, str], dict[str, str]] = {}
    order: list[tuple[str, str]] = []
    for row in by_role.rows + overall.rows:
        if row.attribute == "role" or (row.attribute in numeric_keys and row.value != MISSING):
            continue
        key = (row.attribute, row.value)
        if key not in cells:
            cells[key] = {}
            order.append(key)
        cells[key][row.group] = f"{row.n} ({row.percent:.0f}%)"
    # A role where nobody has a value of an attribute: all of them missing.
    for attribute in {a for a, _ in order}:
        for role in roles:
            if not any(role in cells[(a, v)] for a, v in order if a == attribute):
                key = (attribute, MISSING)
                if key not in cells:
                    cells[key] = {}
                    order.append(key)
                cells[key][role] = f"{size[role]} (100%)"
    for attribute in sorted(numeric_keys):
        key = (attribute, "median (range)")
        cells[key] = {}
        order.append(key)
        for group in [*roles, "all"]:
            found = numeric.get((group, attribute))
            if found:
                cells[key][group] = f"{found.median} ({found.min}\u2013{found.max})"
    order.sort(key=lambda k: (k[0] != "site", k[0], k[1] == MISSING, k[1] == "median (range)", k[1]))
    rows, previous = [], None
    for attribute, value in order:
        rows.append(["" if attribute == previous else attribute.replace("_", " "), value,
                     *(cells[(attribute, value)].get(r, "\u2013") for r in roles),
                     cells[(attribute, value)].get("all", "\u2013")])
        previous = attribute
    return header, rows


def coder_base(project, report: AgreementReport) -> list[list]:
    """Per coder: codings and transcripts coded among the compared transcripts, and the
    characters they coded (summed over codes)."""
    per_coder = store_exports.codings_per_coder(project.db, list(report.transcripts))
    first: float = 0
    second: float = 0
    for row in report.codes:
        table = row.table or {}
        first += table.get("both", 0) + table.get("only_first", 0)
        second += table.get("both", 0) + table.get("only_second", 0)
    chars = dict(zip(report.coders, (first, second))) if len(report.coders) == 2 else {}
    return [[name, *per_coder.get(name, (0, 0)),
             f"{chars[name]:,}" if name in chars else "\u2013"] for name in report.coders]


def coded_agreement(table: Mapping[str, float]) -> float | None:
    """Agreement on the text either coder coded: both / (both + only one)."""
    either = table.get("both", 0) + table.get("only_first", 0) + table.get("only_second", 0)
    return 100.0 * table.get("both", 0) / either if either else None


def _people(interviewers: Sequence[Interviewer], field: str) -> str:
    values = [f"{p.name}: {value.rstrip('. ')}" for p in interviewers if (value := p.value(field))]
    if not values:
        return NOT_RECORDED
    ends = "." if any((p.value(field) or "").rstrip().endswith(".") for p in interviewers) else ""
    return "; ".join(values) + ends


def _fact(facts: dict, key: str, extra: str = "") -> str:
    value = facts.get(key)
    if value and extra:
        return f"{value} {extra}"
    return value or (f"{NOT_RECORDED}. {extra}" if extra else NOT_RECORDED)


DOMAINS = (
    ("Domain 1: research team and reflexivity", range(1, 9)),
    ("Domain 2: study design", range(9, 24)),
    ("Domain 3: analysis and findings", range(24, 33)),
)
ITEMS = {
    1: "Interviewer or facilitator", 2: "Credentials", 3: "Occupation", 4: "Gender",
    5: "Experience and training", 6: "Relationship established",
    7: "Participant knowledge of the interviewer", 8: "Interviewer characteristics",
    9: "Methodological orientation and theory", 10: "Sampling", 11: "Method of approach",
    12: "Sample size", 13: "Non-participation", 14: "Setting of data collection",
    15: "Presence of non-participants", 16: "Description of sample", 17: "Interview guide",
    18: "Repeat interviews", 19: "Audio/visual recording", 20: "Field notes", 21: "Duration",
    22: "Data saturation", 23: "Transcripts returned", 24: "Number of data coders",
    25: "Description of the coding tree", 26: "Derivation of themes", 27: "Software",
    28: "Participant checking", 29: "Quotations presented", 30: "Data and findings consistent",
    31: "Clarity of major themes", 32: "Clarity of minor themes",
}


def coreq_rows(project, figures: dict) -> list[tuple[int, str, str]]:
    """(item number, item, what the project holds) for all 32 items."""
    study = project.study.study_facts()
    facts, people = study.facts, study.interviewers
    names = ", ".join(p.name for p in people)
    text = {
        1: names or NOT_RECORDED,
        2: _people(people, "credentials"),
        3: _people(people, "occupation"),
        4: _people(people, "gender"),
        5: _people(people, "experience"),
        6: _people(people, "relationship"),
        7: _people(people, "known_to_participants"),
        8: _people(people, "characteristics"),
        9: _fact(facts, "orientation", figures.get("stages", "")),
        10: _fact(facts, "sampling"),
        11: _fact(facts, "approach"),
        12: figures["sample_size"],
        13: figures["non_participation"] + (f" Refusals: {facts['refusals']}" if facts.get("refusals")
                                            else " Refusals: not recorded."),
        14: _fact(facts, "setting"),
        15: _fact(facts, "others_present"),
        16: figures["sample_description"],
        17: _fact(facts, "interview_guide"),
        18: figures["repeat_interviews"],
        19: _fact(facts, "recording"),
        20: _fact(facts, "field_notes", figures.get("field_notes", "")),
        21: figures["duration"],
        22: figures["saturation"] + (f" {facts['saturation']}" if facts.get("saturation") else ""),
        23: _fact(facts, "transcripts_returned"),
        24: figures["coders"],
        25: figures["coding_tree"],
        26: _fact(facts, "theme_derivation"),
        27: f"qualcode {__version__}" + (f"; {facts['software']}" if facts.get("software") else ""),
        28: _fact(facts, "participant_checking"),
        29: figures["quotations"],
        30: f"{NOT_RECORDED} (a judgement about the report, not held in the project).",
        31: figures["major_themes"],
        32: figures["minor_themes"],
    }
    return [(n, ITEMS[n], text[n]) for n in range(1, 33)]


def stage_text(project) -> str:
    stages = Counter(c.stage for c in project.codebook.codes() if c.stage)
    if not stages:
        return ""
    return "(The codebook records coding stages: " + ", ".join(
        f"{stage} {n}" for stage, n in stages.items()) + ".)"


def repeat_text(project, cube) -> str:
    interviews: Counter[str] = Counter()
    for t in project.transcripts.all():
        if t.kind == "interview" and t.participant:
            interviews[t.participant] += 1
    roles = {p.pid: p.role for p in project.study.participants()}
    repeated: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for pid, n in interviews.items():
        role = roles.get(pid) or "participant"
        counts[role] += n
        if n > 1:
            repeated[role] += 1
    if not interviews:
        return "No interviews."
    waves = len(cube.waves)
    parts = [f"{plural(repeated[role], role_label(role).lower())} interviewed more than once "
             f"({counts[role]} interviews)" for role in sorted(counts) if repeated[role]]
    if not parts:
        return f"No; {plural(sum(interviews.values()), 'interview')}, one per participant."
    return f"Yes: {plural(waves, 'wave')}; " + "; ".join(parts) + "."
