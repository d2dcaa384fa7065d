"""What both directions of the REFI-QDA project exchange agree on.

The namespace, the markers our export writes into Descriptions so that our import can
read back what REFI-QDA has no field for, and the small conversions both sides use.
Neither :mod:`.refi_export` nor :mod:`.refi_import` owns them, so neither imports the
other.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import uuid

NAMESPACE = "urn:QDA-XML:project:1.0"
QUOTE_LENGTH = 100  # @name of a selection: its text, cut after this many characters with "…"

# Markers in Descriptions that let our own import read back what REFI has no field for.
MEMO_TYPE_PREFIX = "qualcode memo type: "
CODING_MEMO_MARK = "qualcode coding memo"
EXEMPLAR_MARK = "qualcode exemplar"
WAVE_MARK = "qualcode wave"
WAVE_ATTRIBUTE_MARK = "qualcode attribute by wave"
ATTENDANCE_MARK = "qualcode attendance"
STUDY_MARK = "qualcode study facts"
#: The transcript fields written as variables of a source: key -> (variable name, type).
SOURCE_VARIABLES = {"wave": ("Wave", "Text"), "kind": ("Transcript kind", "Text"),
                    "date": ("Transcript date", "Date")}
SOURCE_VARIABLE_MARK = "qualcode transcript field: "

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(value: str | None) -> str:
    """Text as XML 1.0 can hold it (control characters become U+FFFD)."""
    if not value:
        return ""
    if value.isascii() and value.isprintable():  # GUIDs, numbers, most names: nothing to replace
        return value
    return _ILLEGAL_XML.sub("\ufffd", value)


@functools.lru_cache(maxsize=4096)  # codings made together share their time
def xml_datetime(stamp: str | None) -> str | None:
    """A stored timestamp as xsd:dateTime in UTC with ``Z``, or None."""
    if not stamp:
        return None
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stored_datetime(value: str | None) -> str | None:
    """An xsd:dateTime as stored in the project (UTC, seconds), or None."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def stable_guid(project_guid: str, *parts: object) -> str:
    """A GUID for something we store without one (a selection, a variable), the same
    on every export of the same project."""
    key = ":".join(str(p) for p in parts)
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"qualcode:{project_guid}:{key}"))


def quote(text: str) -> str:
    """A selection's @name: the text it covers, cut short with "…"."""
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1] + "…"
