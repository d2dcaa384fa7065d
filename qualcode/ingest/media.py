"""Recordings linked to transcripts (``project.media``): link, check, relink, play.

A recording stays where it is: the project stores its path relative to the project
file's folder (so a project and its recordings can move together), its size, a SHA-256
of its bytes (read in blocks, never whole) and its duration (from ffprobe when it is
installed, else from the WAV header for a .wav, else unknown). A file that is missing or
whose bytes changed is reported, never fatal; ``relink`` finds moved files by their hash.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import wave
from pathlib import Path

from ..context import ProjectContext, Service
from ..errors import InputError, NotFoundError, QualcodeError
from ..records import MediaLink, TurnTime
from ..store import media as store_media
from ..store import study as store_study
from ..store import transcripts as store_tx
from .player import Playback, find_player

PLAYER_SETTING = "media_player"
VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mkv", ".mov", ".avi", ".webm", ".mpg", ".mpeg", ".wmv", ".ogv",
                            ".3gp"})
AUDIO_SUFFIXES = frozenset({".wav", ".mp3", ".m4a", ".aac", ".flac", ".ogg", ".oga", ".opus", ".wma", ".aif",
                            ".aiff", ".amr", ".weba"})
_BLOCK = 1 << 20


def media_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in VIDEO_SUFFIXES:
        return "video"
    if suffix in AUDIO_SUFFIXES:
        return "audio"
    raise InputError(path, f"is not a recording qualcode knows ({suffix or 'no extension'}); "
                           "audio: .wav .mp3 .m4a .flac .ogg .opus ..., video: .mp4 .mkv .mov .webm ...")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def probe_duration(path: Path) -> float | None:
    """Seconds of media in ``path``: ffprobe's answer, else a WAV header's, else None."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe:
        try:
            done = subprocess.run([ffprobe, "-v", "error", "-show_entries", "format=duration",
                                   "-of", "default=noprint_wrappers=1:nokey=1", str(path)],
                                  capture_output=True, text=True, timeout=30, check=False)
            return round(float(done.stdout.strip()), 3)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
    if path.suffix.lower() == ".wav":
        try:
            with wave.open(str(path), "rb") as audio:
                return round(audio.getnframes() / audio.getframerate(), 3)
        except (wave.Error, EOFError, ZeroDivisionError, OSError):
            return None
    return None


def store_link(db, transcript_id: int, file: Path, folder: Path, kind: str | None = None) -> None:
    """Link ``file`` to a transcript (inside the caller's action): its path relative to
    the project's ``folder``, hash, size and duration."""
    store_media.set_media(db, transcript_id, path=stored_path(file, folder), kind=kind or media_kind(file),
                          sha256=file_sha256(file), size=file.stat().st_size, duration=probe_duration(file))


def stored_path(file: Path, folder: Path) -> str:
    """How a link names ``file``: relative to the project file's ``folder`` when it can."""
    try:
        return Path(os.path.relpath(file.resolve(), folder)).as_posix()
    except ValueError:  # another drive (Windows): only an absolute path can say where
        return file.resolve().as_posix()


def times_from_sync_points(turns: list[tuple[int, int, int]], points: list[tuple[int, float]]
                           ) -> list[tuple[int, float | None, float | None, bool]]:
    """Turn times from sync points (text position, seconds), as REFI-QDA ties a transcript
    to its recording. ``turns`` are (seq, start, end) offsets. A turn starting at a sync
    point takes its time; one starting between two takes a time interpolated between them
    by position (marked estimated); one ending at a sync point takes it as its end time.
    Returns (seq, start time, end time, estimated) for the turns given a time."""
    points = sorted(points)
    at = dict(points)
    result = []
    for seq, start, end in turns:
        estimated = False
        begin = at.get(start)
        if begin is None:
            before = next((p for p in reversed(points) if p[0] < start), None)
            after = next((p for p in points if p[0] > start), None)
            if before is not None and after is not None and after[1] >= before[1]:
                fraction = (start - before[0]) / (after[0] - before[0])
                begin, estimated = round(before[1] + (after[1] - before[1]) * fraction, 3), True
        finish = at.get(end) if end > start else None
        if begin is not None or finish is not None:
            result.append((seq, begin, finish, estimated))
    return result


def turn_time(turns: list[tuple[int, float | None, float | None, bool]], transcript: str, turn: int) -> TurnTime:
    """Where ``turn`` starts and where playing it should stop. Without a time of its own,
    the nearest earlier turn's time; the end is the turn's end time, else the next timed
    turn's start (whichever comes first), else open."""
    seqs = [seq for seq, *_ in turns]
    if turn not in seqs:
        raise NotFoundError(f"{transcript} has no turn {turn} (it has turns 1-{len(seqs)})")
    index = seqs.index(turn)
    start: float | None = None
    estimated = False
    from_turn: int | None = None
    for seq, s, _e, est in reversed(turns[: index + 1]):
        if s is not None:
            start, estimated, from_turn = s, est, (None if seq == turn else seq)
            break
    end = turns[index][2]
    following = next((s for _seq, s, _e, _est in turns[index + 1:] if s is not None and start is not None
                      and s > start), None)
    if following is not None and (end is None or following < end):
        end = following
    if end is not None and start is not None and end <= start:
        end = None
    return TurnTime(transcript, turn, start, end, estimated, from_turn)


class MediaService(Service):
    """Recordings of transcripts, and playing them turn by turn."""

    def __init__(self, ctx: ProjectContext) -> None:
        super().__init__(ctx)

    @property
    def _folder(self) -> Path:
        return self.path.resolve().parent

    def _stored_path(self, file: Path) -> str:
        return stored_path(file, self._folder)

    def _resolve(self, stored: str) -> Path:
        return (self._folder / stored).resolve() if not Path(stored).is_absolute() else Path(stored)

    def link(self, transcript: str, file: str | Path) -> MediaLink:
        """Link ``file`` to the transcript (replacing any earlier link), as one action."""
        file = Path(file)
        kind = media_kind(file)
        if not file.is_file():
            raise InputError(file, "does not exist" if not file.exists() else "is not a regular file")
        transcript_id = store_tx.transcript_row(self.db, transcript)["id"]
        with self.action("transcript.media", f"linked {file.name} to {transcript}"):
            store_link(self.db, transcript_id, file, self._folder, kind)
        return self.get(transcript)

    def unlink(self, transcript: str) -> None:
        transcript_id = store_tx.transcript_row(self.db, transcript)["id"]
        with self.action("transcript.media", f"unlinked the recording of {transcript}"):
            if not store_media.remove_media(self.db, transcript_id):
                raise NotFoundError(f"{transcript} has no recording linked")

    def get(self, transcript: str, *, verify: bool = True) -> MediaLink:
        """The transcript's recording and its state; ``verify`` hashes the file (else a
        file of the linked size counts as the one linked)."""
        transcript_id = store_tx.transcript_row(self.db, transcript)["id"]
        row = store_media.media_of(self.db, transcript_id)
        if row is None:
            raise NotFoundError(f"{transcript} has no recording linked (link one with "
                                f"`qualcode transcript media {transcript} FILE`)")
        return self._checked(transcript, row, verify=verify)

    def linked(self, transcript: str) -> MediaLink | None:
        """The transcript's recording checked by size (quick), or None when it has none."""
        transcript_id = store_tx.transcript_row(self.db, transcript)["id"]
        row = store_media.media_of(self.db, transcript_id)
        return self._checked(transcript, row, verify=False) if row else None

    def all(self, *, verify: bool = False) -> list[MediaLink]:
        return [self._checked(row["transcript"], row, verify=verify) for row in store_media.all_media(self.db)]

    def _checked(self, transcript: str, row: dict, *, verify: bool) -> MediaLink:
        resolved = self._resolve(row["path"])
        if not resolved.is_file():
            state = "missing"
        elif resolved.stat().st_size != row["size"] or (verify and file_sha256(resolved) != row["sha256"]):
            state = "changed"
        else:
            state = "ok"
        return MediaLink(transcript=transcript, path=row["path"], resolved=str(resolved), kind=row["kind"],
                         sha256=row["sha256"], size=row["size"], duration=row["duration"],
                         linked_at=row["linked_at"], state=state)

    def relink(self, folder: str | Path) -> list[MediaLink]:
        """Find the recordings that are missing or changed under ``folder`` (and its
        subfolders) by their hash, and point their links there, as one action. Returns
        the links found."""
        folder = Path(folder)
        if not folder.is_dir():
            raise InputError(folder, "is not a folder")
        lost = [link for link in self.all(verify=True) if link.state != "ok"]
        by_size: dict[int, list[MediaLink]] = {}
        for link in lost:
            by_size.setdefault(link.size, []).append(link)
        found: dict[str, Path] = {}
        for root, _dirs, files in os.walk(folder):
            for name in files:
                candidate = Path(root) / name
                try:
                    size = candidate.stat().st_size
                except OSError:
                    continue
                waiting = [link for link in by_size.get(size, []) if link.transcript not in found]
                if waiting:
                    sha = file_sha256(candidate)
                    for link in waiting:
                        if link.sha256 == sha:
                            found[link.transcript] = candidate
        if found:
            with self.action("transcript.media", f"relinked {len(found)} recording(s) found in {folder.name}"):
                for transcript, file in found.items():
                    transcript_id = store_tx.transcript_row(self.db, transcript)["id"]
                    store_media.set_media_path(self.db, transcript_id, self._stored_path(file))
        return [self.get(transcript, verify=False) for transcript in found]

    # --- times and playing ---------------------------------------------------------------

    def turn_time(self, transcript: str, turn: int) -> TurnTime:
        transcript_id = store_tx.transcript_row(self.db, transcript)["id"]
        return turn_time(store_media.turn_times(self.db, transcript_id), transcript, turn)

    def turn_times(self, transcript: str) -> list[TurnTime]:
        transcript_id = store_tx.transcript_row(self.db, transcript)["id"]
        turns = store_media.turn_times(self.db, transcript_id)
        return [turn_time(turns, transcript, seq) for seq, *_ in turns]

    @property
    def player_setting(self) -> str | None:
        return store_study.get_setting(self.db, PLAYER_SETTING)

    def set_player(self, name: str | None) -> None:
        """Name the player this project uses (None: look for mpv, ffplay, vlc)."""
        if name is not None:
            find_player(name)  # refuse a player qualcode cannot drive, or one not installed
        with self.action("settings.player", f"media player set to {name or 'the first found'}"):
            store_study.set_setting(self.db, PLAYER_SETTING, name)

    def play(self, transcript: str, turn: int, *, through: int | None = None) -> tuple[Playback, TurnTime]:
        """Start the player on the transcript's recording at ``turn`` (through turn
        ``through``, for a selection of several turns). The caller stops it."""
        link = self.get(transcript, verify=False)
        if link.state == "missing":
            raise QualcodeError(f"the recording of {transcript} is missing: {link.path} (find it with "
                                "`qualcode transcript media --relink FOLDER`)")
        when = self.turn_time(transcript, turn)
        if when.start is None:
            raise QualcodeError(f"{transcript} turn {turn}: neither it nor any turn before it has a time, "
                                "so where it is in the recording is not known")
        end = self.turn_time(transcript, through).end if through is not None and through > turn else when.end
        player = find_player(self.player_setting)
        return Playback(player, link.resolved, when.start, end, video=link.kind == "video"), when
