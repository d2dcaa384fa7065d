"""The human-editable codebook file (YAML), loaded and saved.

Format (``format: qualcode-codebook``, ``version: 1``): ``title``, ``description``
and ``codes``, a list of codes, each with ``name``, ``guid``, ``category``,
``codable``, ``colour``, ``stage``, ``in_vivo``, ``definition``, ``inclusion``,
``exclusion``, ``example``, ``keywords`` and ``children`` (nested codes). Reloading
a changed file updates codes by GUID (then by name), so renaming a code in the
file renames it in the project instead of adding a second one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .. import outputs
from ..errors import ConflictError, InputError, QualcodeError
from ..store import codes as store_codes
from ..store.codes import canonical_guid
from ..yaml_input import load_yaml_file, shown
from .code_fields import check_name, clean_fields

if TYPE_CHECKING:
    from ..records.codes import CodeNode
    from .codebook import CodebookService


FORMAT = "qualcode-codebook"
NODE_KEYS = {"name", "guid", "category", "codable", "colour", "color", "stage", "in_vivo",
             "definition", "inclusion", "exclusion", "example", "keywords", "children"}
TOP_KEYS = {"format", "version", "title", "description", "codes"}
TEXT_KEYS = ("definition", "inclusion", "exclusion", "example", "colour", "color", "stage")
FLAG_KEYS = ("category", "codable", "in_vivo")
FIELD_KEYS = ("definition", "inclusion", "exclusion", "example", "colour", "stage", "in_vivo",
              "keywords", "codable")


#: Deepest nesting of codes a codebook file may have (real codebooks have a few levels).
MAX_CODE_DEPTH = 50
#: Most codes a codebook file may hold (real ones hold hundreds; 100,000 load in ~12 s).
MAX_CODES = 100_000


def read_codebook_file(path: Path) -> dict:
    """The checked data of a YAML codebook file. GUIDs come back in one form (lower
    case, no braces), so ``{C33E...}`` and ``c33e...`` are the same code."""
    path = Path(path)
    data = load_yaml_file(path, "codebook file")
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise InputError(path, "is not a qualcode codebook (no 'codes' list at the top)")
    if data.get("format", FORMAT) != FORMAT:
        raise InputError(path, f"format {shown(data.get('format'))} is not {FORMAT}")
    unknown_top = [k for k in data if k not in TOP_KEYS]
    if unknown_top:
        listed = ", ".join(sorted(shown(k, 40) if not isinstance(k, str) else k[:40] for k in unknown_top[:10]))
        raise InputError(path, f"unknown key(s) at the top: {listed}")
    if data.get("version", 1) != 1 or isinstance(data.get("version"), bool):
        raise InputError(path, f"version {shown(data.get('version'))} is not 1 (written by a newer qualcode?)")
    for key in ("title", "description"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise InputError(path, f"{key} is not text: {shown(data[key])}")
    seen_names: set[str] = set()
    seen_guids: set[str] = set()
    # Depth first with an explicit stack: a file nested deeper than MAX_CODE_DEPTH is
    # refused before anything walks it recursively.
    stack: list[tuple[object, str, int]] = [(data["codes"], "the top level", 1)]
    while stack:
        nodes, trail, depth = stack.pop()
        if not isinstance(nodes, list):
            raise InputError(path, f"'children' of {trail} is not a list")
        if nodes and depth > MAX_CODE_DEPTH:
            raise InputError(path, f"codes are nested more than {MAX_CODE_DEPTH} levels deep (under {trail})")
        if len(seen_names) + len(nodes) > MAX_CODES:
            raise InputError(path, f"holds more than {MAX_CODES:,} codes")
        for node in reversed(nodes):
            _check_node(path, node, trail, seen_names, seen_guids)
            stack.append((node.get("children") or [], repr(node["name"]), depth + 1))
    return data


def _check_node(path: Path, node: object, trail: str, seen_names: set[str], seen_guids: set[str]) -> None:
    if not isinstance(node, dict) or not isinstance(node.get("name"), str) or not node["name"].strip():
        raise InputError(path, f"a code under {trail} has no name")
    name = " ".join(node["name"].split())
    unknown = [k for k in node if k not in NODE_KEYS]
    if unknown:
        listed = ", ".join(sorted(k[:40] if isinstance(k, str) else shown(k, 40) for k in unknown[:10]))
        raise InputError(path, f"code {shown(name)} has unknown key(s): {listed}")
    if name in seen_names:
        raise InputError(path, f"code name {shown(name)} appears twice")
    seen_names.add(name)
    guid = node.get("guid")
    if guid is not None:
        canonical = canonical_guid(guid)
        if canonical is None:
            raise InputError(path, f"code {shown(name)} has a guid that is not a UUID: {shown(guid)}")
        if canonical in seen_guids:
            raise InputError(path, f"guid {canonical} appears twice")
        seen_guids.add(canonical)
        node["guid"] = canonical
    for key in TEXT_KEYS:
        if node.get(key) is not None and not isinstance(node[key], str):
            raise InputError(path, f"{key} of {shown(name)} is not text: {shown(node[key])}")
    for key in FLAG_KEYS:
        if node.get(key) is not None and not isinstance(node[key], bool):
            raise InputError(path, f"{key} of {shown(name)} is not true or false: {shown(node[key])}")
    keywords = node.get("keywords")
    words_ok = isinstance(keywords, list) and all(
        isinstance(k, (str, int, float)) and not isinstance(k, bool) for k in keywords)
    if keywords is not None and not words_ok:
        raise InputError(path, f"keywords of {shown(name)} are not a list of words")


def _fields(node: dict) -> dict:
    fields = {k: node[k] for k in FIELD_KEYS if k in node}
    if "color" in node and "colour" not in fields:
        fields["colour"] = node["color"]
    for key in ("definition", "inclusion", "exclusion", "example"):
        if isinstance(fields.get(key), str):
            fields[key] = fields[key].strip()
    if node.get("category"):
        fields["category"] = True
    elif "category" in node:
        fields["is_category"] = False
    return fields


# A code's name while a load renames it (never a real name: code names have no NUL).
_RENAMING = "\x00renaming "


def load_codebook(self: CodebookService, path: str | Path) -> dict:
    """Bring a codebook file into the project as one action; returns counts of
    codes added, updated and unchanged."""
    path = Path(path)
    if path.suffix.lower() == ".qdc":
        from ..exchange.refi_qdc import load_qdc  # REFI-QDA codebook exchange

        return load_qdc(self, path)
    data = read_codebook_file(path)
    report: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": []}
    try:
        with self.action("codebook.load", f"loaded codebook {path.name}"):
            self._free_names_renamed_by(data["codes"])
            for node in data["codes"]:
                self._load_node(node, None, report)
            if data.get("title"):
                from ..store import study as store_study

                store_study.set_setting(self.db, "codebook_title", str(data["title"]))
    except QualcodeError as exc:
        raise QualcodeError(f"{path.name}: {exc}") from None
    finally:
        self._old_names = {}
    return {k: len(v) for k, v in report.items()} | {"names": report}

def _free_names_renamed_by(self: CodebookService, nodes: list[dict]) -> None:
    """Codes the file renames (found by GUID) give up their old names first, so that
    a file may swap two names, or pass a name along, in one load."""
    for node in nodes:
        guid = node.get("guid")
        existing = store_codes.code_by_guid(self.db, str(guid)) if guid else None
        if (existing is not None and existing["merged_into_id"] is None
                and existing["name"] != check_name(node["name"])):
            store_codes.update_code(self.db, existing["id"],
                                    name=f"{_RENAMING}{existing['guid']}")
            self._old_names = getattr(self, "_old_names", {})
            self._old_names[existing["id"]] = existing["name"]
        self._free_names_renamed_by(node.get("children") or [])

def _load_node(self: CodebookService, node: dict, parent_id: int | None, report: dict) -> None:
    name = check_name(node["name"])
    fields = clean_fields(_fields(node))
    existing = store_codes.code_by_guid(self.db, str(node["guid"])) if node.get("guid") else None
    if existing is None and store_codes.name_is_live(self.db, name):
        existing = store_codes.code_by_name(self.db, name)
    if existing is not None and existing["merged_into_id"] is not None:
        raise ConflictError(f"code {name!r} was merged into another code; edit that one instead")
    if existing is None:
        code_id = store_codes.insert_code(self.db, name, parent_id, fields,
                                          guid=str(node["guid"]) if node.get("guid") else None)
        report["added"].append(name)
    else:
        code_id = existing["id"]
        changes = {k: v for k, v in fields.items() if existing.get(k) != v}
        if existing["name"] != name:
            if store_codes.name_is_live(self.db, name):
                old = getattr(self, "_old_names", {}).get(code_id, existing["name"])
                raise ConflictError(f"cannot rename {old!r} to {name!r}: that name is taken")
            changes["name"] = name
        if existing["parent_id"] != parent_id:
            inside_itself = parent_id == code_id or parent_id in store_codes.descendant_ids(self.db, code_id)
            if parent_id is not None and inside_itself:
                raise ConflictError(f"moving {name!r} there would put it inside itself")
            changes["parent_id"] = parent_id
        if changes:
            store_codes.update_code(self.db, code_id, **changes)
            report["updated"].append(name)
        else:
            report["unchanged"].append(name)
    for child in node.get("children") or []:
        self._load_node(child, code_id, report)

def codebook_document(self: CodebookService) -> dict:
    """The codebook as the plain data the YAML file holds."""
    from ..store import study as store_study

    def node(code: CodeNode) -> dict:
        out: dict = {"name": code.name, "guid": code.guid}
        if code.is_category:
            out["category"] = True
        # A category is read as not codable unless the file says otherwise.
        if not code.codable or code.is_category:
            out["codable"] = bool(code.codable)
        for key in ("colour", "stage"):
            if getattr(code, key):
                out[key] = getattr(code, key)
        if code.in_vivo:
            out["in_vivo"] = True
        for key in ("definition", "inclusion", "exclusion", "example"):
            if getattr(code, key):
                out[key] = getattr(code, key)
        if code.keywords:
            out["keywords"] = list(code.keywords)
        if code.children:
            out["children"] = [node(c) for c in code.children]
        return out

    return {
        "format": FORMAT,
        "version": 1,
        "title": store_study.get_setting(self.db, "codebook_title") or self.title,
        "codes": [node(c) for c in self.tree()],
    }

def save_codebook(self: CodebookService, path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() == ".qdc":
        from ..exchange.refi_qdc import save_qdc

        return save_qdc(self, path)
    outputs.check_target(path)
    text = yaml.dump(self.document(), Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=88)
    return outputs.write_text(path, text)
class _Dumper(yaml.SafeDumper):
    """Long text as folded block scalars, so the file reads and diffs well."""


# Line breaks other than \n: YAML reads them as breaks (folding them into spaces), so
# text holding one is written double-quoted, where they are escaped.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _str(dumper: yaml.SafeDumper, value: str):
    if any(b in value for b in _OTHER_BREAKS):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if len(value) > 70 or "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">" if "\n" not in value else "|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)
