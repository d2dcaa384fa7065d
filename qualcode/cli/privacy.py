"""Commands for pseudonymisation: the name key, de-identification, suggestions."""

from __future__ import annotations

import click

from ..project import Project
from .common import csv_options, echo, print_json, print_table, project_option


@click.group()
def namekey() -> None:
    """The name key: real names and the pseudonyms that replace them."""


@namekey.command("add")
@click.argument("real")
@click.argument("pseudonym")
@click.option("--kind", type=click.Choice(["person", "place", "organisation", "other"]), default="person",
              show_default=True)
@click.option("--participant", help="The participant this is the real name of.")
@project_option
def namekey_add(project: Project, real, pseudonym, kind, participant) -> None:
    """Replace REAL by PSEUDONYM in every transcript imported from now on."""
    project.privacy.add_name(real, pseudonym, kind=kind, participant=participant)
    echo(f"added ({kind}); run `qualcode deidentify` for transcripts already imported")


@namekey.command("list")
@click.option("--json", "as_json", is_flag=True)
@project_option
def namekey_list(project: Project, as_json) -> None:
    """Show the name key (real names: keep this screen to yourself)."""
    entries = project.privacy.name_key()
    if as_json:
        print_json(entries)
        return
    print_table(["real", "pseudonym", "kind", "participant"],
                [(e.real, e.pseudonym, e.kind, e.participant) for e in entries])


@namekey.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--remove", is_flag=True, help="Also remove the key from the project (keep FILE elsewhere).")
@csv_options
@project_option
def namekey_export(project: Project, file, remove, csv_style) -> None:
    """Write the name key to a CSV file readable by you only (written anew: a link at FILE
    is replaced, never followed)."""
    n = project.privacy.export_name_key(file, remove=remove, csv_style=csv_style)
    echo(f"wrote {n} entries to {file}" + ("; removed from the project" if remove else ""))


@namekey.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@project_option
def namekey_import(project: Project, file) -> None:
    """Load a name key CSV (columns real, pseudonym, kind, participant)."""
    n = project.privacy.import_name_key(file)
    echo(f"imported {n} entries")


@namekey.command("reidentify")
@click.argument("transcript")
@click.option("--key", "key_file", type=click.Path(dir_okay=False), help="The exported key file.")
@project_option
def namekey_reidentify(project: Project, transcript, key_file) -> None:
    """Print a transcript with the real names back (needs the key)."""
    echo(project.privacy.reidentified_text(transcript, key_file))


@click.command()
@click.option("--suggest", is_flag=True, help="Only list likely names, places and organisations.")
@click.option("--entities/--no-entities", default=None,
              help="Use spaCy's named entities (default: when a trained pipeline is installed).")
@click.option("--keep-memos", is_flag=True,
              help="Leave memos and codings' memos as they are (then keep memos out of what you share).")
@click.option("--json", "as_json", is_flag=True)
@project_option
def deidentify(project: Project, suggest, entities, keep_memos, as_json) -> None:
    """Apply the name key to everything already in the project (transcripts, their names,
    the codebook, attributes, memos, the event log), or (--suggest) find what is left."""
    if suggest:
        hits = project.privacy.suggest_names(use_entities=entities)
        if as_json:
            print_json(hits)
            return
        print_table(["text", "kind", "found by", "count", "transcripts", "proposed", "in context"],
                    [(h.text, h.kind, h.source, h.count, ", ".join(h.transcripts[:3]),
                      h.proposed, h.example) for h in hits])
        echo("add the ones to replace with `qualcode namekey add REAL PSEUDONYM`, "
                   "then run `qualcode deidentify`", err=True)
        return
    result = project.privacy.deidentify(memos=not keep_memos)
    if as_json:
        print_json(result)
        return
    echo(f"{result['replacements']} name(s) replaced in {result['transcripts']} transcript(s); "
         f"{result['speakers']} speaker label(s), {result['names']} transcript name(s), "
         f"{result['fields']} other field(s) and {result['log']} event log entries changed")
