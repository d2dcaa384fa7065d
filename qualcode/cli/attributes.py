"""``qualcode attribute``: declare the type of a participant attribute (number, date,
category with its values, text), list the attributes and summarise one."""

from __future__ import annotations

import click

from ..project import Project
from .common import echo, print_json, print_table, project_option


@click.group()
def attribute() -> None:
    """Typed participant attributes: declare, list, summary."""


@attribute.command("declare")
@click.argument("name")
@click.option("--type", "kind", type=click.Choice(["text", "number", "date", "category"]), required=True,
              help="How values are checked, compared and sorted.")
@click.option("--values", metavar="A,B,C", help="A category's values, in their order.")
@click.option("--description", help="What the attribute records.")
@project_option
def attribute_declare(project: Project, name: str, kind: str, values: str | None, description) -> None:
    """Declare attribute NAME's type. Every value already stored must fit it (the first
    that does not is named and nothing changes); values set later are checked."""
    listed = [v.strip() for v in values.split(",")] if values else []
    declared = project.study.declare_attribute(name, kind, listed, description)
    extra = f" ({', '.join(declared.values)})" if declared.values else ""
    echo(f"{declared.key} is {declared.kind}{extra}")


@attribute.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def attribute_list(project: Project, as_json: bool) -> None:
    """Every attribute: its type, whether it is fixed or recorded per wave, and its
    values in the order of its type."""
    rows = project.study.attribute_list()
    if as_json:
        print_json(rows)
        return
    print_table(["attribute", "type", "recorded", "participants", "values"],
                [(r["key"], r["kind"], r["recorded"], r["participants"], ", ".join(r["values"]))
                 for r in rows])


@attribute.command("summary")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def attribute_summary(project: Project, name: str, as_json: bool) -> None:
    """Summarise attribute NAME: numbers n, min, median, max; dates their range;
    categories the count of each value in declared order; per wave when it varies."""
    summary = project.study.attribute_summary(name)
    if as_json:
        print_json(summary)
        return
    groups = summary["groups"]
    where = [("fixed" if g["wave"] is None else g["wave"]) for g in groups]
    if summary["kind"] == "number":
        print_table(["", "n", "min", "median", "max"],
                    [(w, g["n"], g["min"], g["median"], g["max"]) for w, g in zip(where, groups)],
                    title=f"{name} (number)")
    elif summary["kind"] == "date":
        print_table(["", "n", "earliest", "latest"],
                    [(w, g["n"], g["earliest"], g["latest"]) for w, g in zip(where, groups)],
                    title=f"{name} (date)")
    else:
        values = list(dict.fromkeys(v for g in groups for v in g["counts"]))
        if summary["kind"] == "category":
            values = summary["values"] + [v for v in values if v not in summary["values"]]
        # A value per row, a wave per column: categories are many, waves few.
        print_table([name, *where],
                    [(v, *(g["counts"].get(v, 0) for g in groups)) for v in values] +
                    [("n", *(g["n"] for g in groups))],
                    title=f"{name} ({summary['kind']})")
    if not groups:
        echo(f"no participant has a value of {name}")
