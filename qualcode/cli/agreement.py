"""Commands for inter-coder agreement and blind coding: ``agree``, ``export-for-coder``."""

from __future__ import annotations

from typing import Any

import click

from ..project import Project
from ..records import json_data
from ..records.analysis import AgreementReport, CodeAgreement
from .common import csv_options, echo, print_json, print_table, project_option


class ManyValues(click.Option):
    """An option that takes every following word up to the next option:
    ``--coders anna ben carl`` (repeating it, or commas, work too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("multiple", True)
        kwargs.setdefault("type", click.UNPROCESSED)
        super().__init__(*args, **kwargs)

    def add_to_parser(self, parser: Any, ctx: click.Context) -> None:
        super().add_to_parser(parser, ctx)
        for name in self.opts:
            option = parser._long_opt.get(name) or parser._short_opt.get(name)
            if option is None:
                continue
            original = option.process

            def process(value: Any, state: Any, original=original) -> None:
                values = [value]
                while state.rargs and not state.rargs[0].startswith("-"):
                    values.append(state.rargs.pop(0))
                for item in values:
                    original(item, state)

            option.process = process

    def type_cast_value(self, ctx: click.Context, value: Any) -> tuple[str, ...]:
        words: list[str] = []
        for item in value or ():
            words.extend(w.strip() for w in str(item).split(",") if w.strip())
        return tuple(words)


def _number(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.0f}"


def _show(report: AgreementReport) -> None:
    two = len(report.coders) == 2
    unit = report.unit
    first, second = report.coders[0], report.coders[-1]
    if unit == "segment":
        columns = ["code", "segments", "matched", f"only {first}", f"only {second}", "agreement"]
    elif two:
        columns = ["code", f"{unit}s", "both", f"only {first}", f"only {second}", "neither",
                   "agreement", "kappa", "alpha"]
    else:
        columns = ["code", f"{unit}s", "agreement", "alpha"]

    def row(name: str, s: CodeAgreement) -> list[str]:
        t = s.table or {}
        if unit == "segment":
            return [name, _count(s.units), _count(t["matched"]), _count(t["only_first"]),
                    _count(t["only_second"]), _percent(s.percent_agreement)]
        if two:
            return [name, _count(s.units), _count(t["both"]), _count(t["only_first"]),
                    _count(t["only_second"]), _count(t["neither"]),
                    _percent(s.percent_agreement), _number(s.kappa), _number(s.alpha)]
        return [name, _count(s.units), _percent(s.percent_agreement), _number(s.alpha)]

    rows = [row(c.code or "", c) for c in report.codes]
    rows.append(row("(all codes)", report.overall))
    title = (f"Agreement of {', '.join(report.coders)} by {unit} over "
             f"{len(report.transcripts)} transcripts")
    if unit == "segment":
        title += f" (match: overlap >= {report.min_overlap or 0:.0%} of the longer segment)"
    print_table(columns, rows, title=title)
    if report.note:
        echo(report.note)


def agreement_table(report: AgreementReport) -> tuple[list[str], list[list]]:
    """Per code and over all codes, as numbers (for a CSV or a spreadsheet): the unit
    counts each coder gave 1 or 0, and the measures."""
    two = len(report.coders) == 2 and report.unit != "segment"
    first, second = report.coders[0], report.coders[-1]
    header = ["code", "units", "agreed"]
    if two:
        header += ["both", f"only {first}", f"only {second}", "neither"]
    header += ["percent_agreement", "kappa", "alpha"]
    rows = []
    for name, s in [*((c.code, c) for c in report.codes), ("(all codes)", report.overall)]:
        t = s.table or {}
        rows.append([name, s.units, s.agreed,
                     *([t.get("both"), t.get("only_first"), t.get("only_second"), t.get("neither")]
                       if two else []),
                     s.percent_agreement, s.kappa, s.alpha])
    return header, rows


def _short(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@click.command()
@click.option("--coders", cls=ManyValues, required=True, metavar="A B [C...]",
              help="The coders to compare (two or more).")
@click.option("--code", default=None, help="Only this code.")
@click.option("--category", default=None, help="Only the codes under this category (and itself).")
@click.option("--transcript", "--transcripts", "transcripts", cls=ManyValues, metavar="T [T...]",
              help="Only these transcripts.")
@click.option("--unit", type=click.Choice(["char", "segment", "turn"]), default="char",
              show_default=True, help="What one unit of agreement is (see docs/agreement.md).")
@click.option("--min-overlap", type=click.FloatRange(0.0, 1.0), default=0.8, show_default=True,
              help="Segment units: the share of the longer segment two codings must share.")
@click.option("--disagreements", "show_disagreements", is_flag=True,
              help="Also list where the coders differ, with the text.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("-o", "--output", metavar="FILE.csv|FILE.xlsx",
              help="Write the table per code (a .csv), or it and the disagreements (a .xlsx).")
@csv_options
@project_option
def agree(project: Project, coders: tuple[str, ...], code: str | None, category: str | None,
          transcripts: tuple[str, ...], unit: str, min_overlap: float,
          show_disagreements: bool, as_json: bool, output: str | None, csv_style) -> None:
    """Inter-coder agreement: percent agreement, Cohen's kappa and Krippendorff's alpha,
    per code and over all codes, on the transcripts that at least two coders coded."""
    options: dict[str, Any] = dict(code=code, category=category, transcripts=list(transcripts) or None,
                   unit=unit, min_overlap=min_overlap)
    report = project.agreement.report(list(coders), **options)
    rows = project.agreement.disagreements(list(coders), **options) if show_disagreements else None
    if output:
        from .analysis import _emit_table, _table_file

        sheets = []
        if rows is not None:
            sheets.append(("Disagreements", ["transcript", "code", "start", "end", "coded by",
                                             "not coded by", "text"],
                           [[r.transcript, r.code, r.start, r.end, ", ".join(r.coded_by),
                             ", ".join(r.not_coded_by), r.text] for r in rows]))
        _emit_table(project, *agreement_table(report), _table_file(output), output, title="Agreement",
                    sheets=sheets, csv_style=csv_style, about=[
                        f"Agreement of {', '.join(report.coders)} by {report.unit} over "
                        f"{', '.join(report.transcripts)}.",
                        "Percent agreement counts every unit, those neither coder coded too; "
                        "kappa and alpha correct for chance. Empty: not defined."])
        return
    if as_json:
        print_json(report if rows is None else {**json_data(report), "disagreements": rows})
        return
    _show(report)
    if rows is not None:
        echo()
        print_table(
            ["transcript", "code", "start", "end", "coded by", "not coded by", "text"],
            ([r.transcript, r.code, r.start, r.end, ", ".join(r.coded_by),
              ", ".join(r.not_coded_by), _short(r.text)] for r in rows),
            title=f"{len(rows)} disagreements",
        )


@click.command("export-for-coder")
@click.argument("name")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              metavar="FILE.qualcode", help="The new project file (must not exist).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def export_for_coder(project: Project, name: str, output: str, as_json: bool) -> None:
    """A copy of the project for blind coding by NAME: transcripts, study design and
    codebook, with NAME's own codings and memos only, and no history."""
    report = project.agreement.export_for_coder(name, output)
    if as_json:
        print_json(report)
        return
    echo(f"wrote {report.path} for {name}: {report.codings_kept} of their codings "
         f"kept; {report.codings_left_out} codings and {report.memos_left_out} "
         "memos by others left out")
