"""Playing the recording of the transcript being coded. Mixed into the coding screen.

``p`` plays the turn at the cursor (or the turns of the selection) from its start time
through the external player the core finds; ``P`` pauses and continues; ``K`` stops.
While it plays, the position line under the text says where the player is (exactly with
mpv, else estimated from the time elapsed, marked ``~``). Leaving the screen stops it.
"""

from __future__ import annotations

from ..shown import plain
from ..widgets.transcript_view import TranscriptView


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


class CodingPlayback:
    """The play, pause and stop actions of the coding screen."""

    playback = None  # the running player (qualcode.ingest.player.Playback), if any
    _play_timer = None

    def check_recording(self) -> None:
        """A recording that moved is said when the transcript is opened, not first when
        someone tries to play it. Called once the text is on screen: the check reads the
        project on the main thread, which the first paint should not wait for."""
        link = self.attempt(self.project.media.linked, self.transcript_name)  # type: ignore[attr-defined]
        if link is not None and link.state != "ok":
            self.notify(f"The recording of {plain(self.transcript_name)} is {link.state}: {plain(link.path)} "  # type: ignore[attr-defined]
                        "(find it with: qualcode transcript media --relink FOLDER)",
                        severity="warning", markup=False, timeout=8)

    def _selected_turns(self) -> tuple[int, int] | None:
        """The turn numbers from the selection's first turn to its last (or the cursor's)."""
        view = self.query_one(TranscriptView)  # type: ignore[attr-defined]
        if not view.turns:
            return None
        sel = view.selection
        first, last = (sel[0], max(sel[1] - 1, sel[0])) if sel else (view.cursor, view.cursor)
        return view.turns[view.turn_index_at(first)].seq, view.turns[view.turn_index_at(last)].seq

    def action_play(self) -> None:
        turns = self._selected_turns()
        if turns is None:
            self.notify("No turn here to play", severity="warning")  # type: ignore[attr-defined]
            return
        self.action_stop_playback(quiet=True)
        first, last = turns
        started = self.attempt(self.project.media.play, self.transcript_name,  # type: ignore[attr-defined]
                               first, through=last if last != first else None)
        if not started:
            return
        self.playback, when = started
        note = f"playing turn {first}" + (f"-{last}" if last != first else "") + f" from {when.clock}"
        if when.estimated:
            note += " (estimated)"
        if when.from_turn is not None:
            note += f" (turn {first} has no time: that of turn {when.from_turn})"
        self.saved(f"{note} with {self.playback.player.kind}")  # type: ignore[attr-defined]
        self._play_timer = self.set_interval(0.5, self._show_playback)  # type: ignore[attr-defined]
        self._update_position()  # type: ignore[attr-defined]

    def action_pause_playback(self) -> None:
        if self.playback is None or not self.playback.running:
            self.notify("Nothing is playing (p plays the turn at the cursor)", timeout=2)  # type: ignore[attr-defined]
            return
        self.playback.toggle_pause()
        self._update_position()  # type: ignore[attr-defined]

    def action_stop_playback(self, quiet: bool = False) -> None:
        if self._play_timer is not None:
            self._play_timer.stop()
            self._play_timer = None
        if self.playback is not None:
            position, exact = self.playback.position()
            self.playback.stop()
            self.playback = None
            if not quiet:
                self.saved(  # type: ignore[attr-defined]
                    f"stopped playing at {'' if exact else '~'}{_clock(position)}")
                self._update_position()  # type: ignore[attr-defined]

    def playback_text(self) -> str:
        """What the position line says of the player: "▶ 00:14:35 mpv", or ""."""
        playback = self.playback
        if playback is None:
            return ""
        position, exact = playback.position()
        if not playback.running:
            return f"■ stopped at {_clock(position)}"
        mark = "⏸" if playback.paused else "▶"
        return f"{mark} {'' if exact else '~'}{_clock(position)} {plain(playback.player.kind)}"

    def _show_playback(self) -> None:
        self._update_position()  # type: ignore[attr-defined]
        if self.playback is not None and not self.playback.running and self._play_timer is not None:
            self._play_timer.stop()
            self._play_timer = None

    def on_unmount(self) -> None:
        self.action_stop_playback(quiet=True)  # a player must not outlive its screen
