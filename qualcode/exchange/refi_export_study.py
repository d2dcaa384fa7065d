"""REFI-QDA out: the study design: ``Users``, ``Variables`` and ``Cases``, ``Sets``.

* ``Users``: the coders, with their GUIDs, by name;
* ``Variables`` and ``Cases``: each participant is a Case (GUID kept, ``name`` = the
  participant id) whose VariableValues are its pseudonym, role, site and attributes;
  attributes that vary by wave are variables named ``KEY [WAVE]``, and attendance
  (interviewed, missed, withdrawn, not yet) variables named ``Attendance [WAVE]``. A
  Case lists its transcripts with ``SourceRef``. The wave, kind and date of a
  transcript are variables too, whose values the sources carry;
* ``Sets``: one per wave, with ``MemberSource`` for its transcripts (never an empty
  ``<Sets/>``, which the schema forbids).
"""

from __future__ import annotations

from collections import defaultdict

from ..store import study as store_study
from .refi_export_context import ExportContext, element, sub
from .refi_vocabulary import (
    ATTENDANCE_MARK,
    SOURCE_VARIABLE_MARK,
    SOURCE_VARIABLES,
    WAVE_ATTRIBUTE_MARK,
    WAVE_MARK,
    stable_guid,
)

# A case variable: ("field", key), ("attribute", key), ("wave", wave, key) or
# ("attendance", wave); it becomes (guid, name, description).
CaseVariable = tuple[str, ...]
_FIELDS = ("pseudonym", "role", "site")


def write_users(ctx: ExportContext) -> None:
    if not ctx.coders:
        return
    with ctx.xml.open("Users"):
        for coder in sorted(ctx.coders.values(), key=lambda c: c.name):
            ctx.xml.leaf("User", {"guid": coder.guid, "name": coder.name})
    ctx.counts.users = len(ctx.coders)


def value_element(variable_guid: str, value: str | None, type_: str = "Text") -> object:
    """A ``VariableValue``; without a value it means "not set", as the schema allows."""
    built = element("VariableValue")
    sub(built, "VariableRef", {"targetGUID": variable_guid})
    if value is not None:
        sub(built, {"Text": "TextValue", "Date": "DateValue"}[type_], text=value)
    return built


def source_variable_guid(ctx: ExportContext, key: str) -> str:
    return stable_guid(ctx.project_guid, "source-variable", key)


def used_source_variables(ctx: ExportContext) -> list[str]:
    """Which of wave, kind and date any transcript has (those get a variable)."""
    column = {"wave": "wave_id", "kind": "kind", "date": "date"}
    return [key for key in ("wave", "kind", "date")
            if any(getattr(t, column[key]) is not None for t in ctx.transcripts)]


def _attendance(ctx: ExportContext) -> dict[str, list[tuple[str, str]]]:
    """(wave, status) by participant id: attendance has no REFI field either, so each wave
    is a variable, which other programs show as a case attribute."""
    result: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pid, wave, status in store_study.attendance_rows(ctx.db):
        result[pid].append((wave, status))
    return result


def case_variables(ctx: ExportContext,
                   attendance: dict[str, list[tuple[str, str]]]) -> dict[CaseVariable, tuple[str, str, str | None]]:
    """Every variable a case uses, in the order first met: key -> (guid, name, description)."""
    specs: dict[CaseVariable, None] = {}
    for person in ctx.participants:
        for key in _FIELDS:
            if person[key] is not None:
                specs[("field", key)] = None
        for key in person["attributes"]:
            specs[("attribute", key)] = None
        for wave, values in person["wave_attributes"].items():
            for key in values:
                specs[("wave", wave, key)] = None
    for rows in attendance.values():
        for wave, _status in rows:
            specs[("attendance", wave)] = None
    result = {}
    for spec in specs:
        if spec[0] == "wave":
            name = f"{spec[2]} [{spec[1]}]"
            description: str | None = f"{WAVE_ATTRIBUTE_MARK}\nattribute: {spec[2]}\nwave: {spec[1]}"
        elif spec[0] == "attendance":
            name, description = f"Attendance [{spec[1]}]", f"{ATTENDANCE_MARK}\nwave: {spec[1]}"
        else:
            name, description = spec[-1], None
        result[spec] = (stable_guid(ctx.project_guid, "case-variable", *spec), name, description)
    return result


def write_variables_and_cases(ctx: ExportContext) -> None:
    attendance = _attendance(ctx)
    variables = case_variables(ctx, attendance)
    source_keys = used_source_variables(ctx)
    if variables or source_keys:
        with ctx.xml.open("Variables"):
            for guid, name, description in variables.values():
                built = element("Variable", {"guid": guid, "name": name, "typeOfVariable": "Text"})
                if description:
                    sub(built, "Description", text=description)
                ctx.xml.write(built)
            for key in source_keys:
                name, type_ = SOURCE_VARIABLES[key]
                built = element("Variable", {"guid": source_variable_guid(ctx, key), "name": name,
                                             "typeOfVariable": type_})
                sub(built, "Description", text=SOURCE_VARIABLE_MARK + key)
                ctx.xml.write(built)
    if ctx.participants:
        _write_cases(ctx, variables, attendance)
    ctx.counts.participants = len(ctx.participants)


def _write_cases(ctx: ExportContext, variables: dict[CaseVariable, tuple[str, str, str | None]],
                 attendance: dict[str, list[tuple[str, str]]]) -> None:
    sources_of: dict[int, list[str]] = defaultdict(list)
    for t in ctx.transcripts:
        if t.participant_id is not None:
            sources_of[t.participant_id].append(t.guid)
    with ctx.xml.open("Cases"):
        for person in ctx.participants:
            case = element("Case", {"guid": person["guid"], "name": person["pid"]})
            for key in _FIELDS:
                if person[key] is not None:
                    case.append(value_element(variables[("field", key)][0], person[key]))
            for key, value in person["attributes"].items():
                case.append(value_element(variables[("attribute", key)][0], value))
            for wave, values in person["wave_attributes"].items():
                for key, value in values.items():
                    case.append(value_element(variables[("wave", wave, key)][0], value))
            for wave, status in attendance.get(person["pid"], []):
                case.append(value_element(variables[("attendance", wave)][0], status))
            for guid in sources_of.get(person["id"], []):
                sub(case, "SourceRef", {"targetGUID": guid})
            ctx.xml.write(case)


def wave_description(ctx: ExportContext, wave: dict) -> str:
    """Order, dates, time points and description of a wave, as our import reads them back."""
    lines = [WAVE_MARK, f"order: {wave['ordinal']}"]
    for key in ("start_date", "end_date"):
        if wave[key]:
            lines.append(f"{key.replace('_date', '')}: {wave[key]}")
    for role, label in sorted(ctx.time_points.get(wave["label"], {}).items()):
        lines.append(f"time point [{role}]: {' '.join(label.split())}")
    if wave["description"]:
        lines.append(f"description: {wave['description']}")
    return "\n".join(lines)


def write_sets(ctx: ExportContext) -> None:
    if not ctx.waves:
        return
    with ctx.xml.open("Sets"):
        for wave in ctx.waves:
            built = element("Set", {"guid": wave["guid"], "name": wave["label"]})
            sub(built, "Description", text=wave_description(ctx, wave))
            for t in ctx.transcripts:
                if t.wave_id == wave["id"]:
                    sub(built, "MemberSource", {"targetGUID": t.guid})
            ctx.xml.write(built)
    ctx.counts.waves = len(ctx.waves)
