"""A cache of the qc peer's slow measurements (its crosstab takes about 15 minutes at the
medium size), so that repeated benchmark runs measure qualcode fresh each time and reuse
qc's figure.

A figure is reused only for the same qc version, the same size, the same generated study
(the generator's whole spec, seed included) and the same machine (host name, processor
model and core count); anything else is a miss and qc is measured again.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import time
from pathlib import Path


def machine() -> dict:
    """What identifies the machine a figure was measured on."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"host": platform.node(), "processor": model, "cpus": os.cpu_count()}


def cache_key(operation: str, qc_version: str, size: str, spec: dict, host: dict) -> str:
    """The key of one cached figure: every input that changes qc's time is in it."""
    material = json.dumps({"operation": operation, "qc": qc_version, "size": size,
                           "spec": spec, "machine": host}, sort_keys=True)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:24]


class PeerCache:
    """Figures in one JSON file: key -> {"wall", "rss_mb", "measured_at", ...}."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def get(self, key: str) -> dict | None:
        entry = self._read().get(key)
        return entry if isinstance(entry, dict) and "wall" in entry else None

    def put(self, key: str, figure: dict, *, now: float | None = None) -> dict:
        entry = {**figure, "measured_at": time.strftime(
            "%Y-%m-%d %H:%M UTC", time.gmtime(time.time() if now is None else now))}
        entries = self._read()
        entries[key] = entry
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(entries, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(self.path)
        return entry
