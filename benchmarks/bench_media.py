"""Benchmark: recordings and speech-to-text transcripts.

    python benchmarks/bench_media.py [--hours H] [--recording-mb MB] [--files N]

Prints, for a synthetic interview of H hours (default 2):

* reading its WhisperX JSON (a segment every 3 s, words with speakers, two speakers
  alternating every few segments) into turns;
* estimating start times for a typed transcript of as many turns with a time on every
  tenth turn only;
* hashing a recording of MB megabytes (default 200: about 3 1/2 hours of 128 kbit/s
  audio), as linking and checking a recording does (read in 1 MB blocks);
* relinking: finding one moved recording among N files (default 2000) of a folder tree,
  which hashes only the files of the recording's size.

Each figure is the best of three runs (the machine is shared: look at ``uptime``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode import Project
from qualcode.ingest.media import file_sha256
from qualcode.ingest.model import ParsedTranscript, ParsedTurn
from qualcode.ingest.speech_to_text import read_whisper_json
from qualcode.ingest.timing import estimate_times

WORDS = ["well", "I", "think", "the", "service", "helped", "me", "a", "lot", "because", "she", "listened", "and", "never", "judged"]


def whisperx_json(hours: float, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    segments, t, speaker = [], 0.0, 0
    while t < hours * 3600:
        if rng.random() < 0.3:
            speaker = 1 - speaker
        words, w = [], t
        for _ in range(rng.randint(6, 12)):
            words.append({"word": rng.choice(WORDS), "start": round(w, 3), "end": round(w + 0.25, 3),
                          "speaker": f"SPEAKER_0{speaker}"})
            w += 0.27
        segments.append({"start": round(t, 3), "end": round(w, 3), "speaker": f"SPEAKER_0{speaker}",
                         "text": " " + " ".join(x["word"] for x in words), "words": words})
        t = w + 0.3
    return json.dumps({"language": "en", "segments": segments}).encode()


def sparse_transcript(turns: int) -> ParsedTranscript:
    pieces, parsed_turns, offset = [], [], 0
    for i in range(turns):
        label = f"P{i % 2}: "
        speech = " ".join(WORDS[: 5 + i % 9])
        start = offset + len(label)
        parsed_turns.append(ParsedTurn(f"P{i % 2}", start, start + len(speech), i * 4.0 if i % 10 == 0 else None))
        pieces.append(label + speech)
        offset += len(label) + len(speech) + 2
    return ParsedTranscript("\n\n".join(pieces), parsed_turns, "bench.txt", "0" * 64, "text")


def best(func, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> dict:
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--hours", type=float, default=2.0)
    args.add_argument("--recording-mb", type=int, default=200)
    args.add_argument("--files", type=int, default=2000)
    opts = args.parse_args(argv)
    figures: dict = {}

    data = whisperx_json(opts.hours)
    parsed = read_whisper_json(data, "bench.json")
    figures["whisper_segments"] = len(json.loads(data)["segments"])
    figures["whisper_turns"] = len(parsed.turns)
    figures["whisper_read_s"] = best(lambda: read_whisper_json(data, "bench.json"))
    print(f"WhisperX JSON, {opts.hours:g} h ({len(data) / 2**20:.1f} MB, {figures['whisper_segments']:,} segments):"
          f" {figures['whisper_turns']:,} turns in {figures['whisper_read_s'] * 1000:.0f} ms")

    sparse = sparse_transcript(figures["whisper_segments"])
    estimated = estimate_times(sparse)
    figures["estimated_turns"] = len(estimated.estimated)
    figures["estimate_s"] = best(lambda: estimate_times(sparse))
    print(f"estimated times: {figures['estimated_turns']:,} of {len(sparse.turns):,} turns in "
          f"{figures['estimate_s'] * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        recording = Path(tmp) / "recording.m4a"
        with recording.open("wb") as out:
            for _ in range(opts.recording_mb):
                out.write(os.urandom(1 << 20))
        figures["hash_s"] = best(lambda: file_sha256(recording))
        figures["hash_mb_per_s"] = opts.recording_mb / figures["hash_s"]
        print(f"hashing a {opts.recording_mb} MB recording: {figures['hash_s']:.2f} s "
              f"({figures['hash_mb_per_s']:.0f} MB/s)")

        tree = Path(tmp) / "tree"
        for i in range(opts.files):
            folder = tree / f"d{i % 40}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"f{i}.wav").write_bytes(os.urandom(64 + i % 512))
        source = Path(tmp) / "T1.txt"
        source.write_text("Interviewer: Hello?\n\nP01: Hello.\n", encoding="utf-8")
        with Project.create(Path(tmp) / "bench.qualcode") as project:
            project.transcripts.import_transcript(source)
            project.media.link("T1", recording)
            runs = []
            for run in range(3):  # each run moves the recording somewhere new, then finds it
                moved = tree / f"d{run}" / f"moved{run}.m4a"
                recording.rename(moved)
                recording = moved
                started = time.perf_counter()
                (found,) = project.media.relink(tree)
                runs.append(time.perf_counter() - started)
                assert found.state == "ok"
        figures["relink_s"] = min(runs)
        print(f"relink: found the moved recording among {opts.files:,} files in {figures['relink_s']:.2f} s "
              "(only files of its size are hashed)")
    return figures


if __name__ == "__main__":
    main()
