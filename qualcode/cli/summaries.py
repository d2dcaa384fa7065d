"""Commands for the summary grid: the analyst's summary per participant (or case) x wave x theme."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from ..errors import QualcodeError
from ..project import Project
from ..records import Summary, SummaryGrid
from .common import echo, print_json, print_table, project_option

LAYOUTS = ("theme", "trajectory", "case-time")


def cell_arguments(func: Callable) -> Callable:
    """ROW WAVE THEME, and the two switches that say what ROW and THEME name."""
    func = click.option("--dimension", is_flag=True,
                        help="THEME is a named dimension of the case grid, not a code.")(func)
    func = click.option("--case", is_flag=True, help="ROW is a case (a site), not a participant.")(func)
    func = click.argument("theme")(func)
    func = click.argument("wave")(func)
    return click.argument("row")(func)


@click.group()
def summary() -> None:
    """The summary grid: your own summary of each participant (or case) at each wave
    under each theme, read across for a trajectory and down to compare."""


def _read_body(project: Project, text: str | None, file: str | None) -> str:
    if text is not None and file is not None:
        raise QualcodeError("give the summary as TEXT or with --file, not both")
    if file is not None:
        return project.summaries.read_text_file(file)
    if text is not None and text != "-":
        return text
    stdin = sys.stdin
    if stdin is None or (text is None and stdin.isatty()):
        raise QualcodeError("no summary given: pass TEXT, --file FILE, or '-' to read standard input")
    return stdin.read()


@summary.command("set")
@cell_arguments
@click.argument("text", required=False)
@click.option("--file", type=click.Path(dir_okay=False), help="Read the summary from this UTF-8 file.")
@click.option("--cite", "cite", multiple=True, type=int, metavar="CODING_ID",
              help="A coding the summary rests on (repeatable; replaces the cell's citations).")
@click.option("--uncite", is_flag=True, help="Remove every citation of the cell.")
@project_option
def summary_set(project: Project, row, wave, theme, case, dimension, text, file, cite, uncite) -> None:
    """Write the summary of a cell (TEXT, --file FILE, or '-' for standard input)."""
    if cite and uncite:
        raise QualcodeError("--cite and --uncite cannot be used together")
    body = _read_body(project, text, file)
    citations = [] if uncite else (list(cite) if cite else None)
    result = project.summaries.set(row, wave, theme, body, case=case, dimension=dimension, cite=citations)
    echo(f"summary of {result.row} at {result.wave} under {result.theme!r} written"
         + (f" ({len(result.citations)} citations)" if result.citations else ""))


@summary.command("show")
@cell_arguments
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def summary_show(project: Project, row, wave, theme, case, dimension, as_json) -> None:
    """Read the summary of a cell, with the codings it cites."""
    result = project.summaries.get(row, wave, theme, case=case, dimension=dimension)
    if as_json:
        print_json(result)
        return
    echo(f"{result.row} at {result.wave}, {result.theme} [{result.theme_kind}]  ({result.author}, {result.updated})")
    echo("")
    echo(result.body)
    for citation in result.citations:
        if citation.present:
            echo(f"  cites #{citation.coding_id} {citation.transcript} {citation.start}-{citation.end} "
                 f"[{citation.code}]: {citation.quote}")
        else:
            echo(f"  cites #{citation.coding_id} (coding deleted): {citation.quote}")


@summary.command("delete")
@cell_arguments
@project_option
def summary_delete(project: Project, row, wave, theme, case, dimension) -> None:
    """Delete the summary of a cell (undo brings it back)."""
    project.summaries.delete(row, wave, theme, case=case, dimension=dimension)
    echo(f"summary of {row} at {wave} under {theme!r} deleted")


@summary.command("list")
@click.option("--participant", help="Only this participant's summaries.")
@click.option("--case", help="Only this case's (site's) summaries.")
@click.option("--wave")
@click.option("--theme", help="Only summaries under this code.")
@click.option("--dimension", help="Only summaries under this named dimension.")
@click.option("--cases", "row_kind", flag_value="case", help="Only case summaries.")
@click.option("--participants", "row_kind", flag_value="participant", help="Only participant summaries.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def summary_list(project: Project, participant, case, wave, theme, dimension, row_kind, as_json) -> None:
    """List summaries."""
    rows = project.summaries.all(participant=participant, case=case, wave=wave, theme=theme,
                                 dimension=dimension, row_kind=row_kind)
    if as_json:
        print_json(rows)
        return
    print_table(["row", "wave", "theme", "kind", "cites", "author", "summary"],
                [(s.row, s.wave, s.theme, s.theme_kind, _cites(s), s.author, _first_line(s.body))
                 for s in rows])


def _cites(s: Summary) -> str:
    dangling = sum(1 for c in s.citations if not c.present)
    return f"{len(s.citations)}" + (f" ({dangling} deleted)" if dangling else "")


def _first_line(body: str, width: int = 70) -> str:
    line = " ".join(body.split())
    return line if len(line) <= width else line[: width - 1] + "…"


@summary.command("grid")
@click.option("--cases", is_flag=True, help="Rows are cases (sites), not participants.")
@click.option("--row", "rows", multiple=True, help="Only these participants (or cases); repeatable.")
@click.option("--wave", "waves", multiple=True, help="Only these waves; repeatable.")
@click.option("--theme", "themes", multiple=True, help="Only these themes or dimensions; repeatable.")
@click.option("--all-rows", is_flag=True, help="Every participant (or case), even without a summary.")
@click.option("--layout", type=click.Choice(LAYOUTS), default="theme", show_default=True,
              help="theme: a table per theme, rows x waves; trajectory: a table per row, themes x "
                   "waves; case-time: rows and waves down, themes across (a framework matrix).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def summary_grid(project: Project, cases, rows, waves, themes, all_rows, layout, as_json) -> None:
    """Print the summary grid."""
    grid = project.summaries.grid(cases=cases, rows=rows or None, waves=waves or None,
                                  themes=themes or None, all_rows=all_rows)
    if as_json:
        print_json(grid)
        return
    if not grid.summaries:
        echo("no summaries yet: write one with `qualcode summary set`")
        return
    for title, columns, table in grid_tables(grid, layout):
        print_table(columns, table, title=title)


def grid_tables(grid: SummaryGrid, layout: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """The grid as (title, header, rows) tables in one of the layouts."""
    cells = grid.by_cell()
    what = "case" if grid.row_kind == "case" else "participant"

    def text(row: str, wave: str, theme: str) -> str:
        found = cells.get((row, wave, theme))
        return found.body if found else ""

    if layout == "trajectory":
        return [(f"{row}: trajectory", ["theme", *grid.waves],
                 [[theme, *(text(row, wave, theme) for wave in grid.waves)] for theme in grid.themes])
                for row in grid.rows]
    if layout == "case-time":
        return [("summary grid", [what, "wave", *grid.themes],
                 [[row, wave, *(text(row, wave, theme) for theme in grid.themes)]
                  for row in grid.rows for wave in grid.waves])]
    return [(theme, [what, *grid.waves], [[row, *(text(row, wave, theme) for wave in grid.waves)]
                                           for row in grid.rows])
            for theme in grid.themes]


@click.command("summaries")
@click.option("-o", "--output", metavar="FILE.docx|FILE.xlsx", default=None,
              help="Where to write (default: exports/<project>-summaries.docx).")
@click.option("--case-role", metavar="ROLE",
              help="Label the cases' time points as for this role (e.g. manager: 'Service start-up').")
@project_option
def export_summaries(project: Project, output, case_role) -> None:
    """The summary grid as Word (cases across time points, then each participant's
    trajectory) or as a spreadsheet."""
    path = project.exports.summary_grid(output, case_role=case_role)
    echo(f"wrote {path}")
