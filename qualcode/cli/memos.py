"""Commands for memos, constant comparison and auto-coding."""

from __future__ import annotations

import sys

import click

from ..model import MEMO_TYPES as MEMO_TYPE_NAMES
from ..project import Project
from ..records import MemoLink
from .common import echo, print_json, print_table, project_option, where_option

MEMO_TYPES = click.Choice(MEMO_TYPE_NAMES)


@click.group()
def memo() -> None:
    """Write, edit and read memos."""


@memo.command("add")
@click.option("--type", "type_", type=MEMO_TYPES, required=True, help="What kind of memo.")
@click.option("--title", required=True)
@click.option("--body", default=None, help="The text (default: read from standard input).")
@click.option("--link", "links", multiple=True, metavar="KIND:TARGET",
              help="code:NAME, coding:ID, participant:ID, transcript:NAME or wave:LABEL (repeatable).")
@project_option
def memo_add(project: Project, type_, title, body, links) -> None:
    """Write a memo."""
    if body is None:
        stdin = sys.stdin
        body = "" if stdin is None or stdin.isatty() else stdin.read()
    result = project.memos.add(type_, title, body, links=[MemoLink.parse(text) for text in links])
    echo(f"memo #{result.id} written")


@memo.command("edit")
@click.argument("memo_id", type=int)
@click.option("--title")
@click.option("--body")
@click.option("--type", "type_", type=MEMO_TYPES)
@click.option("--link", "add_links", multiple=True, metavar="KIND:TARGET", help="Add a link.")
@click.option("--unlink", "remove_links", multiple=True, metavar="KIND:TARGET", help="Remove a link.")
@project_option
def memo_edit(project: Project, memo_id, title, body, type_, add_links, remove_links) -> None:
    """Change a memo's title, text, type or links."""
    project.memos.edit(memo_id, title=title, body=body, type_=type_,
                       add_links=[MemoLink.parse(text) for text in add_links],
                       remove_links=[MemoLink.parse(text) for text in remove_links])
    echo(f"memo #{memo_id} updated")


@memo.command("delete")
@click.argument("memo_id", type=int)
@project_option
def memo_delete(project: Project, memo_id) -> None:
    """Delete a memo (undo brings it back)."""
    project.memos.delete(memo_id)
    echo(f"memo #{memo_id} deleted")


@memo.command("list")
@click.option("--type", "type_", type=MEMO_TYPES)
@click.option("--by", "author", help="Only memos by this author.")
@click.option("--link", metavar="KIND:TARGET", help="Only memos linked to this.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def memo_list(project: Project, type_, author, link, as_json) -> None:
    """List memos."""
    rows = project.memos.all(type_=type_, author=author, link=MemoLink.parse(link) if link else None)
    if as_json:
        print_json(rows)
        return
    print_table(["#", "type", "title", "author", "updated", "links"],
                [(m.id, m.type, m.title, m.author, m.updated, "; ".join(map(str, m.links))) for m in rows])


@memo.command("show")
@click.argument("memo_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def memo_show(project: Project, memo_id, as_json) -> None:
    """Read one memo."""
    m = project.memos.get(memo_id)
    if as_json:
        print_json(m)
        return
    echo(f"#{m.id} [{m.type}] {m.title}  ({m.author}, {m.updated})")
    if m.links:
        echo("links: " + "; ".join(map(str, m.links)))
    echo("")
    echo(m.body)


@click.command()
@click.option("--code", "code_name", required=True, help="The code to compare segments of.")
@click.option("--subcodes", is_flag=True, help="Include segments of its sub-codes.")
@click.option("--participant")
@click.option("--wave")
@click.option("--role")
@click.option("--site")
@click.option("--by", "by_coder", help="Only this coder's segments.")
@click.option("--context", default=0, show_default=True, help="Characters of context either side.")
@click.option("--group", metavar="wave|participant|role|site|coder|transcript|ATTR", default="wave",
              show_default=True,
              help="Group by one of these, or by an attribute of the participant at the segment's wave.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@where_option
@project_option
def segments(project: Project, code_name, subcodes, participant, wave, role, site, by_coder, context,
             group, as_json, where) -> None:
    """Constant comparison: every segment under a code, grouped by wave, participant..."""
    rows = project.coding.segments(code_name, include_subcodes=subcodes, context=context,
                            participant=participant, wave=wave, role=role, site=site, coder=by_coder,
                            where=list(where) or None)
    if as_json:
        print_json(rows)
        return
    for key, items in project.coding.group_segments(rows, group).items():
        print_table(
            ["#", "participant", "wave", "speaker", "turn", "coder", "segment"],
            [(r.id, f"{r.participant or ''} {r.pseudonym or ''}".strip(), r.wave,
              r.speaker, r.turn, r.coder,
              " ".join(((r.before and "…" + r.before + " ⟦") or "") .split()) +
              " ".join(r.text.split()) +
              ((r.after and "⟧ " + " ".join(r.after.split()) + "…") or ""))
             for r in items],
            title=f"{code_name}: {group} {key} ({len(items)})",
        )


@click.group()
def autocode() -> None:
    """Suggest codings by speaker, pattern or keywords; --apply accepts them."""


def _show(project: Project, suggestions, apply: bool, as_json: bool) -> None:
    if apply and suggestions:
        created = project.coding.apply_suggestions(suggestions)
        echo(f"applied {len(created)} coding(s) as one undoable action", err=as_json)
    if as_json:
        print_json(suggestions)
        return
    print_table(["transcript", "code", "span", "why", "text"],
                [(s.transcript, s.code, f"{s.start}:{s.end}", s.reason, " ".join(s.text.split())[:60])
                 for s in suggestions])
    if not apply:
        echo(f"{len(suggestions)} suggestion(s); run again with --apply to accept them", err=True)


@autocode.command("speaker")
@click.argument("speaker")
@click.option("--code", "code_name", required=True)
@click.option("--transcript", "transcripts", multiple=True, help="Only these transcripts.")
@click.option("--apply", is_flag=True, help="Accept every suggestion.")
@click.option("--json", "as_json", is_flag=True)
@project_option
def autocode_speaker(project: Project, speaker, code_name, transcripts, apply, as_json) -> None:
    """Every turn of SPEAKER (a label, or a participant id)."""
    _show(project, project.coding.suggest_by_speaker(code_name, speaker, transcripts or None), apply, as_json)


def _matching_options(command):
    """The options every matching suggester shares (pattern, keywords)."""
    for option in reversed((
        click.option("--scope", type=click.Choice(["sentence", "turn", "match"]), default="sentence",
                     show_default=True),
        click.option("--transcript", "transcripts", multiple=True),
        click.option("--include-interviewer", is_flag=True),
        click.option("--apply", is_flag=True),
        click.option("--json", "as_json", is_flag=True),
        project_option,
    )):
        command = option(command)
    return command


@autocode.command("pattern")
@click.argument("pattern")
@click.option("--code", "code_name", required=True)
@click.option("--fts", is_flag=True, help="PATTERN is a full-text query, not a regular expression.")
@_matching_options
def autocode_pattern(project: Project, pattern, code_name, fts, scope, transcripts,
                     include_interviewer, apply, as_json) -> None:
    """Sentences (or turns, or matches) that match PATTERN."""
    _show(project, project.coding.suggest_by_pattern(code_name, pattern, fts=fts, scope=scope,
                                              transcripts=transcripts or None,
                                              include_interviewer=include_interviewer), apply, as_json)


@autocode.command("keywords")
@click.option("--code", "code_names", multiple=True, help="Only these codes (default: all with keywords).")
@_matching_options
def autocode_keywords(project: Project, code_names, scope, transcripts, include_interviewer, apply,
                      as_json) -> None:
    """Sentences containing the codebook's keywords."""
    _show(project, project.coding.suggest_by_keywords(code_names or None, scope=scope,
                                               transcripts=transcripts or None,
                                               include_interviewer=include_interviewer), apply, as_json)
