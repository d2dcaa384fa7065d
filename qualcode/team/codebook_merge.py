"""Merging another codebook into this project's, through a plan people can edit.

Matching, for each incoming code: by GUID, then by exact name (case and spacing
ignored), then fuzzily. Fuzzy matching compares names normalised for case,
punctuation, simple plurals and word order (rapidfuzz ``token_set_ratio``, so "GP
referral", "GP referrals" and "referral from GP" meet), with the definitions as a
second signal (a fifth of the score when both codes have one). Every incoming code
gets a status: ``guid``, ``name``, ``fuzzy``, ``ambiguous`` (several candidates above
the threshold), ``new``, or ``conflict`` (matched, but its definition or parent
differs), and a proposed action. Fuzzy and ambiguous matches are proposed as
``review``: nothing is merged on a guess, the team decides in the plan file
(``map`` to a code, ``add`` as new, ``rename`` and add, or ``reject``) and applies it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from .. import outputs
from ..errors import InputError, QualcodeError
from ..records import json_data
from ..records.codes import CodebookMergePlan, MergeCandidate, MergeDecision, MergeIncoming
from ..store import codes as store_codes
from ..yaml_input import load_yaml_file, shown

PLAN_FORMAT = CodebookMergePlan.FORMAT
ACTIONS = ("map", "add", "rename", "reject", "review")
DEFINITION_CHOICES = ("keep", "theirs", "both")


@dataclass
class IncomingCode:
    guid: str
    name: str
    parent: str | None  # the incoming parent's GUID
    parent_name: str | None
    fields: dict = field(default_factory=dict)


def _words(name: str) -> list[str]:
    words = re.findall(r"\w+", name.casefold())
    out = []
    for w in words:
        if len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return out


def normalise_name(name: str) -> str:
    return " ".join(sorted(_words(name)))


def similarity(a_name: str, b_name: str, a_def: str | None = None, b_def: str | None = None) -> float:
    name_score = fuzz.token_set_ratio(normalise_name(a_name), normalise_name(b_name))
    if a_def and b_def:
        return 0.8 * name_score + 0.2 * fuzz.token_set_ratio(a_def.casefold(), b_def.casefold())
    return float(name_score)


def codebook_of(db, path: Path) -> list[IncomingCode]:
    """The codes of another project's database (an untrusted copy), checked, as
    incoming codes."""
    from ..coding.codebook import CodebookService
    from ..context import ProjectContext
    from ..store import merge as store_merge
    from .merge_checks import check_codes

    check_codes(path, store_merge.codes(db))

    # The codebook's reading, on the copy's connection, as the plain data a codebook
    # file gives (keywords as lists), which _from_tree reads.
    return _from_tree(json_data(CodebookService(ProjectContext(db, path)).tree()))


def incoming_from_project(path: Path) -> list[IncomingCode]:
    from ..store.untrusted import open_untrusted_copy

    with open_untrusted_copy(path) as db:  # someone else's file: never opened in place
        return codebook_of(db, path)


def incoming_from_file(path: Path) -> list[IncomingCode]:
    if path.suffix.lower() == ".qdc":
        from ..exchange.refi_qdc import read_qdc

        tree = read_qdc(path)["codes"]
    else:
        from ..coding.codebook_file import read_codebook_file

        tree = read_codebook_file(path)["codes"]
    return _from_tree(tree)


def _from_tree(tree: list[dict]) -> list[IncomingCode]:
    import uuid

    result: list[IncomingCode] = []

    def walk(nodes, parent_guid, parent_name):
        for node in nodes:
            guid = str(node.get("guid") or uuid.uuid5(uuid.NAMESPACE_URL, f"name:{node['name']}"))
            keywords = node.get("keywords") or []
            fields = {
                "definition": node.get("definition"), "inclusion": node.get("inclusion"),
                "exclusion": node.get("exclusion"), "example": node.get("example"),
                "colour": node.get("colour") or node.get("color"), "stage": node.get("stage"),
                "keywords": keywords,
                "category": bool(node.get("is_category") or node.get("category")),
                "codable": bool(node.get("codable", True)),
                "in_vivo": bool(node.get("in_vivo")),
            }
            result.append(IncomingCode(guid, " ".join(str(node["name"]).split()), parent_guid,
                                       parent_name, fields))
            walk(node.get("children") or [], guid, node["name"])

    walk(tree, None, None)
    return result


def read_incoming(path: str | Path) -> list[IncomingCode]:
    path = Path(path)
    if not path.exists():
        raise InputError(path, "does not exist")
    if path.suffix.lower() == ".qualcode":
        return incoming_from_project(path)
    return incoming_from_file(path)


def _definition_text(definition: str | None) -> str:
    return " ".join((definition or "").split()).casefold()


def build_plan(project, sources: list[str | Path], threshold: float = 85.0, *,
               loaded: dict[str, list[IncomingCode]] | None = None) -> CodebookMergePlan:
    """Compare every incoming code with this project's codebook; return the plan.
    ``loaded``: the incoming codes of sources already read, by source."""
    if not 0 < threshold <= 100:
        raise QualcodeError("threshold must be between 0 and 100")
    live = project.codebook.codes()
    by_guid = {c.guid.lower(): c for c in live}
    merged_guid = store_codes.merged_into_by_guid(project.db)
    by_name = {" ".join(c.name.split()).casefold(): c for c in live}
    decisions = []
    for source in sources:
        already = (loaded or {}).get(str(source))
        for inc in already if already is not None else read_incoming(source):
            decisions.append(_decide(inc, Path(source).name, live, by_guid, merged_guid, by_name,
                                     threshold))
    return CodebookMergePlan(threshold=threshold, sources=tuple(Path(s).name for s in sources),
                             decisions=tuple(decisions))


def _decide(inc: IncomingCode, source: str, live, by_guid, merged_guid, by_name,
            threshold: float) -> MergeDecision:
    """The proposed decision for one incoming code (see the module's docstring)."""
    incoming = MergeIncoming(inc.name, inc.guid, inc.parent_name)
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in inc.fields.items()
              if v not in (None, [], "")}
    target = by_guid.get(inc.guid.lower())
    how = "guid" if target else None
    if target is None and inc.guid.lower() in merged_guid:
        target, how = by_name.get(merged_guid[inc.guid.lower()].casefold()), "guid"
    if target is None:
        target = by_name.get(inc.name.casefold())
        how = "name" if target else None
    if target is not None:
        conflicts = []
        theirs = inc.fields.get("definition")
        if theirs and _definition_text(theirs) != _definition_text(target.definition):
            conflicts.append("definition")
        if (inc.parent_name or None) != (target.parent or None):
            conflicts.append("parent")
        return MergeDecision(source, incoming, fields, inc.parent,
                             status="conflict" if conflicts else how, matched_by=how,
                             conflicts=tuple(conflicts), action="map", target=target.name,
                             definition="keep" if "definition" in conflicts else None)
    scored = sorted(
        ((similarity(inc.name, c.name, inc.fields.get("definition"), c.definition), c.name)
         for c in live if c.codable or not inc.fields.get("codable", True)),
        reverse=True)
    above = [MergeCandidate(n, round(s, 1)) for s, n in scored if s >= threshold]
    if len(above) == 1:
        return MergeDecision(source, incoming, fields, inc.parent, status="fuzzy",
                             action="review", target=above[0].name, candidates=tuple(above))
    if len(above) > 1:
        return MergeDecision(source, incoming, fields, inc.parent, status="ambiguous",
                             action="review", target=None, candidates=tuple(above[:5]))
    return MergeDecision(source, incoming, fields, inc.parent, status="new", action="add")


def summarise(plan: CodebookMergePlan) -> dict[str, int]:
    return plan.counts()


def write_plan(plan: CodebookMergePlan, path: str | Path) -> Path:
    path = Path(path)
    header = (
        "# Codebook merge plan. For each incoming code set `action` to one of:\n"
        "#   map     merge it into the code named in `target`\n"
        "#   add     add it as a new code (under its parent's counterpart)\n"
        "#   rename  add it as a new code called `new_name`\n"
        "#   reject  leave it out\n"
        "# `review` marks fuzzy and ambiguous matches: decide them before applying.\n"
        "# On a definition conflict, `definition` is keep (ours), theirs, or both.\n"
    )
    return outputs.write_text(path, header + yaml.safe_dump(plan.to_dict(), sort_keys=False,
                                                            allow_unicode=True, width=100))


# What a decision's ``fields`` may hold, and of which type (checked before use).
_PLAN_TEXT_FIELDS = ("definition", "inclusion", "exclusion", "example", "colour", "stage")
_PLAN_FLAG_FIELDS = ("category", "codable", "in_vivo")


def read_plan(path: str | Path) -> CodebookMergePlan:
    """A reviewed plan file, every value's type checked before anything uses (or
    formats) it; GUIDs come back in their canonical form."""
    path = Path(path)
    plan = load_yaml_file(path, "merge plan")
    if not isinstance(plan, dict) or plan.get("format") != PLAN_FORMAT:
        raise InputError(path, "is not a qualcode merge plan")
    decisions = plan.get("decisions")
    if decisions is None:
        plan["decisions"] = decisions = []
    if not isinstance(decisions, list):
        raise InputError(path, f"decisions is not a list: {shown(decisions)}")
    for number, decision in enumerate(decisions, start=1):
        _check_decision(path, number, decision)
    threshold, sources = plan.get("threshold"), plan.get("sources")
    return CodebookMergePlan(
        threshold=threshold if isinstance(threshold, int | float) and not isinstance(threshold, bool)
        else None,
        sources=tuple(str(s) for s in sources) if isinstance(sources, list) else (),
        decisions=tuple(MergeDecision.from_dict(d) for d in decisions),
        version=plan.get("version", 1))


def _check_decision(path: Path, number: int, d: object) -> None:
    def refuse(problem: str) -> InputError:
        return InputError(path, f"decision {number}: {problem}")

    if not isinstance(d, dict):
        raise refuse(f"is not a mapping: {shown(d)}")
    inc = d.get("incoming")
    if not isinstance(inc, dict) or not isinstance(inc.get("name"), str) or not inc["name"].strip():
        raise refuse("has no incoming code with a name")
    name = shown(inc["name"])
    if len(inc["name"]) > 200:  # as long as a code name may be
        raise refuse(f"incoming code {name} has a name longer than 200 characters")
    guid = store_codes.canonical_guid(inc.get("guid"))
    if guid is None:
        raise refuse(f"incoming code {name} has no valid guid ({shown(inc.get('guid'))})")
    inc["guid"] = guid
    action = d.get("action")
    if not isinstance(action, str) or action not in ACTIONS:
        raise refuse(f"({name}) action {shown(action)} is not one of {', '.join(ACTIONS)}")
    for key in ("target", "new_name", "source", "status", "definition"):
        if d.get(key) is not None and not isinstance(d[key], str):
            raise refuse(f"({name}) {key} is not text: {shown(d[key])}")
        if d.get(key) is not None and len(d[key]) > 200:
            raise refuse(f"({name}) {key} is longer than 200 characters: {shown(d[key])}")
    if d.get("definition") is not None and d["definition"] not in DEFINITION_CHOICES:
        raise refuse(f"({name}) definition choice {shown(d['definition'])} is not one of "
                     f"{', '.join(DEFINITION_CHOICES)}")
    if d.get("parent_guid") is not None:
        parent = store_codes.canonical_guid(d["parent_guid"])
        if parent is None:
            raise refuse(f"({name}) parent_guid is not a guid: {shown(d['parent_guid'])}")
        d["parent_guid"] = parent
    fields = d.get("fields")
    if fields is None:
        return
    if not isinstance(fields, dict):
        raise refuse(f"({name}) fields is not a mapping: {shown(fields)}")
    for key, value in fields.items():
        if value is None:
            continue
        if key in _PLAN_TEXT_FIELDS and not isinstance(value, str):
            raise refuse(f"({name}) {key} is not text: {shown(value)}")
        if key in _PLAN_FLAG_FIELDS and not isinstance(value, bool):
            raise refuse(f"({name}) {key} is not true or false: {shown(value)}")
        if key == "keywords" and not (isinstance(value, list) and all(
                isinstance(k, (str, int, float)) and not isinstance(k, bool) for k in value)):
            raise refuse(f"({name}) keywords are not a list of words")


def apply_plan(project, plan: CodebookMergePlan, *, plan_name: str = "plan") -> dict[str, int]:
    """Apply a reviewed plan inside the caller's action; returns incoming GUID ->
    local code id for every code that was mapped or added."""
    pending = [d.incoming.name for d in plan.decisions if d.action == "review"]
    if pending:
        raise QualcodeError(
            f"{plan_name}: {len(pending)} code(s) still marked review ({', '.join(pending[:5])}); "
            "set each to map, add, rename or reject")
    db = project.db
    mapping: dict[str, int] = {}
    for d in plan.decisions:
        action, inc = d.action, d.incoming
        fields: dict[str, Any] = {k: list(v) if isinstance(v, tuple) else v
                                  for k, v in d.fields.items()}
        if action == "reject":
            continue
        if action == "map":
            if not d.target:
                raise QualcodeError(f"{plan_name}: {inc.name} is to be mapped but names no target")
            target = store_codes.code_by_name(db, d.target)
            choice = d.definition or "keep"
            if choice not in DEFINITION_CHOICES:
                raise QualcodeError(f"{plan_name}: definition choice {choice!r} for {inc.name} "
                                    f"is not one of {', '.join(DEFINITION_CHOICES)}")
            theirs = d.fields.get("definition")  # text (read_plan checked it)
            if theirs and choice == "theirs":
                store_codes.update_code(db, target["id"], definition=theirs)
            elif theirs and choice == "both" and theirs.strip() != (target["definition"] or "").strip():
                store_codes.update_code(db, target["id"],
                                        definition=f"{target['definition'] or ''}\n\n{theirs}".strip())
            if inc.guid.lower() != target["guid"].lower() and store_codes.code_by_guid(db, inc.guid) is None:
                # The incoming code's identity is kept as a merged record: its history
                # stays, and merging the same file again matches it by GUID.
                history = store_codes.insert_code(db, f"{inc.name} ({d.source or 'merged'})",
                                                  target["parent_id"], {}, guid=inc.guid)
                store_codes.update_code(db, history, merged_into_id=target["id"])
            mapping[inc.guid] = target["id"]
            continue
        name = d.new_name if action == "rename" else inc.name
        if not name:
            raise QualcodeError(f"{plan_name}: {inc.name} is to be renamed but has no new_name")
        if store_codes.name_is_live(db, name):
            raise QualcodeError(f"{plan_name}: cannot add {name!r}: a code with that name exists "
                                "(map it, or rename it)")
        parent_id = mapping.get(d.parent_guid) if d.parent_guid else None
        from ..coding.codebook import clean_fields

        values = clean_fields({k: v for k, v in fields.items()
                               if k in ("definition", "inclusion", "exclusion", "example", "colour",
                                        "stage", "keywords", "category", "codable", "in_vivo")})
        guid = inc.guid if store_codes.code_by_guid(db, inc.guid) is None else None
        mapping[inc.guid] = store_codes.insert_code(db, name, parent_id, values, guid=guid)
    return mapping


def plan_json(plan: CodebookMergePlan) -> str:
    return json.dumps(plan.to_dict(), indent=2, ensure_ascii=False)
