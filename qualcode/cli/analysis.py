"""Commands for the longitudinal analysis: matrix, change, compare-waves, saturation,
cooccur, attendance, describe. Rules and thresholds: docs/analysis.md."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import click

from ..errors import QualcodeError
from ..model import (
    COOCCURRENCE_MEASURES,
    COOCCURRENCE_SCOPES,
    DEFAULT_CSV,
    MATRIX_BY,
    MATRIX_MEASURES,
    CsvStyle,
)
from ..project import Project
from ..records import json_data
from ..records.analysis import AttendanceGrid
from ..terminal_text import json_text
from .common import csv_options, echo, print_json, print_table, project_option, where_option
from .query import set_option

CODED_BY = click.option("--coded-by", "coded_by", multiple=True, metavar="CODER",
                        help="Only codings by this coder (repeatable).")


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _emit_table(project: Project, columns: list[str], rows: list[list], fmt: str, output: str | None,
                title: str | None = None, data=None, sheets=None, about=(),
                csv_style: CsvStyle = DEFAULT_CSV) -> None:
    """Print or write rows as table, csv, md, json or xlsx (``sheets``: more tables for
    the spreadsheet, after this one)."""
    if fmt == "xlsx":
        if not output:
            raise QualcodeError("--format xlsx needs -o FILE.xlsx")
        project.exports.spreadsheet(output, [(title or "Table", columns, rows), *(sheets or [])], about=about)
        echo(f"wrote {output}", err=True)
        return
    if fmt == "table":
        if output:
            raise QualcodeError("-o needs --format csv, md or json")
        print_table(columns, [[_cell(v) for v in r] for r in rows], title=title)
        return
    # (a CR of a CSV file's line ends would be shown escaped, as any control character printed)
    text = project.exports.table_text(fmt, columns, rows, title=title, data=data, csv_style=csv_style,
                                      for_file=bool(output))
    _write_or_print(project, text, output, bom=fmt == "csv" and csv_style.bom)


def _write_or_print(project: Project, text: str, output: str | None, *, bom: bool = False) -> None:
    if output:
        project.exports.write_text(output, text, bom=bom)
        echo(f"wrote {output}", err=True)
    else:
        echo(text, nl=False)  # (JSON has no control characters left to show escaped)


# --- matrix ---------------------------------------------------------------------------

@click.command()
@click.option("--codes", "codes", multiple=True, metavar="CODE", help="Columns: these codes (repeatable).")
@click.option("--category", metavar="CODE", help="Columns: the codes under this category.")
@click.option("--level", type=click.Choice(["code", "category"]), default="code", show_default=True,
              help="One column per code, or roll codes up into their category.")
@click.option("--by", "by", metavar="|".join([*MATRIX_BY, "ATTR"]), default="participant",
              show_default=True,
              help="Rows: participant x wave, wave, role x wave, site x wave, or an attribute's "
                   "value x wave (fixed or per wave, e.g. age, employment, W2.employment), "
                   "in the order of its declared type.")
@click.option("--measure", type=click.Choice([*MATRIX_MEASURES, "text", "memo"]),
              default="count", show_default=True,
              help="Cell value; text/memo give the framework matrix (one sheet per wave).")
@click.option("--wave", "waves", multiple=True, metavar="W",
              help="Only this wave (repeatable), e.g. start-up and follow-up.")
@click.option("--max-chars", type=int, default=300, show_default=True,
              help="Framework matrix: longest cell text.")
@click.option("--one-table", is_flag=True,
              help="Framework matrix: one table with rows case x wave instead of a sheet per wave.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "md", "json", "xlsx"]),
              default="table", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of printing.")
@csv_options
@CODED_BY
@where_option
@project_option
@set_option
def matrix(project: Project, codes, category, level, by, measure, waves, max_chars, one_table,
           fmt, output, csv_style, coded_by, where) -> None:
    """The participant x wave x code matrix ('-' marks a wave with no data for that
    participant: missed, withdrawn, not yet, or not recorded)."""
    if codes and category:
        raise QualcodeError("give --codes or --category, not both")
    if output:
        project.exports.check_target(output)
    if measure in ("text", "memo"):
        if by == "wave":
            raise QualcodeError("a framework matrix has cases as rows: --by participant, role or site")
        frame = project.analysis.framework_matrix(by=by, content=measure, codes=list(codes) or None,
                                                  category=category, level=level, max_chars=max_chars,
                                                  coders=list(coded_by) or None, waves=list(waves) or None,
                                                  where=list(where) or None)
        columns = [by, "wave", *frame.columns]
        order = {w: i for i, w in enumerate(frame.sheets)}
        # Rows: cases, and within each case its time points (a case-study comparison).
        rows: list[list] = sorted(([case.case, wave, *case.cells]
                                   for wave, sheet in frame.sheets.items() for case in sheet),
                                  key=lambda r: (r[0], order[r[1]]))
        if one_table and fmt in ("md", "table", "xlsx"):
            _emit_table(project, columns, rows, fmt, output, title=f"framework matrix ({measure})",
                        about=[f"Framework matrix ({measure}): each cell shows every coded passage "
                               "once; empty: took part, nothing coded; no row: did not take part."])
            return
        if fmt == "xlsx":
            sheets = [(wave, [by, *frame.columns], [[c.case, *c.cells] for c in sheet])
                      for wave, sheet in frame.sheets.items()]
            first = sheets.pop(0) if sheets else ("Matrix", [by], [])
            _emit_table(project, first[1], first[2], fmt, output, title=first[0], sheets=sheets,
                        about=[f"Framework matrix ({measure}), one sheet per wave; each cell shows "
                               "every coded passage once."])
            return
        if fmt == "md":
            parts = []
            for wave, sheet in frame.sheets.items():
                sub = [[c.case, *c.cells] for c in sheet]
                buffer = io.StringIO()
                _md = [f"### {wave}", "", "| " + " | ".join([by, *frame.columns]) + " |",
                       "|" + "|".join("---" for _ in range(len(frame.columns) + 1)) + "|"]
                _md += ["| " + " | ".join(_cell(v).replace("|", "\\|") for v in r) + " |" for r in sub]
                buffer.write("\n".join(_md) + "\n")
                parts.append(buffer.getvalue())
            _write_or_print(project, "\n".join(parts), output)
            return
        if fmt == "table":
            for wave, sheet in frame.sheets.items():
                print_table([by, *frame.columns], [[c.case, *c.cells] for c in sheet],
                            title=f"{wave}")
            return
        _emit_table(project, columns, rows, fmt, output, data=json_data(frame), csv_style=csv_style)
        return
    result = project.analysis.matrix(by=by, measure=measure, codes=list(codes) or None,
                                     category=category, level=level, coders=list(coded_by) or None,
                                     waves=list(waves) or None, where=list(where) or None)
    status_col = ["status"] if by == "participant" else ["n"]
    columns = [*result.row_keys, *status_col, *result.columns]
    rows = [[*r.labels, r.status if by == "participant" else r.n, *r.values]
            for r in result.rows]
    rule = (f"passages coded by {', '.join(coded_by)}" if coded_by else
            "coded passages: overlapping codings of one code by several coders count once")
    _emit_table(project, columns, rows, fmt, output, title=f"{measure} by {by}", data=json_data(result),
                about=[f"Matrix of {measure} by {by}. Counts are {rule}; a category column "
                       "merges its codes' passages.", "An empty cell: no data at that wave "
                       "(missed, withdrawn, not yet, not recorded), not zero."],
                csv_style=csv_style)


# --- change ---------------------------------------------------------------------------

@click.command()
@click.option("--code", "codes", multiple=True, metavar="CODE", help="Only this code (repeatable).")
@click.option("--participant", "participants", multiple=True, metavar="PID",
              help="Only this participant (repeatable; the sample view is then left out).")
@click.option("--measure", type=click.Choice(["count", "chars"]), default="count", show_default=True)
@click.option("--sample", "sample_only", is_flag=True, help="Only the sample view.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with the evidence.")
@click.option("--by", "by", metavar="ATTR",
              help="Also the sample view for each value of this attribute: fixed (sex, age), "
                   "or named at a wave (W1.employment).")
@CODED_BY
@where_option
@project_option
def change(project: Project, codes, participants, measure, sample_only, as_json, coded_by, where,
           by=None) -> None:
    """How each code changes across waves: emerges, increases, surges, decreases, ceases,
    constant, idiosyncratic or missing (rules: docs/analysis.md). With --where the
    sample is those the filters keep; with --by, each group of an attribute too."""
    report = project.analysis.change_report(codes=list(codes) or None, participants=list(participants) or None,
                                            measure=measure, coders=list(coded_by) or None,
                                            where=list(where) or None, by=by)
    if sample_only:
        report = dataclasses.replace(report, participants=())
    # Saldana's cumulative and through-line memos of the participants in the report.
    shown_people = list(participants) or sorted({r.participant for r in report.participants})
    memos = project.memos.longitudinal(shown_people) if shown_people else {}
    if as_json:
        print_json({**json_data(report), "longitudinal_memos": memos})
        return
    waves = report.waves
    if report.sample:
        print_table(
            ["code", "label", "participants", *[f"{w} with/obs" for w in waves]],
            [[s.code, s.label, s.participants,
              *[f"{s.evidence[w].with_code}/{s.evidence[w].observed}" for w in waves]]
             for s in report.sample],
            title="sample (share of observed participants with the code)",
        )
    for label, group in report.groups.items():
        print_table(
            ["code", "label", "participants", *[f"{w} with/obs" for w in waves]],
            [[s.code, s.label, s.participants,
              *[f"{s.evidence[w].with_code}/{s.evidence[w].observed}" for w in waves]]
             for s in group.sample],
            title=f"sample, {label}",
        )
    if report.participants:
        print_table(
            ["participant", "code", "label", *waves],
            [[r.participant, r.code, r.label,
              *[_cell(r.evidence.values[w]) for w in waves]] for r in report.participants],
            title=f"participants ({measure}; '-' = no data at that wave)",
        )
    if memos:
        print_table(["participant", "type", "title", "memo"],
                    [[pid, m.type, m.title, m.body] for pid, items in memos.items() for m in items],
                    title="cumulative and through-line memos")
    if not report.sample and not report.participants:
        echo("no coded data")


@click.command("compare-waves")
@click.argument("wave_a")
@click.argument("wave_b")
@click.option("--code", "codes", multiple=True, metavar="CODE", help="Only this code (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@CODED_BY
@project_option
def compare_waves(project: Project, wave_a, wave_b, codes, as_json, coded_by) -> None:
    """Codes new, gone, grown and shrunk from WAVE_A to WAVE_B, for the sample and for
    each participant seen at both."""
    result = project.analysis.compare_waves(wave_a, wave_b, codes=list(codes) or None,
                                            coders=list(coded_by) or None)
    if as_json:
        print_json(result)
        return
    print_table(
        ["code", "change", f"{wave_a} with/obs", f"{wave_b} with/obs"],
        [[s.code, s.label, f"{s.at[wave_a].with_code}/{s.at[wave_a].observed}",
          f"{s.at[wave_b].with_code}/{s.at[wave_b].observed}"] for s in result.sample],
        title=f"sample: {wave_a} -> {wave_b}",
    )
    print_table(
        ["participant", "new", "gone", "grown", "shrunk"],
        [[p.participant, *[", ".join(x.code for x in changed)
                            for changed in (p.new, p.gone, p.grown, p.shrunk)]]
         for p in result.participants],
        title=f"participants seen at both {wave_a} and {wave_b}",
    )
    if result.not_observed_at_both:
        echo(f"not seen at both waves: {', '.join(result.not_observed_at_both)}")


# --- saturation -----------------------------------------------------------------------

@click.command()
@click.option("--by", "by", metavar="study|wave|role|ATTR", default="study",
              show_default=True,
              help="One curve, or one per wave, per role, or per value of an attribute of the "
                   "transcript's participant at its wave.")
@click.option("--order", type=click.Choice(["interview", "coding"]), default="interview",
              show_default=True,
              help="Transcripts in interview order, or in the order they were coded (each code "
                   "new where it was first used).")
@click.option("-k", "--last", "k", type=int, default=3, show_default=True,
              help="Share of new codes in the last K transcripts.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "png"]), default="table",
              show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (needed for png).")
@CODED_BY
@where_option
@project_option
def saturation(project: Project, by, order, k, fmt, output, coded_by, where) -> None:
    """Cumulative distinct codes against transcripts in interview (or coding) order."""
    if k < 1:
        raise QualcodeError("-k must be at least 1")
    if output:
        project.exports.check_target(output)
    if fmt == "png" and output and Path(output).suffix.lower() != ".png":
        # A PNG under another name (x.svg, x.unknown) is a file no viewer opens by its name.
        raise QualcodeError(f"{Path(output).name}: --format png writes a PNG image; name the file .png")
    attribute = None if by in ("study", "wave", "role") else by
    result = project.analysis.saturation(by_wave=by == "wave", k=k, coders=list(coded_by) or None,
                                         order=order, by_role=by == "role", where=list(where) or None,
                                         by=attribute)
    curves = result.curves
    if fmt == "png":
        if not output:
            raise QualcodeError("--format png needs -o FILE.png")
        project.exports.saturation_chart(output, curves)
        echo(f"wrote {output}", err=True)
        return
    if fmt == "json":
        _write_or_print(project, json_text(json_data(result)) + "\n", output)
        return
    if output:
        raise QualcodeError("-o needs --format json or png")
    for label, curve in curves.items():
        print_table(["#", "transcript", "wave", "codes", "new", "cumulative"],
                    [[p.index, p.transcript, p.wave, p.codes, p.new, p.cumulative]
                     for p in curve.points],
                    title=None if label == "all" else f"{by} {label}")
        echo(f"{curve.distinct_codes} distinct codes in {curve.transcripts} transcripts; "
             f"{curve.new_in_last_k} new in the last {curve.k} "
             f"({100 * curve.new_share_last_k:.0f}%)")


# --- co-occurrence --------------------------------------------------------------------

@click.command()
@click.option("--scope", type=click.Choice(list(COOCCURRENCE_SCOPES)), default="overlap", show_default=True,
              help="Together = overlapping codings, same turn, or same transcript.")
@click.option("--measure", type=click.Choice(list(COOCCURRENCE_MEASURES)), default="count",
              show_default=True, help="Edge weight: count, jaccard, or c (c-coefficient).")
@click.option("--wave", "waves", multiple=True, metavar="W", help="Only this wave (repeatable).")
@click.option("--per-wave", is_flag=True, help="One network per wave, same layout.")
@click.option("--by", "by", metavar="ATTR",
              help="One network per value of this attribute (of the coding's participant at its "
                   "wave; W2.employment reads it at W2), same layout.")
@click.option("--min", "minimum", type=float, default=0, show_default=True, help="Minimum edge weight.")
@click.option("--category", metavar="CODE", help="Only codes under this category.")
@where_option
@click.option("-o", "--output", metavar="FILE",
              help="FILE.graphml, .gexf, .json (node-link), .csv (edge list) or .png.")
@click.option("--json", "as_json", is_flag=True, help="Print the edges as JSON.")
@csv_options
@CODED_BY
@project_option
@set_option
def cooccur(project: Project, scope, measure, waves, per_wave, minimum, category, where, output,
            as_json, csv_style, coded_by, by=None) -> None:
    """Code co-occurrence network: print it, or export it for Gephi/Cytoscape or as a picture."""
    if waves and per_wave:
        raise QualcodeError("give --wave or --per-wave, not both")
    options = dict(scope=scope, measure=measure, minimum=minimum, waves=list(waves) or None,
                   per_wave=per_wave, coders=list(coded_by) or None, category=category,
                   where=list(where) or None, by=by)
    if output:
        for path in project.exports.network(output, csv_style=csv_style, **options):
            echo(f"wrote {path}", err=True)
        return
    tables = project.analysis.cooccurrence_tables(**options)
    if as_json:
        print_json({"scope": scope, "measure": measure, "min": minimum,
                    "networks": tables if per_wave or by else next(iter(tables.values()))})
        return
    for label, rows in tables.items():
        print_table(["code A", "code B", "n1", "n2", "count", "jaccard", "c", "n1/n2 > 5"],
                    [[r.code_a, r.code_b, r.n1, r.n2, r.count, r.jaccard, r.c,
                      "yes" if r.freq_ratio_flag else ""] for r in rows],
                    title=f"{scope} co-occurrence" + ("" if label == "all" else f": {label}"))


# --- attendance and describe ----------------------------------------------------------

def _table_file(output: str) -> str:
    suffix = Path(output).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise QualcodeError(f"{Path(output).name}: -o takes a .csv or .xlsx file")
    return suffix[1:]


def attendance_tables(grid: AttendanceGrid) -> list[tuple[str, list[str], list[list]]]:
    """The grid (a person's ways of taking part joined by +) and the per-wave counts."""
    people = [[r.participant, r.role, r.site,
               *[" + ".join(r.took_part[w]) or r.status[w] for w in grid.waves]]
              for r in grid.participants]
    waves = [[s.wave, s.interviewed, s.focus_group, s.both, s.missed, s.withdrawn,
              s.not_yet, s.observed, s.baseline_due, s.retained, s.retention]
             for s in grid.summary]
    return [("Attendance", ["participant", "role", "site", *grid.waves], people),
            ("Per wave", ["wave", "interviewed", "focus-group", "both", "missed", "withdrawn",
                          "not_yet", "took_part", "baseline_due", "retained", "retention"], waves)]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("-o", "--output", metavar="FILE.csv|FILE.xlsx",
              help="Write the grid (a .csv), or the grid and the counts per wave (a .xlsx).")
@csv_options
@project_option
def attendance(project: Project, as_json, output, csv_style) -> None:
    """Participant x wave attendance grid and retention per wave."""
    grid = project.analysis.attendance_grid()
    if output:
        (name, columns, rows), *more = attendance_tables(grid)
        _emit_table(project, columns, rows, _table_file(output), output, title=name, sheets=more, csv_style=csv_style,
                    about=["Attendance: how each participant took part at each wave; a person "
                           "interviewed and in a focus group counts in both."])
        return
    if as_json:
        print_json(grid)
        return
    print_table(["participant", "role", "site", *grid.waves],
                [[r.participant, r.role, r.site,
                  *[("." if r.status[w] == "none" else
                     " + ".join(r.took_part[w]) if len(r.took_part[w]) > 1 else r.status[w])
                    for w in grid.waves]]
                 for r in grid.participants],
                title="attendance ('.' = nothing recorded)")
    print_table(["wave", "interviewed", "focus group", "both", "missed", "withdrawn", "not yet",
                 "retention"],
                [[s.wave, s.interviewed, s.focus_group, s.both, s.missed, s.withdrawn,
                  s.not_yet,
                  "-" if s.retention is None else f"{s.retained}/{s.baseline_due} "
                                                  f"({100 * s.retention:.0f}%)"]
                 for s in grid.summary],
                title="per wave (a person counts in every way they took part; retention: of those "
                      "interviewed at the first wave and due)")


@click.command()
@click.option("--by", "by", metavar="ATTR", default=None,
              help="Group by role, site, an attribute, or 'wave' (those seen at each wave).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("-o", "--output", metavar="FILE.csv|FILE.xlsx",
              help="Write the counts (a .csv), or the counts and the numeric summaries (a .xlsx).")
@csv_options
@project_option
def describe(project: Project, by, as_json, output, csv_style) -> None:
    """Describe the sample: counts and percentages of each attribute value, with missing."""
    result = project.analysis.describe_sample(by=by)
    if output:
        rows = [[r.group, r.size, r.attribute, r.value, r.n, r.percent] for r in result.rows]
        numeric = [[r.group, r.attribute, r.n, r.missing, r.median, r.min, r.max]
                   for r in result.numeric]
        _emit_table(project, ["group", "size", "attribute", "value", "n", "percent"], rows,
                    _table_file(output), output, title="Sample", csv_style=csv_style,
                    sheets=[("Numbers", ["group", "attribute", "n", "missing", "median", "min", "max"],
                             numeric)],
                    about=[f"The sample by {result.by}: participants with each value, and "
                           "(missing) for those without one; percent of the group's size."])
        return
    if as_json:
        print_json(result)
        return
    print_table(["group", "size", "attribute", "value", "n", "%"],
                [[r.group, r.size, r.attribute, r.value, r.n, f"{r.percent:.1f}"]
                 for r in result.rows],
                title=f"sample by {result.by}")
    if result.numeric:
        print_table(["group", "attribute", "n", "missing", "median", "range"],
                    [[r.group, r.attribute, r.n, r.missing, r.median,
                      f"{r.min}-{r.max}"] for r in result.numeric],
                    title="numeric attributes")


COMMANDS = (matrix, change, compare_waves, saturation, cooccur, attendance, describe)
