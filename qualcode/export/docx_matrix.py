"""The framework matrix as Word tables on landscape pages.

``by='wave'``: one section per wave, each a table of cases (rows) x themes (columns).
``by='case'``: one table whose rows are each case at each time point and whose first
column (the case) spans its time points, the shape of a case-study comparison table
(cases = sites, time points = start-up and follow-up, columns = dimensions).
Cells hold the coded text, shortened, or the codings' memos (``content='memo'``).
The matrix itself comes from :func:`qualcode.analysis.cube.framework`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import QualcodeError
from ..records import Participant, Wave
from ..records.analysis import FrameworkMatrix
from . import docx_common as dc

BY = ("wave", "case")
CASES = ("participant", "site", "role")
MAX_COLUMNS = 7           # theme columns per table; more are split over several tables
MISSING = "\u2014"


def build_framework(project, *, cases: str, content: str, level: str, themes, category,
                    coder, max_chars: int, waves=None, where=None) -> FrameworkMatrix:
    try:
        from ..analysis.cube import framework, load_cube
    except ImportError:  # pragma: no cover
        raise QualcodeError("the framework matrix needs qualcode.analysis (not installed)") from None
    from ..analysis import filters

    # Cases: participants, sites, roles, or the values of an attribute (at each wave).
    grouping = None if cases in CASES else filters.grouping(project.db, cases)
    if content not in ("text", "memo"):
        raise QualcodeError(f"cells hold 'text' or 'memo', not {content!r}")
    if level not in ("category", "code"):
        raise QualcodeError(f"level {level!r} is not 'category' or 'code'")
    if themes and category:
        raise QualcodeError("choose columns either by name (--themes) or by category, not both")
    known = set(project.codebook.code_names())
    for name in (themes or []) + ([category] if category else []):
        if name not in known:
            raise QualcodeError(f"unknown theme {name!r}: there is no code of that name")
    if coder and coder not in {c.name for c in project.study.coders()}:
        raise QualcodeError(f"unknown coder {coder!r}")
    for label in waves or []:
        project.study.wave(label)
    bound = filters.bind(project.db, where, analysis="the framework matrix", codings=False)
    cube = filters.restrict(load_cube(project.db, coders=[coder] if coder else None), bound)
    result = framework(project.db, cube, by=cases, content=content, codes=themes,
                       category=category, level="code" if themes else level,
                       max_chars=max_chars, coders=[coder] if coder else None, grouping=grouping)
    if waves:
        result = dataclasses.replace(result, sheets={k: v for k, v in result.sheets.items() if k in waves})
    if not result.columns:
        raise QualcodeError("nothing to export: no themes to use as matrix columns")
    if not any(row.cells for sheet in result.sheets.values() for row in sheet):
        raise QualcodeError("nothing to export: no case took part at the chosen waves")
    return result


def case_label(project_people: Mapping[str, Participant], cases: str, case: str) -> str:
    if cases == "participant":
        person = project_people.get(case)
        role, site = (person.role, person.site) if person else (None, None)
        label = dc.person_label(case, person.pseudonym if person else None)
        extra = ", ".join(x for x in (dc.role_label(role) if role else "", site or "") if x)
        return f"{label}\n{extra}" if extra else label
    if cases == "role":
        return dc.role_label(case)
    return case if cases == "site" else f"{cases} {case}"  # an attribute's value: "age_band 45-54"


def case_role(project_people: Mapping[str, Participant], cases: str, case: str) -> str | None:
    """The role whose time points a case's rows cite (a site mixes roles: none)."""
    if cases == "participant":
        person = project_people.get(case)
        return person.role if person else None
    return case if cases == "role" else None


def _case_order(m: _Layout) -> list[str]:
    """Every case of the sheets, in the framework's order (by name; an attribute's values
    in its declared type's order, "(missing)" last)."""
    shown = {r.case for sheet in m.data.sheets.values() for r in sheet}
    return [case for case in m.data.cases if case in shown]


def _chunks(columns: Sequence[str]) -> list[range]:
    n = len(columns)
    if n <= MAX_COLUMNS:
        return [range(n)]
    parts = -(-n // MAX_COLUMNS)
    result, start = [], 0
    for i in range(parts):  # balanced: 7 columns in 3 tables are 3 + 2 + 2
        size = n // parts + (1 if i < n % parts else 0)
        result.append(range(start, start + size))
        start += size
    return result


def write_matrix(project, path: Path, *, by: str = "wave", cases: str = "participant",
                 content: str = "text", level: str = "category", themes=None, category=None,
                 coder=None, max_chars: int = 300, waves=None, where=None) -> Path:
    if by not in BY:
        raise QualcodeError(f"--by {by!r} is not one of {', '.join(BY)}")
    data = build_framework(project, cases=cases, content=content, level=level, themes=themes,
                           category=category, coder=coder, max_chars=max_chars, waves=waves,
                           where=where)
    people = {p.pid: p for p in project.study.participants()}
    wave_rows = {w.label: w for w in project.study.waves()}
    doc = dc.new_document(f"Framework matrix: {project.title}", subject="Framework matrix")
    section = dc.landscape_section(doc, new=False)
    width = dc.text_width_cm(section)
    what = "coded text (shortened)" if content == "text" else "the analysts' memos on the codings"
    facts = [("Study", project.title), ("Date", dc.today()),
             ("Cases", {"participant": "participants", "site": "sites", "role": "roles"}.get(
                 cases, f"values of {cases} (at each time point)")),
             ("Columns", ("codes" if themes or level == "code" else "categories")
              + f" ({len(data.columns)})"),
             ("Cells", what),
             ("Coder", coder or ", ".join(dc.coder_names(project)))]
    dc.title_page(doc, "Framework matrix", project.title, facts)
    dc.note(doc, "An empty cell means the case took part at that time point but nothing was "
                 f"coded there; {MISSING} means the case did not take part (missing, not absent).")
    layout = _Layout(doc, data, people, wave_rows, cases, what, dc.Numbering(), width)
    if by == "wave":
        _wave_tables(layout)
    else:
        _case_table(layout)
    return dc.save(doc, path)


@dataclass(frozen=True)
class _Layout:
    """What every table of one matrix document shares."""

    doc: Any
    data: FrameworkMatrix
    people: dict[str, Participant]
    wave_rows: dict[str, Wave]
    cases: str
    what: str
    numbers: Any
    width: float


def _wave_tables(m: _Layout) -> None:
    """``by='wave'``: one landscape section per wave, cases x themes."""
    columns = m.data.columns
    for label, sheet in m.data.sheets.items():
        dc.landscape_section(m.doc)
        wave = m.wave_rows.get(label)
        title = f"{label}: {wave.description}" if wave and wave.description else label
        dc.heading(m.doc, title, 1)
        present = {row.case for row in sheet}
        absent = sorted({r.case for s in m.data.sheets.values() for r in s} - present)
        for part, span in enumerate(_chunks(columns), start=1):
            header = ["Case", *(columns[i] for i in span)]
            rows = [[case_label(m.people, m.cases, row.case), *(row.cells[i] for i in span)]
                    for row in sheet]
            extra = f" (part {part})" if len(_chunks(columns)) > 1 else ""
            dc.add_table(m.doc, header, rows, font_size=8, first_column_bold=True,
                         widths=_widths(m.width, len(header)),
                         caption=m.numbers.table(f"Framework matrix at {label}{extra}: "
                                                 f"cases x {'themes'}, cells hold {m.what}."))
        if absent:
            dc.note(m.doc, f"Did not take part at {label}: "
                           + ", ".join(case_label(m.people, m.cases, c).split("\n")[0] for c in absent) + ".")


def _case_table(m: _Layout) -> None:
    """``by='case'``: each case at each time point, the case cell spanning its rows."""
    columns = m.data.columns
    dc.landscape_section(m.doc)
    dc.heading(m.doc, "Cases across time points", 1)
    all_cases = _case_order(m)
    for part, span in enumerate(_chunks(columns), start=1):
        header = ["Case", "Time point", *(columns[i] for i in span)]
        body: list[list[Any]] = []
        merges: list[tuple[int, int]] = []
        for case in all_cases:
            first = len(body)
            for label, sheet in m.data.sheets.items():
                found = next((r for r in sheet if r.case == case), None)
                cells = [found.cells[i] for i in span] if found else [MISSING] * len(span)
                body.append([case_label(m.people, m.cases, case) if len(body) == first else "",
                             dc.wave_text(m.wave_rows.get(label), case_role(m.people, m.cases, case))
                             or label, *cells])
            merges.append((first, len(body) - 1))
        extra = f" (part {part})" if len(_chunks(columns)) > 1 else ""
        widths = _widths(m.width, len(header), fixed=2)
        table = dc.add_table(m.doc, header, body, font_size=8, first_column_bold=True, widths=widths)
        for first, last in merges:
            if last > first:
                _merge_case_cells(table, first + 1, last + 1)
        dc.add_caption(m.doc, m.numbers.table(f"Cases across time points{extra}; cells hold {m.what}."))
    roles = sorted({p.role for p in m.people.values() if p.role})
    for item in m.data.sheets:
        wave = m.wave_rows.get(item)
        cited = sorted({dc.wave_text(wave, r) for r in roles} | {dc.wave_text(wave)}) if wave else [item]
        dc.note(m.doc, f"Wave {item}" + (f" ({wave.description})" if wave and wave.description else "")
                + f": cited as {', '.join(cited)}.")
    dc.note(m.doc, f"{MISSING}: the case did not take part at that time point.")


def _merge_case_cells(table: Any, top_row: int, bottom_row: int) -> None:
    """One case cell over its time points' rows, holding the case's label once."""
    top = table.cell(top_row, 0)
    text = top.text
    merged = top.merge(table.cell(bottom_row, 0))
    for p in merged.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    if merged.text != text:  # pragma: no cover (python-docx keeps the top text)
        merged.text = text


def _widths(total: float, n: int, fixed: int = 1) -> list[float]:
    """First column(s) narrower than the theme columns."""
    firsts = [3.6, 2.4][:fixed]
    rest = (total - sum(firsts)) / max(1, n - fixed)
    return firsts + [rest] * (n - fixed)
