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
from collections.abc import Mapping
from pathlib import Path

from .errors import QualcodeError
from .store import study as store_study
from .store import transcripts as store_tx

FACTS = {
    # key: (COREQ item, what it is)
    "orientation": (9, "Methodological orientation and theory"),
    "sampling": (10, "How participants were selected"),
    "approach": (11, "How participants were approached"),
    "refusals": (13, "How many refused to take part, and why"),
    "setting": (14, "Where the data were collected"),
    "others_present": (15, "Anyone else present besides participants and researchers"),
    "interview_guide": (17, "Questions, prompts and guides; pilot testing"),
    "recording": (19, "Audio or visual recording"),
    "field_notes": (20, "Field notes made during or after the interviews"),
    "saturation": (22, "How data saturation was discussed"),
    "transcripts_returned": (23, "Transcripts returned to participants for comment"),
    "theme_derivation": (26, "Themes identified in advance or derived from the data"),
    "software": (27, "Software used besides qualcode"),
    "participant_checking": (28, "Participants' feedback on the findings"),
}
INTERVIEWER_FIELDS = {
    "credentials": (2, "Credentials"),
    "occupation": (3, "Occupation at the time of the study"),
    "gender": (4, "Gender"),
    "experience": (5, "Experience and training"),
    "relationship": (6, "Relationship with participants before the study"),
    "known_to_participants": (7, "What the participants knew about the interviewer"),
    "characteristics": (8, "Characteristics reported: assumptions, reasons and interests"),
}
ALL_ROLES = "*"
FACTS_KEY, INTERVIEWERS_KEY, TIME_POINTS_KEY = "study.facts", "study.interviewers", "time_points"
DURATIONS_KEY = "study.durations"
MAX_STUDY_FILE = 1_000_000


def _load(project, key: str, default):
    raw = store_study.get_setting(project.db, key)
    if not raw:
        return default
    try:
        return json.loads(raw)
    except ValueError:  # pragma: no cover (only qualcode writes these settings)
        return default


def _clean(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise QualcodeError(f"{value!r} is not text")
    text = " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()
    return text or None


def _norm(word: str) -> str:
    return " ".join(word.replace("_", " ").replace("-", " ").casefold().split())


_ROLE_PART = re.compile(r"([^();]+?)\s*\(([^)]*)\)")


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


def time_point(wave: Mapping | None, role: str | None = None) -> str:
    """How ``wave`` is cited for a participant of ``role``: the label set for that role,
    else the wave's default, else what its description says for the role, else the
    wave's label."""
    if not wave:
        return ""
    points = wave.get("time_points") or {}
    if role and role in points:
        return points[role]
    if ALL_ROLES in points:
        return points[ALL_ROLES]
    return described_time_point(wave.get("description"), role) or wave.get("label") or ""


class StudyFactsMixin:
    """Study facts (methods appendix, COREQ) and time points per wave and role."""

    # --- time points -----------------------------------------------------------------

    def time_points(self) -> dict[str, dict[str, str]]:
        """{wave label: {role or "*": label}}."""
        return _load(self, TIME_POINTS_KEY, {})

    def set_time_point(self, wave: str, label: str | None, *, role: str | None = None) -> None:
        """Cite ``wave`` as ``label`` for participants of ``role`` (every role when None);
        an empty label removes it."""
        store_study.wave_row(self.db, wave)  # NotFoundError names the wave
        label = _clean(label)
        role = (role or "").strip() or ALL_ROLES
        points = self.time_points()
        if label:
            points.setdefault(wave, {})[role] = label
        else:
            points.get(wave, {}).pop(role, None)
            if not points.get(wave):
                points.pop(wave, None)
        who = "every role" if role == ALL_ROLES else role
        with self.action("wave.time_point", f"{wave} for {who}: {label or '(removed)'}"):
            store_study.set_setting(self.db, TIME_POINTS_KEY, json.dumps(points, ensure_ascii=False))

    def time_point(self, wave: str, role: str | None = None) -> str:
        return time_point(self.wave(wave), role)

    # --- study facts -----------------------------------------------------------------

    def study_facts(self) -> dict:
        """{"facts": {key: text}, "interviewers": [{name, credentials, ...}]}."""
        return {"facts": _load(self, FACTS_KEY, {}), "interviewers": _load(self, INTERVIEWERS_KEY, [])}

    def set_study_facts(self, values: Mapping[str, object]) -> dict:
        """Set study facts (keys of :data:`FACTS`); an empty value removes one."""
        if not values:
            raise QualcodeError("nothing to set: give KEY=VALUE pairs")
        facts = _load(self, FACTS_KEY, {})
        for key, value in values.items():
            if key not in FACTS:
                raise QualcodeError(f"{key!r} is not a study fact; known: {', '.join(FACTS)}")
            value = _clean(value)
            if value:
                facts[key] = value
            else:
                facts.pop(key, None)
        with self.action("study.facts", "study facts: " + ", ".join(values)):
            store_study.set_setting(self.db, FACTS_KEY, json.dumps(facts, ensure_ascii=False))
        return self.study_facts()

    def set_interviewer(self, name: str, **fields: object) -> dict:
        """Add an interviewer or facilitator, or change their fields (keys of
        :data:`INTERVIEWER_FIELDS`)."""
        name = _clean(name)
        if not name:
            raise QualcodeError("interviewer name is empty")
        for key in fields:
            if key not in INTERVIEWER_FIELDS:
                raise QualcodeError(f"{key!r} is not an interviewer field; known: "
                                    f"{', '.join(INTERVIEWER_FIELDS)}")
        people = _load(self, INTERVIEWERS_KEY, [])
        person = next((p for p in people if p["name"] == name), None)
        if person is None:
            person = {"name": name}
            people.append(person)
        for key, value in fields.items():
            value = _clean(value)
            if value:
                person[key] = value
            else:
                person.pop(key, None)
        with self.action("study.interviewer", f"interviewer {name}"):
            store_study.set_setting(self.db, INTERVIEWERS_KEY, json.dumps(people, ensure_ascii=False))
        return person

    def remove_interviewer(self, name: str) -> None:
        people = _load(self, INTERVIEWERS_KEY, [])
        kept = [p for p in people if p["name"] != name]
        if len(kept) == len(people):
            raise QualcodeError(f"no interviewer named {name!r}")
        with self.action("study.interviewer", f"removed interviewer {name}"):
            store_study.set_setting(self.db, INTERVIEWERS_KEY, json.dumps(kept, ensure_ascii=False))

    def durations(self) -> dict[str, float]:
        """Recorded durations in minutes, by transcript name (from the recording, not
        from timestamps)."""
        return _load(self, DURATIONS_KEY, {})

    def set_duration(self, transcript: str, minutes: float | None) -> None:
        """Record how long the interview or focus group of ``transcript`` lasted (None
        removes it)."""
        store_tx.transcript_row(self.db, transcript)  # NotFoundError names the transcript
        durations = self.durations()
        if minutes is None:
            durations.pop(transcript, None)
        else:
            try:
                minutes = float(minutes)
            except (TypeError, ValueError):
                raise QualcodeError(f"duration {minutes!r} is not a number of minutes") from None
            if not 0 < minutes < 24 * 60:
                raise QualcodeError(f"duration {minutes:g} minutes is not between 0 and 24 hours")
            durations[transcript] = minutes
        with self.action("study.duration", f"{transcript}: {minutes if minutes is not None else '(removed)'} minutes"):
            store_study.set_setting(self.db, DURATIONS_KEY, json.dumps(durations))

    def load_study_file(self, path: str | Path) -> dict:
        """Read a YAML study file: ``facts`` (KEY: text), ``interviewers`` (a list of
        {name, credentials, ...}) and ``time_points`` ({WAVE: {ROLE or "*": label}}).
        Everything is checked before anything is stored; each part is one action."""
        from .yaml_input import load_yaml_file

        path = Path(path)
        # The one YAML door: no anchors or aliases, bounded size and depth; the open
        # project itself is refused before it is read.
        data = load_yaml_file(path, "study file", max_bytes=MAX_STUDY_FILE)
        if not isinstance(data, dict):
            raise QualcodeError(f"{path.name}: a study file is a mapping of facts, interviewers, time_points")
        unknown = set(data) - {"facts", "interviewers", "time_points", "durations"}
        if unknown:
            raise QualcodeError(f"{path.name}: unknown section {sorted(unknown)[0]!r} "
                                "(known: facts, interviewers, time_points, durations)")
        durations = data.get("durations") or {}
        if not isinstance(durations, dict):
            raise QualcodeError(f"{path.name}: durations map transcript names to minutes")
        known_transcripts = {t["name"] for t in self.transcripts()}
        for name, minutes in durations.items():
            if str(name) not in known_transcripts:
                raise QualcodeError(f"{path.name}: no transcript named {name!r}")
            if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not 0 < minutes < 1440:
                raise QualcodeError(f"{path.name}: duration of {name} is not a number of minutes")
        facts = data.get("facts") or {}
        people = data.get("interviewers") or []
        points = data.get("time_points") or {}
        if not isinstance(facts, dict) or not isinstance(people, list) or not isinstance(points, dict):
            raise QualcodeError(f"{path.name}: facts and time_points are mappings, interviewers a list")
        for key in facts:
            if key not in FACTS:
                raise QualcodeError(f"{path.name}: {key!r} is not a study fact")
        for person in people:
            if not isinstance(person, dict) or not person.get("name"):
                raise QualcodeError(f"{path.name}: every interviewer needs a name")
            for key in set(person) - {"name"} - set(INTERVIEWER_FIELDS):
                raise QualcodeError(f"{path.name}: {key!r} is not an interviewer field")
        known_waves = {w["label"] for w in self.waves()}
        for wave, roles in points.items():
            if str(wave) not in known_waves:
                raise QualcodeError(f"{path.name}: no wave labelled {wave!r}")
            if not isinstance(roles, dict):
                raise QualcodeError(f"{path.name}: time_points.{wave} maps roles to labels")
        if facts:
            self.set_study_facts(facts)
        for person in people:
            self.set_interviewer(str(person["name"]), **{k: v for k, v in person.items() if k != "name"})
        for wave, roles in points.items():
            for role, label in roles.items():
                self.set_time_point(str(wave), label, role=None if role == ALL_ROLES else str(role))
        for name, minutes in durations.items():
            self.set_duration(str(name), minutes)
        return self.study_facts()
