"""The study design: participants and their attributes, waves and attendance, coders,
time points per wave and role, and the study facts a methods appendix reports."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from ..context import Service
from ..errors import NotFoundError, QualcodeError
from ..model import (
    ALL_ROLES,
    ATTENDANCE,
    FACTS,
    INTERVIEWER_FIELDS,
    PARTICIPANT_FIELDS,
    RESERVED_FILTER_NAMES,
    AttributeType,
    check_choice,
    check_date,
    check_pid,
)
from ..records import Participant, Wave
from ..records.study import Coder, Interviewer, StudyFacts
from ..store import study as store_study
from ..store import transcripts as store_tx
from . import attributes as _attributes
from .facts import (
    DURATIONS_KEY,
    FACTS_KEY,
    INTERVIEWERS_KEY,
    MAX_STUDY_FILE,
    TIME_POINTS_KEY,
    clean_text,
    load_setting,
    time_point,
)


class StudyService(Service):
    """Participants, waves, attendance, coders, time points and study facts."""

    def set_default_coder(self, name: str) -> None:
        with self.action("setting", f"default coder is {name}"):
            store_study.set_setting(self.db, "default_coder", name)

    def coders(self) -> list[Coder]:
        """Everyone who codes, by name, with how many codings are theirs."""
        return [Coder(**row) for row in store_study.list_coders(self.db)]

    # --- participants ----------------------------------------------------------------

    def add_participant(
        self,
        pid: str,
        *,
        role: str | None = None,
        site: str | None = None,
        pseudonym: str | None = None,
        attributes: Mapping[str, str] | None = None,
    ) -> Participant:
        pid = check_pid(pid)
        with self.action("participant.add", f"added participant {pid}"):
            participant_id = store_study.add_participant(
                self.db, pid, pseudonym=pseudonym, role=role, site=site
            )
            for key, value in (attributes or {}).items():
                self._set_one(participant_id, pid, key, value, wave_id=None)
        return self.participant(pid)

    def participants(self) -> list[Participant]:
        return store_study.participant_records(self.db)

    def participant(self, pid: str) -> Participant:
        row = store_study.participant_row(self.db, pid)
        for person in store_study.participant_records(self.db):
            if person.id == row["id"]:
                return person
        raise NotFoundError(f"no participant with id {pid!r}")  # pragma: no cover

    def set_participant(
        self, pid: str, values: Mapping[str, str | None], *, wave: str | None = None
    ) -> Participant:
        """Set fields (pseudonym, role, site) and attributes; with ``wave``, attributes
        that vary by wave."""
        if not values:
            raise QualcodeError("nothing to set: give key=value pairs")
        row = store_study.participant_row(self.db, pid)
        wave_id = store_study.wave_row(self.db, wave)["id"] if wave else None
        summary = ", ".join(f"{k}={v}" for k, v in values.items())
        with self.action("participant.set", f"{pid}{' at ' + wave if wave else ''}: {summary}"):
            for key, value in values.items():
                self._set_one(row["id"], pid, key, value, wave_id=wave_id)
        return self.participant(pid)

    def _set_one(
        self, participant_id: int, pid: str, key: str, value: str | None, *, wave_id: int | None
    ) -> None:
        key = key.strip()
        if not key:
            raise QualcodeError(f"attribute name for {pid} is empty")
        value = None if value is None or value == "" else value
        declared = store_study.attribute_types(self.db).get(key)
        if declared is not None and value is not None:
            try:
                value = declared.normalise(value)
            except QualcodeError as error:
                raise QualcodeError(f"{pid}: {error}") from None
        if key in PARTICIPANT_FIELDS:
            if wave_id is not None:
                raise QualcodeError(f"{key} is fixed for a participant; it cannot vary by wave")
            store_study.update_participant(self.db, pid, **{key: value})
        elif wave_id is None:
            store_study.set_attribute(self.db, participant_id, key, value)
        else:
            store_study.set_wave_attribute(self.db, participant_id, wave_id, key, value)

    # --- declared attribute types ---------------------------------------------------

    def attribute_types(self) -> dict[str, AttributeType]:
        """Declared types by attribute name; an attribute not listed is text."""
        return store_study.attribute_types(self.db)

    def declare_attribute(
        self, key: str, kind: str, values: tuple[str, ...] | list[str] = (),
        description: str | None = None,
    ) -> AttributeType:
        """Declare (or redeclare) the type of attribute ``key``. Every value already
        stored must fit the type; the first that does not is named and nothing is
        written. Values are rewritten in the type's one spelling (``7.0`` -> ``7``)."""
        key = key.strip()
        if not key:
            raise QualcodeError("attribute name is empty")
        if key in PARTICIPANT_FIELDS or key in RESERVED_FILTER_NAMES:
            raise QualcodeError(f"{key!r} is a field of every participant or coding, "
                                "not an attribute that can be declared")
        declared = AttributeType(key, kind, tuple(v.strip() for v in values), description)
        with self.action("attribute.declare", f"attribute {key} is {kind}"):
            rewrites: dict[str, str] = {}
            for pid, wave, value in store_study.attribute_values(self.db, key):
                if value is None:
                    continue
                try:
                    rewrites[value] = declared.normalise(value)
                except QualcodeError as error:
                    at = f" at {wave}" if wave else ""
                    raise QualcodeError(f"cannot declare {key} as {kind}: {pid}{at}: {error}") from None
            for old, new in rewrites.items():
                if old != new:
                    store_study.set_attribute_text(self.db, key, old, new)
            store_study.declare_attribute(self.db, declared)
        return declared

    def forget_attribute_type(self, key: str) -> None:
        """Make ``key`` an undeclared (text) attribute again; its values stay."""
        with self.action("attribute.forget", f"attribute {key} is text again"):
            if not store_study.forget_attribute_type(self.db, key):
                raise NotFoundError(f"attribute {key!r} has no declared type")

    # --- waves and attendance --------------------------------------------------------

    def add_wave(
        self,
        label: str,
        *,
        order: int | None = None,
        start: str | None = None,
        end: str | None = None,
        description: str | None = None,
    ) -> Wave:
        label = (label or "").strip()
        if not label:
            raise QualcodeError("wave label is empty")
        start, end = check_date(start, "start date"), check_date(end, "end date")
        if start and end and end < start:
            raise QualcodeError(f"wave {label}: end date {end} is before start date {start}")
        with self.action("wave.add", f"added wave {label}"):
            store_study.add_wave(
                self.db, label, ordinal=order, start_date=start, end_date=end,
                description=description,
            )
        return self.wave(label)

    def waves(self) -> list[Wave]:
        """Waves in order, each with its ``time_points`` ({role or "*": label})."""
        return store_study.wave_records(self.db, self.time_points())

    def wave(self, label: str) -> Wave:
        return Wave(**store_study.wave_row(self.db, label),
                    time_points=dict(self.time_points().get(label, {})))

    def set_attendance(self, pid: str, wave: str, status: str, note: str | None = None) -> None:
        check_choice(status, ATTENDANCE, "attendance")
        participant = store_study.participant_row(self.db, pid)
        wave_row = store_study.wave_row(self.db, wave)
        with self.action("attendance.set", f"{pid} at {wave}: {status}"):
            store_study.set_attendance(self.db, participant["id"], wave_row["id"], status, note)

    def attendance(self) -> list[tuple[str, str, str]]:
        """(participant pid, wave label, status) for every recorded attendance cell."""
        return [(row[0], row[1], row[2]) for row in store_study.attendance_rows(self.db)]

    # --- time points -----------------------------------------------------------------

    def time_points(self) -> dict[str, dict[str, str]]:
        """{wave label: {role or "*": label}}."""
        return load_setting(self.db, TIME_POINTS_KEY, {})

    def set_time_point(self, wave: str, label: str | None, *, role: str | None = None) -> None:
        """Cite ``wave`` as ``label`` for participants of ``role`` (every role when None);
        an empty label removes it."""
        store_study.wave_row(self.db, wave)  # NotFoundError names the wave
        label = clean_text(label)
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

    def study_facts(self) -> StudyFacts:
        """The study facts ({key: text}) and the interviewers, as stored."""
        return StudyFacts(load_setting(self.db, FACTS_KEY, {}),
                          tuple(Interviewer.from_stored(p) for p in load_setting(self.db, INTERVIEWERS_KEY, [])))

    def set_study_facts(self, values: Mapping[str, object]) -> StudyFacts:
        """Set study facts (keys of :data:`FACTS`); an empty value removes one."""
        if not values:
            raise QualcodeError("nothing to set: give KEY=VALUE pairs")
        facts = load_setting(self.db, FACTS_KEY, {})
        for key, value in values.items():
            if key not in FACTS:
                raise QualcodeError(f"{key!r} is not a study fact; known: {', '.join(FACTS)}")
            value = clean_text(value)
            if value:
                facts[key] = value
            else:
                facts.pop(key, None)
        with self.action("study.facts", "study facts: " + ", ".join(values)):
            store_study.set_setting(self.db, FACTS_KEY, json.dumps(facts, ensure_ascii=False))
        return self.study_facts()

    def set_interviewer(self, name: str, **fields: object) -> Interviewer:
        """Add an interviewer or facilitator, or change their fields (keys of
        :data:`INTERVIEWER_FIELDS`)."""
        cleaned = clean_text(name)
        if not cleaned:
            raise QualcodeError("interviewer name is empty")
        name = cleaned
        for key in fields:
            if key not in INTERVIEWER_FIELDS:
                raise QualcodeError(f"{key!r} is not an interviewer field; known: "
                                    f"{', '.join(INTERVIEWER_FIELDS)}")
        people = load_setting(self.db, INTERVIEWERS_KEY, [])
        person = next((p for p in people if p["name"] == name), None)
        if person is None:
            person = {"name": name}
            people.append(person)
        for key, value in fields.items():
            value = clean_text(value)
            if value:
                person[key] = value
            else:
                person.pop(key, None)
        with self.action("study.interviewer", f"interviewer {name}"):
            store_study.set_setting(self.db, INTERVIEWERS_KEY, json.dumps(people, ensure_ascii=False))
        return Interviewer.from_stored(person)

    def remove_interviewer(self, name: str) -> None:
        people = load_setting(self.db, INTERVIEWERS_KEY, [])
        kept = [p for p in people if p["name"] != name]
        if len(kept) == len(people):
            raise QualcodeError(f"no interviewer named {name!r}")
        with self.action("study.interviewer", f"removed interviewer {name}"):
            store_study.set_setting(self.db, INTERVIEWERS_KEY, json.dumps(kept, ensure_ascii=False))

    def durations(self) -> dict[str, float]:
        """Recorded durations in minutes, by transcript name (from the recording, not
        from timestamps)."""
        return load_setting(self.db, DURATIONS_KEY, {})

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

    attribute_summary = _attributes.attribute_summary
    attribute_list = _attributes.attribute_list

    def load_study_file(self, path: str | Path) -> StudyFacts:
        """Read a YAML study file: ``facts`` (KEY: text), ``interviewers`` (a list of
        {name, credentials, ...}) and ``time_points`` ({WAVE: {ROLE or "*": label}}).
        Everything is checked before anything is stored; each part is one action."""
        from ..yaml_input import load_yaml_file

        path = Path(path)
        # The one YAML door: no anchors or aliases, bounded size and depth; the open
        # project itself is refused before it is read.
        data = load_yaml_file(path, "study file", max_bytes=MAX_STUDY_FILE)
        if not isinstance(data, dict):
            raise QualcodeError(f"{path.name}: a study file is a mapping of facts, interviewers, time_points")
        unknown = set(data) - {"facts", "interviewers", "time_points", "durations", "attributes"}
        if unknown:
            raise QualcodeError(f"{path.name}: unknown section {sorted(unknown)[0]!r} "
                                "(known: facts, interviewers, time_points, durations, attributes)")
        declarations = _attributes.read_declarations(path.name, data.get("attributes") or {})
        _attributes.check_stored_values(self.db, path.name, declarations)
        durations = data.get("durations") or {}
        if not isinstance(durations, dict):
            raise QualcodeError(f"{path.name}: durations map transcript names to minutes")
        known_transcripts = {t["name"] for t in store_tx.list_transcripts(self.db)}
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
        known_waves = {w.label for w in self.waves()}
        for wave, roles in points.items():
            if str(wave) not in known_waves:
                raise QualcodeError(f"{path.name}: no wave labelled {wave!r}")
            if not isinstance(roles, dict):
                raise QualcodeError(f"{path.name}: time_points.{wave} maps roles to labels")
        for declared in declarations:
            self.declare_attribute(declared.key, declared.kind, declared.values, declared.description)
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
