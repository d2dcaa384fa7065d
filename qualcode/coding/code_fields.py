"""The fields of a code as people give them, checked and made ready to store."""

from __future__ import annotations

import json
import re
import unicodedata

from ..errors import QualcodeError
from ..model import STAGES
from ..store import codes as store_codes
from ..yaml_input import shown

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


TEXT_FIELDS = ("definition", "inclusion", "exclusion", "example", "colour", "stage")
FLAG_FIELDS = ("in_vivo", "is_category", "codable")
# Columns that cannot be empty: a None for them means "leave as it is" (or the default).
NOT_NULL_FIELDS = ("stage", *FLAG_FIELDS)


def clean_fields(fields: dict) -> dict:
    """Validate editable code fields; returns them as stored (keywords as JSON)."""
    result = {}
    for key, value in fields.items():
        if key not in store_codes.EDITABLE and key != "category":
            raise QualcodeError(f"{shown(key)} is not a field of a code")
        if value is None and (key in NOT_NULL_FIELDS or key == "category"):
            continue
        if key in TEXT_FIELDS and value is not None and not isinstance(value, str):
            raise QualcodeError(f"{key} {shown(value)} is not text")
        if key in TEXT_FIELDS and value is not None:
            # Stored as the codebook file gives them back: trimmed, and nothing as NULL.
            value = value.strip() or None
            if value is None and key == "stage":
                continue
        if key in (*FLAG_FIELDS, "category") and not isinstance(value, (bool, int)):
            raise QualcodeError(f"{key} {shown(value)} is not true or false")
        if key == "stage" and value not in STAGES:
            raise QualcodeError(f"stage {shown(value)} is not one of {', '.join(STAGES)}")
        if key == "colour" and value and not COLOUR.match(value):
            raise QualcodeError(f"colour {shown(value)} is not #rrggbb")
        if key == "keywords" and value is not None:
            if isinstance(value, str):
                value = [value]  # one keyword, not a JSON string or a list of letters
            if not all(isinstance(k, (str, int, float)) and not isinstance(k, bool) for k in value):
                raise QualcodeError("keywords are not a list of words")
            words = (" ".join(str(k).split()) for k in value)
            value = json.dumps(list(dict.fromkeys(w for w in words if w)), ensure_ascii=False)
        if key in FLAG_FIELDS:
            value = int(bool(value))
        if key == "category":
            result["is_category"] = int(bool(value))
            if value and "codable" not in fields:
                result["codable"] = 0
            continue
        result[key] = value
    return result


def check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise QualcodeError("code name is empty")
    if len(name) > 200:
        raise QualcodeError("code name is longer than 200 characters")
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise QualcodeError(f"code name {name!r} holds control characters")
    return name
