"""The content of a theme summary, independent of the file format: which themes,
their definitions and memos, prevalence by wave and role, sub-codes with counts and
exemplar quotes spread across participants and waves.

Quote selection (deterministic)
    The theme's coded segments (the theme code and its sub-codes) are de-duplicated:
    a segment overlapping one already kept in the same transcript (the same passage
    coded by two coders, or with two sub-codes) is dropped, the exemplar-marked one
    winning. Exemplar-marked segments are taken first (up to N, in wave, participant,
    transcript order). The remaining places are filled round-robin over the
    (role, participant, wave) groups: each pick takes, from the group whose role, then
    participant, then wave have been quoted least so far (ties: fewest picks from the
    group, then the group with most segments, i.e. the participant who spoke most about
    the theme at that wave, then earlier wave and participant id), its best remaining
    segment (one of 60-700 characters before a shorter or longer one, then text order).
    The chosen quotes are shown in wave, participant and text order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..errors import QualcodeError
from .docx_common import attribution, coder_names, project_summary, today, wave_text

ORDERS = ("codebook", "frequency")
MEMO_TYPES = ("theme", "theoretical", "code")
GOOD_LENGTH = (60, 700)
NO_WAVE = 10**6


@dataclass
class Theme:
    name: str
    code: dict
    definition: str | None
    inclusion: str | None
    exclusion: str | None
    memos: list[dict]
    segments: list[dict]                      # every coded segment in the selection
    prevalence: dict                          # see prevalence()
    subcodes: list[dict]                      # name, depth, by_wave {label: n}, total
    quotes: list[dict]                        # chosen segments with "attribution"

    @property
    def codings(self) -> int:
        return len(self.segments)

    @property
    def participants(self) -> int:
        return len({s["participant"] for s in self.segments if s["participant"]})


@dataclass
class ThemeSummary:
    title: str
    date: str
    coders: list[str]
    summary: str | None
    waves: list[dict]                         # the waves shown (all, or the chosen one)
    roles: list[str]
    themes: list[Theme]
    filters: dict = field(default_factory=dict)


def select_themes(project, themes=None, category: str | None = None) -> list[dict]:
    """The codes to report as themes: the named ones, the sub-codes of a category, or
    (default) the top level of the codebook."""
    if themes and category:
        raise QualcodeError("choose themes either by name (--themes) or by category (--category), not both")
    by_name = {c["name"]: c for c in project.codes()}
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
        children = [c for c in by_name.values() if c["parent"] == category]
        if not children:
            raise QualcodeError(f"category {category!r} has no sub-codes to report as themes")
        return children
    roots = [c for c in by_name.values() if not c["parent"]]
    if not roots:
        raise QualcodeError("the codebook is empty: there are no themes to export")
    return roots


def _tree(project) -> tuple[dict, dict]:
    children: dict[str | None, list[dict]] = defaultdict(list)
    codes = {}
    for code in project.codes():  # parents before children, in position order
        codes[code["name"]] = code
        children[code["parent"]].append(code)
    return codes, children


def _descendants(children: dict, name: str, depth: int = 1) -> list[tuple[dict, int]]:
    result = []
    for child in children.get(name, []):
        result.append((child, depth))
        result.extend(_descendants(children, child["name"], depth + 1))
    return result


def check_filters(project, wave: str | None, coder: str | None) -> None:
    if wave:
        project.wave(wave)  # NotFoundError names the wave
    if coder and coder not in {c["name"] for c in project.coders()}:
        raise QualcodeError(f"unknown coder {coder!r}")


def participation_status(project) -> dict[tuple[str, str], str]:
    """(pid, wave label) -> status: the recorded attendance, upgraded to
    ``focus-group`` or ``document`` when the participant took part in such a transcript
    of the wave (the analysis cube's attendance mask)."""
    try:
        from ..analysis.cube import load_cube
    except ImportError:  # pragma: no cover (the analysis package is being built)
        return {(pid, label): status for pid, label, status in project.attendance()}
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


def prevalence(segments: list[dict], people: dict[str, dict], observed: dict[str, set[str]],
               waves: list[dict], roles: list[str]) -> dict:
    """{role or "All": {wave label or "All": (with_theme, observed, codings)}}."""
    table: dict = {}
    for role in [*roles, "All"]:
        members = {pid for pid, p in people.items() if role == "All" or (p["role"] or "") == role}
        row = {}
        every_with, every_obs, every_n = set(), set(), 0
        for wave in waves:
            label = wave["label"]
            obs = members & observed.get(label, set())
            rows = [s for s in segments if s["wave"] == label and s["participant"] in members]
            with_theme = {s["participant"] for s in rows}
            row[label] = (len(with_theme), len(obs), len(rows))
            every_with |= with_theme
            every_obs |= obs
            every_n += len(rows)
        row["All"] = (len(every_with), len(every_obs), every_n)
        table[role] = row
    return table


def _wave_key(r: dict) -> int:
    return r["wave_order"] if r.get("wave_order") is not None else NO_WAVE


def _text_key(r: dict) -> tuple:
    return (_wave_key(r), r["participant"] or "\uffff", r["transcript"], r["start"], r["id"])


def _role_person_wave(r: dict) -> tuple:
    return (r.get("role") or "", r["participant"] or "\uffff", _wave_key(r))


def pick_quotes(rows: list[dict], n: int, spread=_role_person_wave) -> list[dict]:
    """Choose ``n`` segments spread over the dimensions ``spread(row)`` returns, most
    important first (default: role, participant, wave; see the module docstring).
    Pure and deterministic."""
    # An interviewer's words are never quoted as a participant's, unless the analyst
    # marked the segment as an exemplar on purpose.
    rows = [r for r in rows if r["exemplar"] or not r.get("interviewer")]
    if n <= 0 or not rows:
        return []
    kept: dict[str, list[dict]] = defaultdict(list)
    unique: list[dict] = []
    for r in sorted(rows, key=lambda r: (not r["exemplar"], *_text_key(r))):
        if any(r["start"] < k["end"] and k["start"] < r["end"] for k in kept[r["transcript"]]):
            continue
        kept[r["transcript"]].append(r)
        unique.append(r)
    chosen = sorted((r for r in unique if r["exemplar"]), key=_text_key)[:n]
    seen: list[Counter] = [Counter() for _ in spread(rows[0])]
    for r in chosen:
        for counter, value in zip(seen, spread(r)):
            counter[value] += 1
    groups: dict[tuple, list[dict]] = defaultdict(list)
    lo, hi = GOOD_LENGTH
    for r in unique:
        if not r["exemplar"]:
            groups[spread(r)].append(r)
    for members in groups.values():
        members.sort(key=lambda r: (not lo <= len(r["text"].strip()) <= hi, _wave_key(r),
                                    r["transcript"], r["start"]))
    taken: Counter = Counter()
    while len(chosen) < n:
        open_groups = [g for g, members in groups.items() if taken[g] < len(members)]
        if not open_groups:
            break
        group = min(open_groups, key=lambda g: (
            tuple(counter[v] for counter, v in zip(seen, g)), taken[g], -len(groups[g]),
            tuple(reversed(g))))
        row = groups[group][taken[group]]
        taken[group] += 1
        chosen.append(row)
        for counter, value in zip(seen, group):
            counter[value] += 1
    return sorted(chosen, key=_text_key)


def theme_memos(all_memos: list[dict], names: set[str]) -> list[dict]:
    """Theme, theoretical and code memos linked to the theme code or its sub-codes:
    theme memos first, then theoretical, then code memos."""
    found = [m for m in all_memos if m["type"] in MEMO_TYPES and any(
        item["kind"] == "code" and item["target"] in names for item in m["links"])]
    return sorted(found, key=lambda m: (MEMO_TYPES.index(m["type"]), m["id"]))


def build_summary(project, *, themes=None, category: str | None = None, wave: str | None = None,
                  quotes: int = 5, order: str = "codebook", coder: str | None = None,
                  require_codings: bool = True) -> ThemeSummary:
    if order not in ORDERS:
        raise QualcodeError(f"order {order!r} is not one of {', '.join(ORDERS)}")
    if quotes < 0:
        raise QualcodeError(f"number of quotes {quotes} is negative")
    check_filters(project, wave, coder)
    chosen = select_themes(project, themes, category)
    _codes, children = _tree(project)
    all_waves = project.waves()
    waves = [w for w in all_waves if not wave or w["label"] == wave]
    wave_by_label = {w["label"]: w for w in all_waves}
    people = {p["pid"]: p for p in project.participants()}
    roles = sorted({p["role"] or "" for p in people.values()} - {""})
    observed = observed_people(project)
    all_memos = project.memos()
    result = []
    for code in chosen:
        rows = project.segments(code["name"], include_subcodes=True, wave=wave, coder=coder)
        for r in rows:
            r["attribution"] = attribution(r, wave_by_label)
        tree = _descendants(children, code["name"])
        names = {code["name"], *(c["name"] for c, _ in tree)}
        per_code: dict[str, Counter] = defaultdict(Counter)
        for r in rows:
            per_code[r["code"]][r["wave"] or "-"] += 1
        subcodes = [{"name": c["name"], "depth": d, "by_wave": dict(per_code[c["name"]]),
                     "total": sum(per_code[c["name"]].values())} for c, d in tree]
        if tree and per_code.get(code["name"]):
            subcodes.insert(0, {"name": f"{code['name']} (coded at the theme itself)", "depth": 1,
                                "by_wave": dict(per_code[code["name"]]),
                                "total": sum(per_code[code["name"]].values())})
        result.append(Theme(
            name=code["name"], code=code, definition=code["definition"],
            inclusion=code["inclusion"], exclusion=code["exclusion"],
            memos=theme_memos(all_memos, names), segments=rows,
            prevalence=prevalence(rows, people, observed, waves, roles),
            subcodes=subcodes, quotes=pick_quotes(rows, quotes),
        ))
    if not themes:
        # Themes picked from the tree: leave out the ones with nothing coded (named
        # themes are kept, with a note, so that the reader sees they are empty).
        result = [t for t in result if t.segments] or result
    if require_codings and not any(t.segments for t in result):
        where = [f"wave {wave}" if wave else "", f"coder {coder}" if coder else ""]
        where_text = " and ".join(w for w in where if w)
        raise QualcodeError(
            "nothing to export: the chosen themes have no coded segments"
            + (f" for {where_text}" if where_text else ""))
    if order == "frequency":
        position = {t.name: i for i, t in enumerate(result)}
        result.sort(key=lambda t: (-t.codings, position[t.name]))
    return ThemeSummary(
        title=project.title, date=today(),
        coders=[coder] if coder else coder_names(project),
        summary=project_summary(project), waves=waves, roles=roles, themes=result,
        filters={"wave": wave, "coder": coder, "category": category, "order": order,
                 "quotes": quotes},
    )


def prevalence_rows(summary: ThemeSummary, theme: Theme) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the prevalence table: "people with the theme / people who
    took part (codings)" per role and wave."""
    header = ["Role", *(f"{w['label']}: {wave_text(w)}" if wave_text(w) != w["label"] else w["label"]
                        for w in summary.waves)]
    if len(summary.waves) > 1:
        header.append("All waves")
    rows = []
    from .docx_common import role_label

    keys = [w["label"] for w in summary.waves] + (["All"] if len(summary.waves) > 1 else [])
    for role in [*summary.roles, "All"]:
        cells = theme.prevalence[role]
        label = "All participants" if role == "All" else role_label(role)
        rows.append([label, *(_cell(cells[k]) for k in keys)])
    return header, rows


def _cell(value: tuple[int, int, int]) -> str:
    with_theme, observed, codings = value
    if not observed and not codings:
        return "\u2013"
    return f"{with_theme}/{observed} ({codings})"


def subcode_rows(summary: ThemeSummary, theme: Theme) -> tuple[list[str], list[list]]:
    header = ["Sub-code", *(w["label"] for w in summary.waves), "Total"]
    rows = []
    for sub in theme.subcodes:
        indent = "\u2003" * (sub["depth"] - 1)
        rows.append([indent + sub["name"], *(sub["by_wave"].get(w["label"], 0) for w in summary.waves),
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
    return "; ".join(parts)
