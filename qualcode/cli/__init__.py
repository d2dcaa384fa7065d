"""The command-line face: thin commands over :class:`qualcode.project.Project`."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping

import click

from .common import QualcodeGroup

# Every top-level command: the module of this package that defines it and its name there.
# A module is imported when one of its commands runs or is listed (help, the reference),
# so `qualcode status` does not import the code of export, analysis or the terminal UI.
COMMAND_MODULES: dict[str, tuple[str, str]] = {
    "init": ("study", "init"), "participant": ("study", "participant"), "wave": ("study", "wave"),
    "attend": ("study", "attend"), "status": ("study", "status"), "example": ("study", "example"),
    "import": ("ingest", "import_"), "transcript": ("ingest", "transcript"),
    "search": ("ingest", "search"),
    "codebook": ("coding", "codebook"), "code": ("coding", "code"), "tag": ("coding", "tag"),
    "untag": ("coding", "untag"), "codings": ("coding", "codings"),
    "memo": ("memos", "memo"), "segments": ("memos", "segments"), "autocode": ("memos", "autocode"),
    "summary": ("summaries", "summary"), "picture": ("pictures", "picture"),
    "undo": ("history", "undo"), "redo": ("history", "redo"), "log": ("history", "log"),
    "namekey": ("privacy", "namekey"), "deidentify": ("privacy", "deidentify"),
    "matrix": ("analysis", "matrix"), "change": ("analysis", "change"),
    "compare-waves": ("analysis", "compare_waves"), "saturation": ("analysis", "saturation"),
    "cooccur": ("analysis", "cooccur"), "attendance": ("analysis", "attendance"),
    "describe": ("analysis", "describe"),
    "tui": ("tui", "tui"), "merge": ("team", "merge"),
    "agree": ("agreement", "agree"), "export-for-coder": ("agreement", "export_for_coder"),
    "import-refi": ("exchange", "import_refi_command"), "export": ("export", "export"),
    "study": ("facts", "study"), "attribute": ("attributes", "attribute"),
    "who": ("live_team", "who"), "backup": ("live_team", "backup"),
    "access-key": ("live_team", "access_key"), "serve": ("live_team", "serve"),
    "query": ("query", "query"), "sets": ("query", "sets"),
}
# Subcommands defined in another module than their group's: added when the group is loaded.
EXTRA_SUBCOMMANDS: dict[str, list[tuple[str, str]]] = {
    "codebook": [("team", "codebook_merge")],  # codebook merge
    "export": [("summaries", "export_summaries")],  # export summaries
}
# Modules that add subcommands to another module's group when imported: corrections
# (transcript and participant corrections), media (transcript recordings), facts (wave time-point).
GROUP_COMPANIONS: dict[str, list[str]] = {"transcript": ["corrections", "media"], "participant": ["corrections"],
                                          "wave": ["facts"]}


def _attribute(module: str, name: str) -> click.Command:
    command = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    assert isinstance(command, click.Command)
    return command


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands by name; each module imported when one of its commands is
    first looked up. Listing the names imports nothing."""

    def __init__(self, table: dict[str, tuple[str, str]]) -> None:
        self._table = table
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            if name not in self._table:
                raise KeyError(name)
            for companion in GROUP_COMPANIONS.get(name, []):
                importlib.import_module(f"{__name__}.{companion}")
            command = _attribute(*self._table[name])
            for module, attribute in EXTRA_SUBCOMMANDS.get(name, []):
                assert isinstance(command, click.Group)
                command.add_command(_attribute(module, attribute))
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._loaded.pop(name, None)
        self._table.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._table), **dict.fromkeys(self._loaded)})

    def __len__(self) -> int:
        return len(set(self._table) | set(self._loaded))


@click.group(cls=QualcodeGroup, context_settings={"help_option_names": ["-h", "--help"]},
             invoke_without_command=True, commands=LazyCommands(dict(COMMAND_MODULES)))
@click.option("-p", "--project", "project_path", metavar="PATH", default=None,
              help="Project file (default: $QUALCODE_PROJECT, or the only *.qualcode here).")
@click.option("--coder", default=None, metavar="NAME", help="Who is doing this.")
@click.version_option(package_name="qualcode", prog_name="qualcode")  # read when asked
@click.pass_context
def cli(ctx: click.Context, project_path: str | None, coder: str | None) -> None:
    """qualcode: qualitative longitudinal coding in the terminal."""
    if ctx.invoked_subcommand is None:  # plain `qualcode` opens the terminal UI
        from . import tui

        tui.run_tui(project_path, coder, ctx)


def main() -> None:
    cli(prog_name="qualcode")
