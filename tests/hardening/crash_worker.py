"""A scripted coding session, run in a subprocess that the test kills at random.

After each action has returned (so it is committed) the worker prints one line
describing it; the test then checks that every reported action is in the project and
that nothing half-done is visible. Usage: crash_worker.py PROJECT SEED
"""

from __future__ import annotations

import random
import sys

from qualcode import Project, QualcodeError
from qualcode.records import MemoLink


def main(path: str, seed: int) -> None:
    rng = random.Random(seed)
    with Project.open(path) as project:
        project.coder = f"worker{seed % 3}"
        text_len = project.transcripts.get("P01_W1").char_count
        print("ready", flush=True)
        n = 0
        while True:
            n += 1
            kind = rng.choice(("tag", "tag", "batch", "merge", "memo"))
            if kind in ("tag", "batch"):
                spans = []
                for _ in range(1 if kind == "tag" else 50):
                    start = rng.randrange(0, text_len - 5)
                    spans.append(("P01_W1", rng.choice(("Alpha", "Beta")), start,
                                  min(text_len, start + rng.randrange(1, 200))))
                try:
                    created = project.coding.apply_spans(spans, summary=f"{kind} {n}")
                except QualcodeError:
                    continue  # every span already coded: refused, nothing happened
                for coding in created:
                    print(f"coding {coding.guid}", flush=True)
            elif kind == "merge":
                name = f"temp {seed}-{n}"
                project.codebook.add_code(name)
                start = rng.randrange(0, text_len - 50)
                project.coding.apply_spans([("P01_W1", name, start + i, start + i + 20) for i in range(25)],
                                    summary=f"temp codings {n}")
                source_guid = project.codebook.code(name).guid
                project.codebook.merge_codes(name, "Alpha")
                print(f"merge {source_guid}", flush=True)
            else:
                memo = project.memos.add("theoretical", f"memo {seed}-{n}", "x" * rng.randrange(10, 5000),
                                        links=[MemoLink("code", "Alpha"), MemoLink("participant", "P01")])
                print(f"memo {memo.guid}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
