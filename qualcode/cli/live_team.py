"""Commands for several coders live on one project: who, backup, access-key, serve."""

from __future__ import annotations

import click

from ..project import Project
from .common import echo, find_project_path, print_json, print_table, project_option


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def who(project: Project, as_json: bool) -> None:
    """Who has the project open now, and where (terminal UIs and browser sessions)."""
    sessions = project.presence.sessions()
    if as_json:
        print_json(sessions)
        return
    if not sessions:
        echo(f"no one has {project.path.name} open (sessions silent for {project.presence.EXPIRE_SECONDS:.0f} s "
             "count as gone)")
        return
    print_table(["coder", "program", "on", "host", "pid", "since"],
                [(s["coder"], s["program"], s["place"] or "", s["host"], s["pid"], s["started"])
                 for s in sessions])


@click.command()
@click.argument("dest", type=click.Path(dir_okay=False))
@project_option
def backup(project: Project, dest: str) -> None:
    """Copy the project to DEST while others work on it (SQLite's online backup)."""
    result = project.backup(dest)
    echo(f"backed up {project.path.name} to {result['path']} ({result['bytes']:,} bytes, checked)")


@click.group("access-key")
def access_key() -> None:
    """Access keys for `qualcode serve`: one per coder, stored hashed in the project."""


@access_key.command("add")
@click.argument("coder_name", metavar="CODER")
@project_option
def access_key_add(project: Project, coder_name: str) -> None:
    """Create a key that opens the project in a browser as CODER (printed once)."""
    key = project.access.create(coder_name)
    echo(key)
    echo(f"give this key to {coder_name} privately; it is not stored and cannot be shown "
         "again (revoke it and add another if it is lost)", err=True)


@access_key.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def access_key_list(project: Project, as_json: bool) -> None:
    """The keys (ids and coders; the keys themselves are never stored)."""
    keys = project.access.keys()
    if as_json:
        print_json(keys)
        return
    print_table(["id", "coder", "created", "revoked"],
                [(k["id"], k["coder"], k["created"], k["revoked"] or "") for k in keys])


@access_key.command("revoke")
@click.argument("coder_name", metavar="CODER")
@project_option
def access_key_revoke(project: Project, coder_name: str) -> None:
    """Revoke every key of CODER (an open browser session ends at its next login)."""
    count = project.access.revoke(coder_name)
    echo(f"revoked {count} key(s) of {coder_name}")


@click.command()
@click.argument("path", required=False, metavar="[PROJECT]")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; another than loopback needs access keys.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--public-url", default=None, metavar="URL",
              help="The address browsers use (behind a reverse proxy: https://...).")
@click.option("--coder", default=None, metavar="NAME",
              help="Who codes when the project has no access keys (loopback only).")
@click.pass_context
def serve(ctx: click.Context, path: str | None, host: str, port: int, public_url: str | None,
          coder: str | None) -> None:
    """Serve the terminal UI to browsers: one process per coder, each let in by its key."""
    from ..web.serve import GuardedServer  # aiohttp only for this command

    root = ctx.find_root().params
    project_path = find_project_path(path or root.get("project_path"))
    server = GuardedServer(project_path, host=host, port=port, public_url=public_url,
                           open_coder=coder or root.get("coder"))
    echo(f"serving {project_path.name} on {server.public_url}"
         + ("" if server.keys_required else " (no access keys: open to this machine's users)"),
         err=True)
    server.serve()
