"""REFI-QDA Codebook Exchange (``.qdc``): the codebook in and out.

Out: nesting for hierarchy, ``isCodable`` for categories, colour, and a Description
built from the definition, criteria and example (labelled paragraphs, read back on
import). GUIDs are the project's own. Every file written validates against
``Codebook.xsd`` before it is saved.

In: liberal, as real files demand: namespace variants, ids that are not GUIDs (mapped
to stable UUIDs derived from them), hierarchy written into names (``A::B``). The
result goes through the same loader as the YAML codebook, so codes are matched by GUID,
then by name, and never duplicated.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from .. import outputs
from ..coding.codebook_file import MAX_CODE_DEPTH, MAX_CODES
from ..errors import InputError, QualcodeError
from ..input_files import read_regular_file
from ..records.codes import Code, CodeNode
from ..version import __version__
from .xml_safety import child, children, local, parse_xml_bytes, validation_error

NAMESPACE = "urn:QDA-XML:codebook:1.0"
GUID = re.compile(r"^[{]?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}[}]?$")
# Fields REFI-QDA has no place for travel as labelled paragraphs of the Description,
# which other programs show as text and we read back.
LABELS = (("inclusion", "Inclusion"), ("exclusion", "Exclusion"), ("example", "Example"),
          ("stage", "Stage"), ("keywords", "Keywords"), ("in_vivo", "In vivo"))
MAX_QDC_BYTES = 50 * 1024 * 1024


def guid_from_id(raw: str) -> str:
    """A REFI GUID as we store it; a non-GUID id becomes a stable UUID derived from it."""
    raw = raw.strip()
    if GUID.match(raw):
        return raw.strip("{}").lower()
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"refi-qda-id:{raw}"))


def refi_colour(value: str | None) -> str | None:
    """A REFI ``color`` (#RRGGBB, #RGB, or #RRGGBBAA as some programs write) as our
    #rrggbb, or None when it is not a colour."""
    colour = (value or "").strip()
    if re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return colour.lower()
    if re.fullmatch(r"#[0-9a-fA-F]{3}", colour):
        return "#" + "".join(c * 2 for c in colour[1:]).lower()
    if re.fullmatch(r"#[0-9a-fA-F]{8}", colour):
        return colour[:7].lower()
    return None


def description_text(code: Code) -> str:
    parts = [code.definition or ""]
    for key, label in LABELS:
        value = getattr(code, key)
        if key == "keywords" and value:
            value = "; ".join(value)
        elif key == "in_vivo":
            value = "yes" if value else None
        if value:
            parts.append(f"{label}: {value}")
    return "\n\n".join(p for p in parts if p)


def split_description(text: str | None) -> dict:
    """Our labelled paragraphs back into fields; anything else is the definition."""
    fields: dict[str, Any] = {}
    definition = []
    for paragraph in re.split(r"\n\s*\n", (text or "").strip()):
        paragraph = " ".join(paragraph.split())
        for key, label in LABELS:
            if paragraph.startswith(label + ":"):
                value: Any = paragraph[len(label) + 1:].strip()
                if key == "keywords":
                    value = [k.strip() for k in value.split(";") if k.strip()]
                elif key == "in_vivo":
                    value = value.lower() in ("yes", "true")
                elif key == "stage" and value not in ("initial", "focused", "axial", "theoretical"):
                    definition.append(paragraph)
                    break
                fields[key] = value
                break
        else:
            if paragraph:
                definition.append(paragraph)
    if definition:
        fields["definition"] = "\n\n".join(definition)
    return fields


def codebook_xml(project) -> bytes:
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}CodeBook", {"origin": f"qualcode {__version__}"})
    codes = ET.SubElement(root, f"{{{NAMESPACE}}}Codes")

    def add(parent: ET.Element, node: CodeNode) -> None:
        attrs = {"guid": node.guid, "name": node.name,
                 "isCodable": "true" if node.codable else "false"}
        if node.colour:
            attrs["color"] = node.colour.upper()
        element = ET.SubElement(parent, f"{{{NAMESPACE}}}Code", attrs)
        text = description_text(node)
        if text:
            ET.SubElement(element, f"{{{NAMESPACE}}}Description").text = text
        for sub in node.children:
            add(element, sub)

    tree = project.tree()
    if not tree:
        raise QualcodeError("the codebook is empty: nothing to export")
    for node in tree:
        add(codes, node)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def save_qdc(project, path: Path) -> Path:
    path = outputs.check_target(path)
    data = codebook_xml(project)
    error = validation_error(data, "Codebook.xsd")
    if error:  # a bug of ours, never the user's: refuse to write an invalid file
        raise QualcodeError(f"{path.name}: the codebook does not validate against Codebook.xsd ({error})")
    return outputs.write_bytes(path, data)


def read_qdc(path: Path) -> dict:
    """A .qdc as the node tree the YAML loader takes, plus warnings."""
    data = read_regular_file(path, MAX_QDC_BYTES, "codebook file")
    if not data:
        raise InputError(path, "is empty")
    root = parse_xml_bytes(data, path)
    if local(root.tag) != "CodeBook":
        raise InputError(path, f"is not a REFI-QDA codebook (root element {local(root.tag)}, expected CodeBook)")
    codes = child(root, "Codes")
    if codes is None:
        raise InputError(path, "has no Codes element")
    warnings: list[str] = []

    def node(element: ET.Element, depth: int = 1) -> dict:
        if depth > MAX_CODE_DEPTH:
            raise InputError(path, f"codes are nested more than {MAX_CODE_DEPTH} levels deep")
        raw_id = element.get("guid")
        name = (element.get("name") or "").strip()
        if not raw_id or not name:
            raise InputError(path, "a Code has no guid or no name")
        guid = guid_from_id(raw_id)
        if guid != raw_id.strip("{}").lower():
            warnings.append(f"code {name!r}: id {raw_id!r} is not a GUID; stored as {guid}")
        result = {"name": name, "guid": guid,
                  "codable": (element.get("isCodable") or "true").strip().lower() in ("true", "1")}
        colour = refi_colour(element.get("color"))
        if colour:
            result["colour"] = colour
        description = child(element, "Description")
        result.update(split_description(description.text if description is not None else None))
        result["children"] = [node(c, depth + 1) for c in children(element, "Code")]
        if not result["codable"] and result["children"]:
            result["category"] = True
        return result

    nodes = [node(c) for c in children(codes, "Code")]
    nodes = _unflatten_names(nodes, warnings)
    check_code_tree(nodes, path)
    sets = child(root, "Sets")
    return {"codes": nodes, "warnings": warnings, "sets": len(children(sets, "Set")) if sets is not None else 0}


def check_code_tree(nodes: list[dict], path) -> None:
    """Refuse a tree of codes nested deeper than :data:`MAX_CODE_DEPTH` (as names such
    as ``a::b::c::...`` make it) or of more than :data:`MAX_CODES` codes, walking it
    without recursion."""
    stack = [(node, 1) for node in nodes]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_CODE_DEPTH:
            raise InputError(path, f"codes are nested more than {MAX_CODE_DEPTH} levels deep")
        if count > MAX_CODES:
            raise InputError(path, f"holds more than {MAX_CODES:,} codes")
        stack.extend((sub, depth + 1) for sub in node.get("children") or ())


def _unflatten_names(nodes: list[dict], warnings: list[str]) -> list[dict]:
    """ATLAS.ti writes hierarchy into names ("Coke::diet Coke") instead of nesting."""
    if not any("::" in n["name"] for n in nodes):
        return nodes
    roots: list[dict] = []
    by_path: dict[str, dict] = {}
    for n in nodes:
        parts = [p.strip() for p in n["name"].split("::")]
        parent_list = roots
        for depth, part in enumerate(parts[:-1]):
            key = "::".join(parts[: depth + 1])
            if key not in by_path:
                folder = {"name": part, "guid": guid_from_id(f"path:{key}"), "codable": False,
                          "category": True, "children": []}
                by_path[key] = folder
                parent_list.append(folder)
            parent_list = by_path[key]["children"]
        full = "::".join(parts)
        if full in by_path:  # a code that is also a folder of others
            by_path[full].update({k: v for k, v in n.items() if k != "children"}, name=parts[-1])
            continue
        n = dict(n, name=parts[-1])
        by_path[full] = n
        parent_list.append(n)
    warnings.append("hierarchy written into code names ('A::B') was turned into nesting")
    return roots


def _yaml_nodes(nodes: list[dict]) -> list[dict]:
    out = []
    for n in nodes:
        y = {k: v for k, v in n.items() if k in ("name", "guid", "colour", "definition", "inclusion",
                                                  "exclusion", "example", "category", "stage",
                                                  "keywords", "in_vivo")}
        y["codable"] = n["codable"]
        y["children"] = _yaml_nodes(n["children"])
        out.append(y)
    return out


def load_qdc(project, path: Path) -> dict:
    data = read_qdc(Path(path))
    report: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": []}
    try:
        with project.action("codebook.load", f"loaded REFI-QDA codebook {Path(path).name}"):
            for node in _yaml_nodes(data["codes"]):
                project._load_node(node, None, report)
    except QualcodeError as exc:
        raise QualcodeError(f"{Path(path).name}: {exc}") from None
    return {k: len(v) for k, v in report.items()} | {"names": report, "warnings": data["warnings"]}
