"""The summary grid as a Word document and as a spreadsheet.

Word: the cases (sites) in the shape of a case-study comparison table (each case at
each time point down, the dimensions and themes across, the case's cell spanning its
time points), then one trajectory per participant (themes down, waves across) with
the passages each summary cites. The spreadsheet holds the same grids, and every
summary on a sheet of its own with its citations.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import QualcodeError
from ..records import Participant, Summary, SummaryGrid, Wave
from . import docx_common as dc
from .docx_matrix import MAX_COLUMNS, _chunks, _merge_case_cells, _widths

NO_SUMMARY = ""
QUOTE_CHARS = 220


def _grids(export) -> tuple[SummaryGrid, SummaryGrid]:
    cases = export.summaries.grid(cases=True)
    people = export.summaries.grid()
    if not cases.summaries and not people.summaries:
        raise QualcodeError("nothing to export: no summaries yet (write them with `qualcode summary set`)")
    return cases, people


def _cell_text(summary: Summary | None) -> str:
    return summary.body if summary else NO_SUMMARY


def case_time_rows(grid: SummaryGrid, waves: dict[str, Wave], role: str | None,
                   span: Sequence[int] | None = None) -> list[list[str]]:
    """One row per case and time point: case, time point, then the themes in ``span``."""
    cells = grid.by_cell()
    columns = range(len(grid.themes)) if span is None else span
    return [[row, dc.wave_text(waves.get(wave), role) or wave,
             *(_cell_text(cells.get((row, wave, grid.themes[i]))) for i in columns)]
            for row in grid.rows for wave in grid.waves]


def write_summary_document(export, path: Path, *, case_role: str | None = None) -> Path:
    cases, people = _grids(export)
    waves = {w.label: w for w in export.study.waves()}
    persons = {p.pid: p for p in export.study.participants()}
    doc = dc.new_document(f"Summary grid: {export.title}", subject="Summary grid")
    section = dc.landscape_section(doc, new=False)
    width = dc.text_width_cm(section)
    dc.title_page(doc, "Summary grid", export.title, [
        ("Study", export.title), ("Date", dc.today()),
        ("Cases", f"{len(cases.rows)} ({', '.join(cases.rows)})" if cases.rows else "none"),
        ("Participants", str(len(people.rows))),
        ("Summaries", str(len(cases.summaries) + len(people.summaries))),
    ])
    dc.note(doc, "Each cell is the analyst's own summary of a case or participant at a time point "
                 "under a theme or dimension; an empty cell has no summary yet.")
    numbers = dc.Numbering()
    if cases.summaries:
        _case_section(doc, cases, waves, case_role, numbers, width)
    if people.summaries:
        _trajectories(doc, people, waves, persons, numbers, width)
    return dc.save(doc, path)


def _case_section(doc, grid: SummaryGrid, waves: dict[str, Wave], role: str | None,
                  numbers: Any, width: float) -> None:
    dc.landscape_section(doc)
    dc.heading(doc, "Cases across time points", 1)
    chunks = _chunks(list(grid.themes))
    for part, span in enumerate(chunks, start=1):
        header = ["Case", "Time point", *(grid.themes[i] for i in span)]
        body = case_time_rows(grid, waves, role, span)
        for i in range(len(body)):
            if i % len(grid.waves):
                body[i][0] = ""  # the case's name once, in the cell spanning its time points
        table = dc.add_table(doc, header, body, font_size=8, first_column_bold=True,
                             widths=_widths(width, len(header), fixed=2))
        if len(grid.waves) > 1:
            for n in range(len(grid.rows)):
                first = 1 + n * len(grid.waves)
                _merge_case_cells(table, first, first + len(grid.waves) - 1)
        extra = f" (part {part})" if len(chunks) > 1 else ""
        dc.add_caption(doc, numbers.table(f"Cases across time points{extra}: the analyst's summary "
                                          "of each case at each time point, by dimension."))
    for label in grid.waves:
        wave = waves.get(label)
        if wave and wave.description:
            dc.note(doc, f"Wave {label}: {wave.description}.")


def _trajectories(doc, grid: SummaryGrid, waves: dict[str, Wave], persons: dict[str, Participant],
                  numbers: Any, width: float) -> None:
    dc.landscape_section(doc)
    dc.heading(doc, "Participants' trajectories", 1)
    cells = grid.by_cell()
    for pid in grid.rows:
        person = persons.get(pid)
        role = person.role if person else None
        own = [s for s in grid.summaries if s.row == pid]
        own_waves = [w for w in grid.waves if any(s.wave == w for s in own)]
        own_themes = [t for t in grid.themes if any(s.theme == t for s in own)]
        facts = ", ".join(x for x in (dc.role_label(role) if role else "", person.site if person else "") if x)
        dc.heading(doc, dc.person_label(pid, person.pseudonym if person else None)
                   + (f": {facts}" if facts else ""), 2)
        header = ["Theme", *(dc.wave_text(waves.get(w), role) or w for w in own_waves)]
        rows = [[theme, *(_cell_text(cells.get((pid, w, theme))) for w in own_waves)] for theme in own_themes]
        dc.add_table(doc, header, rows, font_size=8, first_column_bold=True,
                     widths=_widths(width, len(header)),
                     caption=numbers.table(f"Trajectory of {pid}: themes across time points."))
        _citations(doc, own, waves, role)


def trajectory_table(doc, summaries: Sequence[Summary], waves: Sequence[Wave], role: str | None, *,
                     caption: str | None = None, width: float = 16.0) -> None:
    """One row's summaries as a table: its themes down, the waves it has summaries at
    across (in time order), each cited as for ``role``."""
    labels = [w.label for w in waves if any(s.wave == w.label for s in summaries)]
    by_label = {w.label: w for w in waves}
    themes = list(dict.fromkeys(s.theme for s in summaries))
    cells = {(s.wave, s.theme): s for s in summaries}
    header = ["Theme", *(dc.wave_text(by_label[w], role) or w for w in labels)]
    rows = [[theme, *(_cell_text(cells.get((w, theme))) for w in labels)] for theme in themes]
    dc.add_table(doc, header, rows, font_size=8, first_column_bold=True,
                 widths=_widths(width, len(header)), caption=caption)


def summaries_across_waves(doc, summaries: Sequence[Summary], waves: Sequence[Wave], *,
                           caption: str | None = None) -> None:
    """Summaries under one theme: a row per participant or case, the waves across."""
    labels = [w.label for w in waves if any(s.wave == w.label for s in summaries)]
    rows = list(dict.fromkeys(s.row for s in summaries))
    cells = {(s.row, s.wave): s for s in summaries}
    header = ["Participant or case", *labels]
    dc.add_table(doc, header, [[row, *(_cell_text(cells.get((row, w))) for w in labels)] for row in rows],
                 font_size=8, first_column_bold=True, widths=dc.first_wide(len(header), first=0.2),
                 caption=caption)


def _citations(doc, summaries: Sequence[Summary], waves: dict[str, Wave], role: str | None) -> None:
    cited = [(s, c) for s in summaries for c in s.citations]
    if not cited:
        return
    dc.par(doc, "Passages the summaries cite", "Heading 3")
    for summary, citation in cited:
        where = dc.wave_text(waves.get(summary.wave), role) or summary.wave
        if citation.present:
            source = f"{summary.theme}, {where}: {citation.transcript} [{citation.code}]"
        else:
            source = f"{summary.theme}, {where}: coding #{citation.coding_id}, since deleted"
        dc.add_quote(doc, dc.shorten(citation.quote, QUOTE_CHARS), source)


def _citation_text(summary: Summary) -> str:
    return "; ".join(f"#{c.coding_id} {c.transcript} [{c.code}]" if c.present
                     else f"#{c.coding_id} (deleted)" for c in summary.citations)


def write_summary_spreadsheet(export, path: Path, *, case_role: str | None = None) -> Path:
    from .xlsx import write_xlsx

    cases, people = _grids(export)
    waves = {w.label: w for w in export.study.waves()}
    sheets: list[tuple[str, Sequence[str], Sequence[Sequence[Any]]]] = []
    if cases.summaries:
        sheets.append(("Cases", ["case", "time point", *cases.themes], case_time_rows(cases, waves, case_role)))
    if people.summaries:
        rows = [[row, wave, *(_cell_text(people.by_cell().get((row, wave, t))) for t in people.themes)]
                for row in people.rows for wave in people.waves]
        sheets.append(("Participants", ["participant", "wave", *people.themes], rows))
    every = [*cases.summaries, *people.summaries]
    sheets.append(("Summaries", ["row", "row kind", "wave", "theme", "theme kind", "summary", "author",
                                 "updated", "cites"],
                   [[s.row, s.row_kind, s.wave, s.theme, s.theme_kind, s.body, s.author, s.updated,
                     _citation_text(s)] for s in every]))
    return write_xlsx(path, sheets, about=[
        f"Summary grid: {export.title}",
        "Cases: each case (site) at each time point, one column per dimension or theme.",
        "Participants: each participant at each wave, one column per theme.",
        "Summaries: every summary, with the codings it cites (#id transcript [code]; "
        "'deleted' when the coding has since been removed).",
        "An empty cell has no summary yet.",
    ], wrap=True)


__all__ = ["MAX_COLUMNS", "case_time_rows", "write_summary_document", "write_summary_spreadsheet"]
