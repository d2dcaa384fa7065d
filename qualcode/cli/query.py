"""``qualcode query`` (code queries) and ``qualcode sets`` (named sets of passages).
The language and what each operator returns: docs/query.md."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import click

from ..errors import QualcodeError, QueryError
from ..model import CsvStyle
from ..project import Project
from ..records import QueryPassage
from ..terminal_text import printable
from .common import csv_options, echo, print_json, print_table, project_option

COUNT_BY = ("wave", "participant", "participant-wave")
PASSAGE_COLUMNS = ["transcript", "turn", "start", "end", "participant", "pseudonym", "wave", "role",
                   "site", "speaker", "codes", "coders", "text"]


def _query_error(exc: QualcodeError) -> click.ClickException:
    """The error, then the query with a caret under the place it points at."""
    if not isinstance(exc, QueryError) or not exc.text:
        return click.ClickException(printable(exc))
    lines = printable(exc.pointed()).splitlines()
    return click.ClickException("\n".join([printable(exc), *(f"  {line}" for line in lines)]))


def _rows(passages: Sequence[QueryPassage]) -> list[list]:
    return [[p.transcript, p.turn, p.start, p.end, p.participant, p.pseudonym, p.wave, p.role, p.site,
             p.speaker, "; ".join(p.codes), "; ".join(p.coders), p.text] for p in passages]


def _show_passages(passages: Sequence[QueryPassage], title: str) -> None:
    print_table(["participant", "wave", "role", "site", "coders", "where", "passage"],
                [(f"{p.participant or '-'} {p.pseudonym or ''}".strip(), p.wave or "-", p.role or "-",
                  p.site or "-", ", ".join(p.coders), f"{p.transcript} turn {p.turn}",
                  "…" + " ".join(p.before.split()[-6:]) + " ⟦" + " ".join(p.text.split()) + "⟧ "
                  + " ".join(p.after.split()[:6]) + "…")
                 for p in passages], title=title)


def _write(project: Project, output: str, columns: list[str], rows: list[list], title: str,
           about: Sequence[str], csv_style: CsvStyle) -> None:
    suffix = Path(output).suffix.lower()
    if suffix == ".xlsx":
        project.exports.spreadsheet(output, [(title, columns, rows)], about=about)
    elif suffix == ".csv":
        text = project.exports.table_text("csv", columns, rows, csv_style=csv_style, for_file=True)
        project.exports.write_text(output, text, bom=csv_style.bom)
    else:
        raise QualcodeError(f"{Path(output).name}: -o writes .csv or .xlsx")
    echo(f"wrote {output}", err=True)


@click.command()
@click.argument("query_words", nargs=-1, required=True, metavar="QUERY")
@click.option("--count-by", type=click.Choice(COUNT_BY), help="Count passages by wave, participant "
              "or participant x wave instead of listing them.")
@click.option("--limit", type=click.IntRange(min=1), help="List at most N passages (the totals count all).")
@click.option("--save", "save_as", metavar="NAME", help="Keep the passages as the named set NAME "
              "(replacing a set of that name).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("-o", "--output", metavar="FILE", help="Write the passages (or counts) to FILE.csv or FILE.xlsx.")
@csv_options
@project_option
def query(project: Project, query_words, count_by, limit, save_as, as_json, output, csv_style) -> None:
    """Passages found by a code query, e.g. '"Money worries" AND Relapse WITHIN turn wave:W3'.

    Operators: AND, OR, NOT, OVERLAPS, NEAR/N sentences|turns, AND/NOT ... WITHIN
    turn|sentence|transcript|participant-wave, parentheses; filters after the codes
    (wave:W3 role:client coder:anna speaker:C05 sex=F employment@W2=unemployed age>=50).
    Give the query as one quoted argument. See docs/query.md."""
    text = " ".join(query_words)
    try:
        if save_as:
            saved = project.query.save_set(save_as, text)
            echo(f"saved set {saved.name!r}: {saved.passages} passage(s)", err=True)
        if count_by:
            counts = project.query.counts(text, count_by)
            rows = [count.to_dict() for count in counts]  # the columns of this grouping
            columns = list(rows[0]) if rows else (["wave", "passages"] if count_by == "wave" else
                                                  ["participant", "passages"] if count_by == "participant"
                                                  else ["participant", "wave", "passages"])
            if as_json:
                print_json({"query": text, "count_by": count_by, "rows": counts})
            elif output:
                _write(project, output, columns, [list(r.values()) for r in rows], "Counts",
                       [f"Query: {text}", f"Passages by {count_by}"], csv_style)
            else:
                print_table(columns, [list(r.values()) for r in rows], title=f"{text}: passages by {count_by}")
            return
        result = project.query.run(text, limit=None if (output or as_json) else limit or 50)
    except QualcodeError as exc:
        raise _query_error(exc) from None
    if as_json:
        print_json(result)
        return
    if output:
        _write(project, output, PASSAGE_COLUMNS, _rows(result.passages), "Passages",
               [f"Query: {text}", *(f"{k}: {v}" for k, v in result.totals.items())], csv_style)
        return
    _show_passages(result.passages, title=text)
    totals = result.totals
    shown = len(result.passages)
    more = f" (showing {shown}; --limit N or -o FILE for more)" if shown < totals["passages"] else ""
    echo(f"{totals['passages']} passage(s){more}; {totals['participants']} participant(s), "
         f"{totals['participant_waves']} participant-wave(s), {totals['turns']} turn(s), "
         f"{totals['transcripts']} transcript(s)", err=True)


@click.group()
def sets() -> None:
    """Named sets of passages saved from queries (query --save NAME); matrix, cooccur
    and segment exports take --set NAME."""


@sets.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def sets_list(project: Project, as_json) -> None:
    """Every set with its query and number of passages."""
    rows = project.query.list_sets()
    if as_json:
        print_json(rows)
        return
    print_table(["name", "passages", "query", "updated", "by"],
                [(s.name, s.passages, s.query, s.updated, s.author or "-") for s in rows])


@sets.command("show")
@click.argument("name")
@click.option("--limit", type=click.IntRange(min=1), help="List at most N passages.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("-o", "--output", metavar="FILE", help="Write the passages to FILE.csv or FILE.xlsx.")
@csv_options
@project_option
def sets_show(project: Project, name, limit, as_json, output, csv_style) -> None:
    """The passages of set NAME, as saved."""
    found = project.query.get_set(name)
    passages = project.query.set_passages(name, limit=None if (as_json or output) else limit)
    if as_json:
        print_json({"set": found, "passages": passages})
    elif output:
        _write(project, output, PASSAGE_COLUMNS, _rows(passages), "Passages",
               [f"Set: {found.name}", f"Query: {found.query}", f"Saved: {found.updated}"], csv_style)
    else:
        _show_passages(passages, title=f"{found.name}: {found.query}")
        echo(f"{found.passages} passage(s), saved {found.updated}", err=True)


@sets.command("refresh")
@click.argument("name")
@project_option
def sets_refresh(project: Project, name) -> None:
    """Run the set's query again on the project as it is now."""
    before = project.query.get_set(name).passages
    try:
        after = project.query.refresh_set(name)
    except QualcodeError as exc:
        raise _query_error(exc) from None
    echo(f"set {name!r}: {before} -> {after.passages} passage(s)")


@sets.command("delete")
@click.argument("name")
@project_option
def sets_delete(project: Project, name) -> None:
    """Delete set NAME (undo brings it back)."""
    project.query.delete_set(name)
    echo(f"deleted set {name!r}")


def set_option(func):
    """``--set NAME`` for an analysis or export command (put it just above the function,
    under the option that opens the project): the command then counts only the codings
    that share a character with a passage of the named set."""

    @click.option("--set", "set_name", metavar="NAME",
                  help="Only the codings in the passages of the named set NAME (qualcode query --save).")
    @functools.wraps(func)
    def wrapper(*args, set_name: str | None = None, **kwargs):
        if not set_name:
            return func(*args, **kwargs)
        with kwargs["project"].query.within_set(set_name):
            return func(*args, **kwargs)

    return wrapper
