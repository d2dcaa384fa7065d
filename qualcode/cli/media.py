"""Commands for the recordings of transcripts: link, check, relink, choose a player, play."""

from __future__ import annotations

import click

from ..errors import QualcodeError
from ..project import Project
from .common import echo, print_json, print_table, project_option
from .ingest import transcript


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


_STATE_NOTE = {"ok": "", "missing": "MISSING: the file is not there (find it with --relink FOLDER)",
               "changed": "CHANGED: the file there is not the one linked (another hash)"}


@transcript.command("media")
@click.argument("name", required=False)
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--relink", "relink_dir", metavar="FOLDER", type=click.Path(file_okay=False),
              help="Find missing or changed recordings under FOLDER by their hash and link them there.")
@click.option("--unlink", is_flag=True, help="Remove NAME's link to its recording (the file is left alone).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def transcript_media(project: Project, name: str | None, file: str | None, relink_dir: str | None,
                     unlink: bool, as_json: bool) -> None:
    """Link a recording to transcript NAME (FILE stays where it is; its path is kept relative
    to the project file), or show NAME's recording and whether it is missing or changed.
    Without NAME, list every linked recording."""
    if relink_dir:
        found = project.media.relink(relink_dir)
        if as_json:
            print_json(found)
            return
        echo(f"relinked {len(found)} recording(s)" + "".join(f"\n  {m.transcript}: {m.path}" for m in found))
        return
    if name is None:
        links = project.media.all(verify=True)
        if as_json:
            print_json(links)
            return
        print_table(["transcript", "kind", "duration", "state", "path"],
                    [(m.transcript, m.kind, _clock(m.duration), m.state, m.path) for m in links])
        return
    if unlink:
        project.media.unlink(name)
        echo(f"{name}: recording unlinked")
        return
    link = project.media.link(name, file) if file else project.media.get(name)
    if as_json:
        print_json(link)
        return
    echo(f"{link.transcript}: {link.kind} {link.path}  duration {_clock(link.duration)}  "
         f"{link.size:,} bytes  sha256 {link.sha256[:12]}…")
    if link.state != "ok":
        echo(f"  {_STATE_NOTE[link.state]}")


@transcript.command("player")
@click.argument("player", required=False)
@click.option("--auto", is_flag=True, help="Forget the chosen player: use the first of mpv, ffplay, vlc found.")
@project_option
def transcript_player(project: Project, player: str | None, auto: bool) -> None:
    """Show or choose the media player this project plays recordings with (mpv, ffplay, vlc,
    or a path to one of them); $QUALCODE_PLAYER overrides it."""
    if player or auto:
        project.media.set_player(None if auto else player)
    echo(f"media player: {project.media.player_setting or 'the first of mpv, ffplay, vlc found on PATH'}")


@transcript.command("play")
@click.argument("name")
@click.option("--turn", "turn", type=int, required=True,
              help="The turn to play (its number in `transcript show --turns`).")
@click.option("--through", type=int, help="Play on to the end of this later turn.")
@click.option("--no-wait", is_flag=True, help="Start the player and return at once.")
@project_option
def transcript_play(project: Project, name: str, turn: int, through: int | None, no_wait: bool) -> None:
    """Play transcript NAME's recording from turn N's start time (the nearest earlier time if
    it has none) to its end, through the player found (Ctrl-C stops it)."""
    if turn < 1:
        raise QualcodeError("--turn: turns are numbered from 1")
    playback, when = project.media.play(name, turn, through=through)
    shown = when.clock + (" (estimated)" if when.estimated else "")
    if when.from_turn is not None:
        shown += f", the time of turn {when.from_turn} (turn {turn} has none)"
    echo(f"playing {name}, turn {turn} from {shown}"
         + (f" to {_clock(playback.end)}" if playback.end is not None else "")
         + f" with {playback.player.kind}")
    if no_wait:
        return
    try:
        playback.wait()
    except KeyboardInterrupt:
        position, exact = playback.position()
        echo(f"stopped at {_clock(position)}" + ("" if exact else " (estimated)"))
    finally:
        playback.stop()
