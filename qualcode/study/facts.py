"""Study facts a methods appendix reports, and time points per wave and role.

Study facts are what a reporting checklist (COREQ) asks and the data cannot tell: who
interviewed, their credentials and relationship to the participants, the setting,
recording, field notes, the interview guide, whether transcripts were returned and
findings checked with participants, the methodological orientation, sampling and
approach, the software. They are settings of the project (``study.facts``,
``study.interviewers``: JSON), so setting them is an undoable action like any other,
and they travel with the file.

Time points: a wave means different things to different roles (the managers' first
wave is the service's start-up, the clients' the start of their support). A wave can
carry a label per role, and a default (``*``); :func:`time_point` says how a wave is
cited for someone of a role.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from ..errors import QualcodeError
from ..model import ALL_ROLES
from ..records import Wave
from ..store import study as store_study
from ..store.connection import Database

FACTS_KEY, INTERVIEWERS_KEY, TIME_POINTS_KEY = "study.facts", "study.interviewers", "time_points"
DURATIONS_KEY = "study.durations"
MAX_STUDY_FILE = 1_000_000


def load_setting(db: Database, key: str, default: Any) -> Any:
    """A JSON setting of the study, or ``default``."""
    raw = store_study.get_setting(db, key)
    if not raw:
        return default
    try:
        return json.loads(raw)
    except ValueError:  # pragma: no cover (only qualcode writes these settings)
        return default


def clean_text(value: object) -> str | None:
    """Text as a study fact keeps it: one line trimmed, or paragraphs; None for nothing."""
    if value is None:
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise QualcodeError(f"{value!r} is not text")
    text = " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()
    return text or None


def _norm(word: str) -> str:
    return " ".join(word.replace("_", " ").replace("-", " ").casefold().split())


_ROLE_PART = re.compile(r"([^();]+?)\s*\(([^)]*)\)")


@lru_cache(maxsize=1024)  # the exports cite thousands of passages from a few waves and roles
def described_time_point(description: str | None, role: str | None) -> str | None:
    """The part of a wave's description that names ``role``: "Baseline (clients) and
    service start-up (managers)" gives "Baseline" for client and "Service start-up" for
    manager. Text outside any "(roles)" is for the roles not named ("Baseline (clients)
    and start-up" gives "Start-up" to a manager); None when there is none. A
    description that names no role gives its first clause."""
    description = (description or "").strip()
    if not description:
        return None
    parts = list(_ROLE_PART.finditer(description))
    if not parts:
        first = description.split(";")[0].split(",")[0].strip()
        return first or None
    if role:
        wanted = _norm(role)
        for part in parts:
            names = re.split(r",|/|\band\b", part.group(2))
            if any(_norm(n) in (wanted, wanted + "s", wanted + "es") for n in names if n.strip()):
                return _capital(part.group(1))
    rest = " ".join(_ROLE_PART.sub(" ", description).split())
    return _capital(rest)


def _capital(text: str) -> str | None:
    text = re.sub(r"^(and|or)\s+", "", text.strip(" ,;"), flags=re.I).strip(" ,;")
    return text[:1].upper() + text[1:] if text else None


def time_point(wave: Wave | None, role: str | None = None) -> str:
    """How ``wave`` is cited for a participant of ``role``: the label set for that role,
    else the wave's default, else what its description says for the role, else the
    wave's label."""
    if not wave:
        return ""
    points = wave.time_points
    if role and role in points:
        return points[role]
    if ALL_ROLES in points:
        return points[ALL_ROLES]
    return described_time_point(wave.description, role) or wave.label
