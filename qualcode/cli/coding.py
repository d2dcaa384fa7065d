"""Commands for the codebook, tagging and codings."""

from __future__ import annotations

import click

from ..errors import QualcodeError
from ..model import Target
from ..project import Project
from .common import echo, print_json, print_table, project_option

STAGES = click.Choice(["initial", "focused", "axial", "theoretical"])


@click.group()
def codebook() -> None:
    """Show, load and save the codebook."""


def _tree_rows(nodes, depth=0):
    for node in nodes:
        marker = "▸ " if node.is_category else ""
        yield ("  " * depth + marker + node.name, node.stage, node.codings, node.total,
               (node.definition or "")[:60])
        yield from _tree_rows(node.children, depth + 1)


@codebook.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the tree, with counts).")
@project_option
def codebook_show(project: Project, as_json: bool) -> None:
    """The code tree with stages and counts."""
    tree = project.codebook.tree()
    if as_json:
        print_json(tree)
        return
    print_table(["code", "stage", "codings", "with sub-codes", "definition"], _tree_rows(tree))


@codebook.command("load")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def codebook_load(project: Project, file: str, as_json: bool) -> None:
    """Load a codebook file (.yaml, or REFI-QDA .qdc); codes are matched by GUID, then name."""
    report = project.codebook.load(file)
    if as_json:
        print_json(report)
        return
    echo(f"{report['added']} added, {report['updated']} updated, {report['unchanged']} unchanged")


@codebook.command("save")
@click.argument("file", type=click.Path(dir_okay=False))
@project_option
def codebook_save(project: Project, file: str) -> None:
    """Write the codebook to FILE (.yaml, or REFI-QDA .qdc)."""
    path = project.codebook.save(file)
    echo(f"wrote {path}")


@codebook.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@project_option
def codebook_export(project: Project, file: str) -> None:
    """Write the codebook as REFI-QDA .qdc (validated) or .yaml, by FILE's extension."""
    path = project.codebook.save(file)
    echo(f"wrote {path}")


@click.group()
def code() -> None:
    """Add, rename, edit, move, merge, split and delete codes."""


def _field_options(func):
    for option in reversed([
        click.option("--definition"), click.option("--inclusion"), click.option("--exclusion"),
        click.option("--example"), click.option("--colour", help="#rrggbb"),
        click.option("--stage", type=STAGES),
        click.option("--in-vivo/--not-in-vivo", "in_vivo", default=None),
        click.option("--category/--not-category", "category", default=None,
                     help="A category groups codes (and is not applied to text unless --codable)."),
        click.option("--codable/--not-codable", "codable", default=None),
        click.option("--keyword", "keywords", multiple=True, help="Keyword for auto-coding (repeatable)."),
    ]):
        func = option(func)
    return func


def _fields(**kwargs) -> dict:
    fields = {k: v for k, v in kwargs.items() if v is not None and k != "keywords"}
    if kwargs.get("keywords"):
        fields["keywords"] = list(kwargs["keywords"])
    return fields


@code.command("add")
@click.argument("name")
@click.option("--parent", help="Put it under this code or category.")
@_field_options
@project_option
def code_add(project: Project, name, parent, **fields) -> None:
    """Add code NAME."""
    result = project.codebook.add_code(name, parent=parent, **_fields(**fields))
    echo(f"added {result.name}")


@code.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def code_show(project: Project, name, as_json) -> None:
    """Everything about one code."""
    info = project.codebook.code(name)
    if as_json:
        print_json(info)
        return
    for key in ("name", "parent", "stage", "definition", "inclusion", "exclusion", "example",
                "colour", "keywords", "codings", "codings_by_wave", "guid"):
        value = getattr(info, key)
        # Keywords printed as a list, as before codes were records (a tuple now).
        echo(f"{key:>12}: {list(value) if key == 'keywords' else value}")


@code.command("rename")
@click.argument("name")
@click.argument("new_name")
@project_option
def code_rename(project: Project, name, new_name) -> None:
    """Rename code NAME to NEW_NAME (its GUID and codings stay)."""
    project.codebook.rename_code(name, new_name)
    echo(f"renamed {name} to {new_name}")


@code.command("edit")
@click.argument("name")
@_field_options
@project_option
def code_edit(project: Project, name, **fields) -> None:
    """Change a code's definition, criteria, example, colour, stage or flags."""
    project.codebook.edit_code(name, **_fields(**fields))
    echo(f"edited {name}")


@code.command("move")
@click.argument("name")
@click.option("--under", "parent", help="New parent (omit to move to the top level).")
@project_option
def code_move(project: Project, name, parent) -> None:
    """Move code NAME under another code, or to the top level."""
    project.codebook.move_code(name, parent)
    echo(f"moved {name} under {parent or 'the top level'}")


@code.command("merge")
@click.argument("source")
@click.argument("target")
@project_option
def code_merge(project: Project, source, target) -> None:
    """Merge code SOURCE into TARGET: codings, sub-codes and memo links follow."""
    result = project.codebook.merge_codes(source, target)
    echo(f"merged {source} into {target}: {result.codings_moved} codings moved, "
               f"{result.duplicates_absorbed} duplicates absorbed")


@code.command("split")
@click.argument("name")
@click.argument("new_name")
@click.option("--coding", "coding_ids", multiple=True, type=int, required=True,
              help="Id of a coding to move to the new code (repeatable; see `qualcode codings`).")
@_field_options
@project_option
def code_split(project: Project, name, new_name, coding_ids, **fields) -> None:
    """Split NAME: move the chosen codings to a new sibling code NEW_NAME."""
    project.codebook.split_code(name, new_name, coding_ids, **_fields(**fields))
    echo(f"moved {len(set(coding_ids))} codings from {name} to {new_name}")


@code.command("delete")
@click.argument("name")
@click.option("--force", is_flag=True, help="Also delete its codings (undo restores them).")
@project_option
def code_delete(project: Project, name, force) -> None:
    """Delete code NAME (refused while it has codings or sub-codes, unless --force)."""
    result = project.codebook.delete_code(name, force=force)
    links = result.memo_links_removed
    echo(f"deleted {name}: {result.codings_deleted} codings deleted, "
               f"{result.subcodes_moved} sub-codes moved up"
               + (f", {links} memo links removed (the memos stay)" if links else ""))


def _target(range_, turn, sentence, speaker) -> Target:
    if range_ is not None:
        if any(x is not None for x in (turn, sentence, speaker)):
            raise QualcodeError("give exactly one of --range, --turn, --sentence, --speaker")
        return Target.parse_range(range_)
    return Target(turn=turn, sentence=sentence, speaker=speaker)


def _target_options(func):
    for option in reversed([
        click.option("--range", "range_", metavar="START:END", help="Code points, end exclusive."),
        click.option("--turn", type=int, help="Turn number (see `transcript show --turns`)."),
        click.option("--sentence", metavar="N|TURN.N", help="Sentence N of the transcript, or sentence N of a turn."),
        click.option("--speaker", metavar="LABEL|PID",
                     help="Every turn of this speaker label, or of this participant id."),
    ]):
        func = option(func)
    return func


@click.command()
@click.argument("transcript")
@_target_options
@click.option("--code", "code_name", required=True, help="The code to apply.")
@click.option("--memo", help="A short memo on this coding.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def tag(project: Project, transcript, range_, turn, sentence, speaker, code_name, memo, as_json) -> None:
    """Apply a code to a range, a turn, a sentence, or every turn of a speaker."""
    created = project.coding.tag(transcript, code_name, _target(range_, turn, sentence, speaker), memo=memo)
    if as_json:
        print_json(created)
        return
    for c in created:
        echo(f"#{c.id} {c.code} {c.transcript} {c.start}:{c.end} "
                   f"{' '.join(c.text.split())[:70]!r}")


@click.command()
@click.argument("transcript")
@_target_options
@click.option("--code", "code_name", required=True, help="The code to remove.")
@click.option("--all-coders", is_flag=True, help="Remove everyone's codings there, not only yours.")
@project_option
def untag(project: Project, transcript, range_, turn, sentence, speaker, code_name, all_coders) -> None:
    """Remove a code from exactly that range, turn, sentence or speaker's turns."""
    n = project.coding.untag(transcript, code_name, _target(range_, turn, sentence, speaker), any_coder=all_coders)
    echo(f"removed {n} coding(s)")


@click.command()
@click.option("--transcript", help="Only this transcript.")
@click.option("--code", "code_name", help="Only this code.")
@click.option("--by", "by_coder", help="Only this coder's codings.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def codings(project: Project, transcript, code_name, by_coder, as_json) -> None:
    """List codings with their ids and text."""
    rows = project.coding.codings(transcript=transcript, code=code_name, coder=by_coder)
    if as_json:
        print_json(rows)
        return
    print_table(["id", "transcript", "code", "coder", "span", "text"],
                [(r.id, r.transcript, r.code, r.coder, f"{r.start}:{r.end}",
                  " ".join(r.text.split())[:60]) for r in rows])
