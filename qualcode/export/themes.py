"""The content of a theme summary, independent of the file format: which themes,
their definitions and memos, prevalence by wave and role, sub-codes with counts,
change over time and exemplar quotes spread across participants and waves.

Counting
    Everything is counted in coded passages (:mod:`qualcode.analysis.passages`): a
    theme's passages are its codings and its sub-codes' codings merged where they
    overlap, so a sentence coded by two coders, or with two sub-codes, is one passage
    of the theme; the sub-code table counts each sub-code's own passages.

Memos
    Every memo linked to the theme code or one of its sub-codes, of any type (theme,
    theoretical, code, comparison, participant...). A memo linked to several themes is
    printed in full under the first and cross-referenced under the others.

Quotes (see :mod:`qualcode.export.quotes`)
    Passages widened to whole sentences and capped in length, each naming the
    sub-codes it was coded with; exemplar-marked passages first, the others spread
    round-robin over (role, participant, wave), shorter ones preferred.

Change over time
    For the theme as a whole, the share of the participants who took part at each wave
    who have a passage of it, labelled with the sample rules of
    :mod:`qualcode.analysis.change`, for the sample and for each role; and one
    participant's quotes paired across the waves (the participant quoted at most waves,
    then with most passages).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from operator import attrgetter

from ..analysis.change import IDIOSYNCRATIC_MAX, MIN_SHARE_DIFF, classify
from ..analysis.passages import merge
from ..errors import QualcodeError
from ..records import Memo, Participant, Summary, Wave
from ..records.codes import Code
from ..records.codings import Passage, Segment
from .docx_common import coder_names, project_summary, today, wave_text
from .quotes import Texts, passages, pick_quotes

ORDERS = ("codebook", "frequency")
MEMO_ORDER = ("theme", "theoretical", "comparison", "code", "participant", "transcript",
              "segment", "project")

__all__ = ["ORDERS", "Theme", "ThemeSummary", "build_summary", "pick_quotes"]


@dataclass(frozen=True)
class PlacedMemo:
    """A memo under a theme: ``see`` names the theme it is printed in full under, or is
    None when that is this one."""

    memo: Memo
    see: str | None = None


@dataclass
class Theme:
    name: str
    code: Code
    definition: str | None
    inclusion: str | None
    exclusion: str | None
    memos: list[PlacedMemo]                   # and where each is printed in full
    passages: list[Passage]                   # the theme's passages (all its codes merged)
    prevalence: dict                          # see prevalence()
    subcodes: list[dict]                      # name, depth, by_wave {label: n}, total
    quotes: list[Passage]                     # the chosen passages
    change: dict = field(default_factory=dict)  # see theme_change()
    summaries: list[Summary] = field(default_factory=list)  # the analyst's, under this theme

    @property
    def count(self) -> int:
        """Coded passages of the theme."""
        return len(self.passages)

    @property
    def participants(self) -> int:
        return len({s.participant for s in self.passages if s.participant})


@dataclass
class ThemeSummary:
    title: str
    date: str
    coders: list[str]
    summary: str | None
    waves: list[Wave]                         # the waves shown (all, or the chosen one)
    roles: list[str]
    themes: list[Theme]
    filters: dict = field(default_factory=dict)


def select_themes(project, themes=None, category: str | None = None) -> list[Code]:
    """The codes to report as themes: the named ones, the sub-codes of a category, or
    (default) the top level of the codebook."""
    if themes and category:
        raise QualcodeError("choose themes either by name (--themes) or by category (--category), not both")
    by_name = {c.name: c for c in project.codebook.codes()}
    if themes:
        names = [t.strip() for t in themes if t and t.strip()]
        if not names:
            raise QualcodeError("no theme named: give code names separated by commas")
        for name in names:
            if name not in by_name:
                raise QualcodeError(f"unknown theme {name!r}: there is no code of that name")
        return [by_name[n] for n in dict.fromkeys(names)]
    if category:
        if category not in by_name:
            raise QualcodeError(f"unknown category {category!r}: there is no code of that name")
        children = [c for c in by_name.values() if c.parent == category]
        if not children:
            raise QualcodeError(f"category {category!r} has no sub-codes to report as themes")
        return children
    roots = [c for c in by_name.values() if not c.parent]
    if not roots:
        raise QualcodeError("the codebook is empty: there are no themes to export")
    return roots


def _tree(project) -> tuple[dict[str, Code], dict[str | None, list[Code]]]:
    children: dict[str | None, list[Code]] = defaultdict(list)
    codes = {}
    for code in project.codebook.codes():  # parents before children, in position order
        codes[code.name] = code
        children[code.parent].append(code)
    return codes, children


def _descendants(children: dict[str | None, list[Code]], name: str, depth: int = 1) -> list[tuple[Code, int]]:
    result = []
    for child in children.get(name, []):
        result.append((child, depth))
        result.extend(_descendants(children, child.name, depth + 1))
    return result


def check_filters(project, wave: str | None, coder: str | None) -> None:
    if wave:
        project.study.wave(wave)  # NotFoundError names the wave
    if coder and coder not in {c.name for c in project.study.coders()}:
        raise QualcodeError(f"unknown coder {coder!r}")


def participation_status(project) -> dict[tuple[str, str], str]:
    """(pid, wave label) -> status: the recorded attendance, upgraded to
    ``focus-group`` or ``document`` when the participant took part in such a transcript
    of the wave (the analysis cube's attendance mask)."""
    try:
        from ..analysis.cube import load_cube
    except ImportError:  # pragma: no cover (the analysis package is being built)
        return {(pid, label): status for pid, label, status in project.study.attendance()}
    cube = load_cube(project.db)
    waves = {w["id"]: w["label"] for w in cube.waves}
    return {(cube.participants[p]["pid"], waves[w]): status
            for (p, w), status in cube.status.items()
            if p in cube.participants and w in waves}


OBSERVED = ("interviewed", "focus-group", "document")


def observed_people(project) -> dict[str, set[str]]:
    """wave label -> pids of the participants who took part at that wave (interviewed,
    or a speaker in a focus group or another transcript of it)."""
    result: dict[str, set[str]] = defaultdict(set)
    for (pid, label), status in participation_status(project).items():
        if status in OBSERVED:
            result[label].add(pid)
    return result


def role_of(people: dict[str, Participant]) -> Callable[[str, str], str | None]:
    """The default grouping of the summary: each participant's role, at every wave."""
    return lambda pid, _wave: people[pid].role or None if pid in people else None


def _members(people: dict[str, Participant], group: str, group_of, wave: str) -> set[str]:
    return {pid for pid in people if group == "All" or group_of(pid, wave) == group}


def prevalence(rows: list[Passage], people: dict[str, Participant], observed: dict[str, set[str]],
               waves: list[Wave], roles: list[str], group_of=None) -> dict:
    """{group or "All": {wave label or "All": (with_theme, observed, codings)}}; groups
    are roles, or with ``group_of(pid, wave)`` the values of an attribute (a per-wave
    one puts a participant in the group of their value at each wave)."""
    group_of = group_of or role_of(people)
    table: dict = {}
    for role in [*roles, "All"]:
        row = {}
        every_with, every_obs, every_n = set(), set(), 0
        for wave in waves:
            label = wave.label
            members = _members(people, role, group_of, label)
            obs = members & observed.get(label, set())
            mine = [s for s in rows if s.wave == label and s.participant in members]
            with_theme = {s.participant for s in mine}
            row[label] = (len(with_theme), len(obs), len(mine))
            every_with |= with_theme
            every_obs |= obs
            every_n += len(mine)
        row["All"] = (len(every_with), len(every_obs), every_n)
        table[role] = row
    return table


def theme_memos(all_memos: list[Memo], names: set[str]) -> list[PlacedMemo]:
    """Memos of any type linked to the theme code or one of its sub-codes: theme memos
    first, then theoretical, comparison, code, participant... memos."""
    found = [m for m in all_memos if any(
        link.kind == "code" and link.target in names for link in m.links)]
    return [PlacedMemo(m) for m in sorted(found, key=lambda m: (
        MEMO_ORDER.index(m.type) if m.type in MEMO_ORDER else len(MEMO_ORDER), m.id))]


def share_label(values: list[tuple[int, int]], people: int) -> str | None:
    """The sample rule of :mod:`qualcode.analysis.change` on (with, observed) per wave:
    idiosyncratic when at most 2 people ever have it, else the label of the shares at
    the waves where someone took part."""
    if people == 0:
        return None
    if people <= IDIOSYNCRATIC_MAX:
        return "idiosyncratic"
    shares = [w / o for w, o in values if o]
    return classify(shares, min_diff=MIN_SHARE_DIFF) or "missing"


def theme_change(rows: list[Passage], people: dict[str, Participant], observed: dict[str, set[str]],
                 waves: list[Wave], roles: list[str],
                 quoted: AbstractSet[int] = frozenset(), used=frozenset(), group_of=None) -> dict:
    """Change over time of a theme: the label for the sample and per role, with the
    (with, observed) counts per wave, and one participant's passages paired across the
    waves (passages already ``quoted`` (ids) only when that wave has no other)."""
    group_of = group_of or role_of(people)
    result: dict = {"roles": {}}
    for role in [*roles, "All"]:
        values = []
        holders = {r.participant for r in rows if r.participant in people
                   and (role == "All" or group_of(r.participant, r.wave) == role)}
        for wave in waves:
            members = _members(people, role, group_of, wave.label)
            obs = members & observed.get(wave.label, set())
            have = {r.participant for r in rows if r.wave == wave.label} & obs
            values.append((len(have), len(obs)))
        entry = {"label": share_label(values, len(holders)), "values": values}
        if role == "All":
            result["sample"] = entry
        else:
            result["roles"][role] = entry
    by_person: dict[str, list[Passage]] = defaultdict(list)
    for r in rows:
        if r.participant and r.wave and not r.interviewer:
            by_person[r.participant].append(r)
    candidates = [(len({r.wave for r in rs}), len(rs), pid) for pid, rs in by_person.items()]
    candidates = [c for c in candidates if c[0] >= 2]
    result["paired"] = None
    if candidates:
        _, _, pid = min(candidates, key=lambda c: (-c[0], -c[1], c[2]))
        paired = []
        for wave in waves:
            mine = [r for r in by_person[pid] if r.wave == wave.label]
            fresh = [r for r in mine if r.id not in quoted]
            paired += pick_quotes(fresh or mine, 1, used=used)
        result["paired"] = {"participant": pid, "quotes": paired}
    return result


def build_summary(project, *, themes=None, category: str | None = None, wave: str | None = None,
                  quotes: int = 5, order: str = "codebook", coder: str | None = None,
                  require_codings: bool = True, where: Sequence[str] | None = None,
                  by: str = "role") -> ThemeSummary:
    if order not in ORDERS:
        raise QualcodeError(f"order {order!r} is not one of {', '.join(ORDERS)}")
    if quotes < 0:
        raise QualcodeError(f"number of quotes {quotes} is negative")
    check_filters(project, wave, coder)
    chosen = select_themes(project, themes, category)
    _codes, children = _tree(project)
    all_waves = project.study.waves()
    waves = [w for w in all_waves if not wave or w.label == wave]
    wave_by_label = {w.label: w for w in all_waves}
    people = {p.pid: p for p in project.study.participants()}
    roles = sorted({p.role or "" for p in people.values()} - {""})
    observed = observed_people(project)
    if where:
        people, observed = people_kept(project, where, people, observed)
        roles = sorted({p.role or "" for p in people.values()} - {""})
    group_of = None
    if by != "role":
        group_of, roles = attribute_groups(project, by, people, waves)
    all_memos = project.memos.all()
    texts = Texts(project)
    used: set[tuple[str, str]] = set()       # quotes already in the document
    result = []
    for code in chosen:
        segments = project.coding.segments(code.name, include_subcodes=True, wave=wave,
                                           coder=coder, where=where)
        merged = passages(segments, texts, wave_by_label, by_code=False)
        tree = _descendants(children, code.name)
        names = {code.name, *(c.name for c, _ in tree)}
        subcodes = _subcode_counts(code.name, tree, segments)
        chosen_quotes = pick_quotes(merged, quotes, used=used)
        result.append(Theme(
            name=code.name, code=code, definition=code.definition,
            inclusion=code.inclusion, exclusion=code.exclusion,
            memos=theme_memos(all_memos, names), passages=merged,
            prevalence=prevalence(merged, people, observed, waves, roles, group_of),
            subcodes=subcodes, quotes=chosen_quotes,
            change=theme_change(merged, people, observed, waves, roles,
                                {q.id for q in chosen_quotes}, used, group_of) if len(waves) > 1 else {},
        ))
        theme = result[-1]
        theme.summaries = [s for s in project.summaries.all(theme=code.name) if not wave or s.wave == wave]
        for row in theme.quotes + ((theme.change.get("paired") or {}).get("quotes") or []):
            used.add((row.transcript, row.quote))
    if not themes:
        # Themes picked from the tree: leave out the ones with nothing coded (named
        # themes are kept, with a note, so that the reader sees they are empty).
        result = [t for t in result if t.passages] or result
    if require_codings and not any(t.passages for t in result):
        where = [f"wave {wave}" if wave else "", f"coder {coder}" if coder else ""]
        where_text = " and ".join(w for w in where if w)
        raise QualcodeError(
            "nothing to export: the chosen themes have no coded segments"
            + (f" for {where_text}" if where_text else ""))
    if order == "frequency":
        position = {t.name: i for i, t in enumerate(result)}
        result.sort(key=lambda t: (-t.count, position[t.name]))
    _place_memos(result)
    return ThemeSummary(
        title=project.title, date=today(),
        coders=[coder] if coder else coder_names(project),
        summary=project_summary(project), waves=waves, roles=roles, themes=result,
        filters={"wave": wave, "coder": coder, "category": category, "order": order,
                 "quotes": quotes, "where": list(where or []), "by": by},
    )


def attribute_groups(project, by: str, people: dict[str, Participant], waves: list[Wave]):
    """(value of a participant at a wave, the values in the order of the attribute's
    type) for a summary grouped by attribute ``by`` instead of role."""
    from ..analysis.filters import grouping, shown

    chosen = grouping(project.db, by)
    if chosen is None:
        raise QualcodeError(f"the theme summary groups by role or an attribute, not {by!r}")
    typed = {(pid, w.label): chosen.value_of(pid, w.label) for pid in people for w in waves}
    values = sorted({v for v in typed.values() if v is not None}, key=chosen.sort_key)
    names = {v: shown(v) for v in values}
    return (lambda pid, wave: names.get(typed.get((pid, wave)))), [names[v] for v in values]


def people_kept(project, where: Sequence[str], people: dict[str, Participant],
                observed: dict[str, set[str]]):
    """The participants and, per wave, those observed that the participant-level filters
    keep (``coder:`` and the other coding-level filters pick passages, not people)."""
    from ..analysis.where import bind_where

    bound = bind_where(list(where), project.db)
    observed = {label: {pid for pid in pids if bound.participant_holds(pid, label)}
                for label, pids in observed.items()}
    kept = set().union(*observed.values()) if observed else set()
    return {pid: p for pid, p in people.items() if pid in kept}, observed



def _subcode_counts(name: str, tree: list[tuple[Code, int]], segments: Sequence[Segment]) -> list[dict]:
    """Rows of a theme's sub-code table: name, depth, passages (per transcript and code)
    per wave, total; first the theme's own codings when it has sub-codes as well. Only
    counted: the passages are merged here without being quoted or attributed, which
    for every passage of a large theme cost the summary more than its quotes."""
    per_code: dict[str, Counter] = defaultdict(Counter)
    for members in merge(segments, key=attrgetter("transcript", "code"), span=attrgetter("start", "end")):
        first = members[0]
        per_code[first.code][first.wave or "-"] += 1
    subcodes = [{"name": c.name, "depth": d, "by_wave": dict(per_code[c.name]),
                 "total": sum(per_code[c.name].values())} for c, d in tree]
    if tree and per_code.get(name):
        subcodes.insert(0, {"name": f"{name} (coded at the theme itself)", "depth": 1,
                            "by_wave": dict(per_code[name]), "total": sum(per_code[name].values())})
    return subcodes


def _place_memos(result: list[Theme]) -> None:
    """Mark where each memo is printed in full (``see``: None there, else that theme).

    A memo is printed once: under the theme of the first code it is linked to (its
    author's main subject), else the first theme it belongs to; elsewhere it is pointed to.
    """
    theme_of_code: dict[str, str] = {}
    for theme in result:
        for name in [theme.name, *(s["name"] for s in theme.subcodes)]:
            theme_of_code.setdefault(name, theme.name)
    printed: dict[int, str] = {}
    for theme in result:
        for placed in theme.memos:
            memo = placed.memo
            if memo.id not in printed:
                first = next((link.target for link in memo.links if link.kind == "code"
                              and link.target in theme_of_code), None)
                printed[memo.id] = theme_of_code[first] if first is not None else theme.name
    for theme in result:
        theme.memos = [PlacedMemo(p.memo, None if printed[p.memo.id] == theme.name else printed[p.memo.id])
                       for p in theme.memos]

def count_rule(summary: ThemeSummary) -> str:
    """What the counts count, for captions."""
    if summary.filters.get("coder"):
        return (f"passages coded by {summary.filters['coder']} (overlapping codings of one "
                "theme count once)")
    return ("coded passages: overlapping codings of a theme, by several coders or with "
            "several sub-codes, count once")


def prevalence_rows(summary: ThemeSummary, theme: Theme) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the prevalence table: "people with the theme / people who
    took part (passages)" per role and wave."""
    header = [group_heading(summary), *(f"{w.label}: {wave_text(w)}" if wave_text(w) != w.label else w.label
                                        for w in summary.waves)]
    if len(summary.waves) > 1:
        header.append("All waves")
    rows = []
    keys = [w.label for w in summary.waves] + (["All"] if len(summary.waves) > 1 else [])
    for role in [*summary.roles, "All"]:
        cells = theme.prevalence[role]
        label = "All participants" if role == "All" else group_label(summary, role)
        rows.append([label, *(_cell(cells[k]) for k in keys)])
    return header, rows


def group_heading(summary: ThemeSummary) -> str:
    """The first column's heading: "Role", or the attribute the rows are grouped by."""
    by = summary.filters.get("by") or "role"
    return "Role" if by == "role" else by


def group_label(summary: ThemeSummary, group: str) -> str:
    from .docx_common import role_label

    by = summary.filters.get("by") or "role"
    return role_label(group) if by == "role" else f"{by} {group}"


def _cell(value: tuple[int, int, int]) -> str:
    with_theme, observed, codings = value
    if not observed and not codings:
        return "\u2013"
    return f"{with_theme}/{observed} ({codings})"


def subcode_rows(summary: ThemeSummary, theme: Theme) -> tuple[list[str], list[list]]:
    header = ["Sub-code", *(w.label for w in summary.waves), "Total"]
    rows = []
    for sub in theme.subcodes:
        indent = "\u2003" * (sub["depth"] - 1)
        rows.append([indent + sub["name"], *(sub["by_wave"].get(w.label, 0) for w in summary.waves),
                     sub["total"]])
    return header, rows


def filters_text(summary: ThemeSummary) -> str:
    parts = []
    if summary.filters.get("wave"):
        parts.append(f"wave {summary.filters['wave']} only")
    if summary.filters.get("coder"):
        parts.append(f"codings by {summary.filters['coder']} only")
    if summary.filters.get("category"):
        parts.append(f"themes: the sub-codes of {summary.filters['category']}")
    if summary.filters.get("where"):
        parts.append("only " + " and ".join(summary.filters["where"]))
    return "; ".join(parts)


CHANGE_WORDS = {
    "emerges": "emerges (absent at the first wave, present at the last)",
    "increases": "increases",
    "surges": "surges (peaks at a middle wave)",
    "decreases": "decreases",
    "ceases": "ceases (present at the first wave, absent at the last)",
    "constant": "stays about constant",
    "idiosyncratic": "is idiosyncratic (at most two participants have it)",
    "missing": "cannot be followed over time (data at fewer than two waves)",
    None: "does not occur",
}


def _share(value: tuple[int, int]) -> str:
    have, observed = value
    return f"{have}/{observed}" if observed else "\u2013"


def change_rows(summary: ThemeSummary, theme: Theme) -> tuple[list[str], list[list[str]]]:
    """Role (or attribute value) | with/observed per wave | label."""
    header = [group_heading(summary), *(w.label for w in summary.waves), "Change"]
    rows = []
    entries = [(group_label(summary, role), theme.change["roles"][role]) for role in summary.roles]
    entries.append(("All participants", theme.change["sample"]))
    for label, entry in entries:
        rows.append([label, *(_share(v) for v in entry["values"]), entry["label"] or "\u2013"])
    return header, rows


def change_text(summary: ThemeSummary, theme: Theme) -> str:
    """One sentence for the sample, one listing the roles (or attribute values)."""
    from .docx_common import role_label

    sample = theme.change["sample"]
    text = f"Across the sample the theme {CHANGE_WORDS.get(sample['label'], sample['label'])}."
    by = summary.filters.get("by") or "role"
    parts = [(f"{role_label(role).lower()}s" if by == "role" else f"{by} {role}") + f": {entry['label']}"
             for role, entry in theme.change["roles"].items() if entry["label"]]
    if parts:
        text += f" By {by}: " + "; ".join(parts) + "."
    return text


def memo_note(memo: Memo) -> str:
    """"theme memo, anna, 2025-05-02"."""
    bits = [f"{memo.type} memo"]
    if memo.author:
        bits.append(memo.author)
    if memo.updated:
        bits.append(memo.updated[:10])
    return ", ".join(bits)


def quote_source(row: Passage) -> str:
    """The attribution and the codes the passage was coded with."""
    return f"{row.attribution} \u00b7 {', '.join(row.codes)}"
