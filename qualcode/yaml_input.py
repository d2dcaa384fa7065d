"""The one way qualcode reads YAML from a user's file (codebooks, merge plans).

``yaml.safe_load`` refuses Python objects but not the YAML "billion laughs": a few
hundred bytes of nested aliases (``&a [*b, *b, ...]``) that expand to billions of
nodes, so that loading, or merely formatting the result for an error message, takes
gigabytes. It also composes the whole document as a tree of nodes before building
anything, about 600 bytes per value: a 16 MB codebook took 620 MB.

Here the document is read as a stream of parser events and the data is built from
them directly (each scalar through PyYAML's safe constructor), so memory is the
result's own. A document is refused, with one line naming the file, if it

* uses an anchor or an alias (``&name``, ``*name``): qualcode never writes them, and
  without them every value of the result is a value written in the file;
* nests lists and mappings more than :data:`MAX_DEPTH` deep, or holds more than
  :data:`MAX_VALUES` values, or is larger than :data:`MAX_YAML_BYTES`;
* holds more than one document, a tagged list or mapping (``!!set``, ``!!omap``),
  or a list or mapping as a mapping's key.

Values from the file are shown in messages through :func:`shown`, which never
formats a large object.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml import events

from .errors import InputError
from .input_files import read_regular_file

#: Largest YAML file read: a codebook of 100,000 codes with definitions is ~16 MB.
MAX_YAML_BYTES = 32 * 1024 * 1024
#: Most values (scalars, lists and mappings) in one file; such a codebook has ~1.1 million.
MAX_VALUES = 2_000_000
#: Deepest nesting of lists and mappings: a codebook's tree takes two per level of
#: codes (a list of children, each a mapping), so this leaves room for 60 levels.
MAX_DEPTH = 128

# libyaml's parser when PyYAML was built with it (every wheel is): ten times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {events.MappingStartEvent: "tag:yaml.org,2002:map",
               events.SequenceStartEvent: "tag:yaml.org,2002:seq"}
_CLOSING = (events.MappingEndEvent, events.SequenceEndEvent)


def shown(value: object, limit: int = 60) -> str:
    """A value read from a file as a message may show it: text cut to ``limit``
    characters (escaped, as repr does), a number unless it is huge, and anything else
    by its kind only. Formatting a structure read from a file could take as long, and
    as much memory, as the structure is large."""
    if isinstance(value, str):
        return repr(value[:limit]) + ("…" if len(value) > limit else "")
    if value is None or isinstance(value, (bool, float)):
        return repr(value)
    if isinstance(value, int):
        return str(value) if -10**18 < value < 10**18 else "a very large number"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bytes):
        return "binary data"
    return f"a value of type {type(value).__name__}"


def _where(mark) -> str:
    return f" at line {mark.line + 1}" if mark is not None else ""


def _syntax_error(path: Path, exc: yaml.YAMLError) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    problem = str(getattr(exc, "problem", None) or "syntax error")
    if len(problem) > 120:  # a problem may quote the file (an unknown tag)
        problem = problem[:119] + "…"
    return InputError(path, f"is not valid YAML{_where(mark)} ({problem})")


class _Refused(Exception):
    """A problem of the document, raised inside the event loop."""

    def __init__(self, problem: str, event, advice: str = "") -> None:
        where = _where(getattr(event, "start_mark", None))
        super().__init__(f"{problem}{where}{'; ' + advice if advice else ''}")


def _anchor(event) -> _Refused:
    name = shown(event.anchor, 30)[1:-1]
    sign = "*" if type(event) is events.AliasEvent else "&"
    kind = "alias" if sign == "*" else "anchor"
    return _Refused(f"uses a YAML {kind} ({sign}{name})", event, "anchors and aliases are not accepted")


def _scalar(loader, event) -> object:
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    construct = loader.yaml_constructors.get(tag) or loader.yaml_constructors[None]
    try:
        return construct(loader, node)  # an unknown tag raises ConstructorError
    except (ValueError, OverflowError) as exc:
        # A date out of range, an integer of more digits than Python converts.
        raise _Refused(f"holds a value that cannot be read ({type(exc).__name__})", event) from None


def _build(loader, max_depth: int, max_values: int) -> object:
    """The document's data, built from the parser's events (see the module's doc)."""
    result = None
    documents = values = 0
    # One frame per open list or mapping: [container, the key waiting for its value
    # (mappings), whether a key is waiting].
    stack: list[list] = []
    while True:
        event = loader.get_event()
        kind = type(event)
        if kind is events.StreamEndEvent or event is None:
            return result
        if kind is events.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Refused("holds more than one YAML document", event)
            continue
        if kind in _CLOSING:
            done = stack.pop()[0]
            if not stack:
                result = done
            continue
        if kind is events.AliasEvent:
            raise _anchor(event)
        if kind is not events.ScalarEvent and kind not in _PLAIN_TAGS:
            continue  # stream and document ends
        if event.anchor is not None:
            raise _anchor(event)
        values += 1
        if values > max_values:
            raise _Refused(f"holds more than {max_values:,} values", event)
        if kind is events.ScalarEvent:
            value = _scalar(loader, event)
        else:
            if event.tag not in (None, "!", _PLAIN_TAGS[kind]):
                raise _Refused(f"uses the tag {shown(event.tag, 40)}", event, "qualcode does not read it")
            if len(stack) >= max_depth:
                raise _Refused(f"is nested more than {max_depth} levels deep", event)
            value = {} if kind is events.MappingStartEvent else []
        if stack:
            frame = stack[-1]
            container = frame[0]
            if type(container) is list:
                container.append(value)
            elif frame[2]:
                container[frame[1]] = value
                frame[2] = False
            else:
                if type(value) in (list, dict):
                    raise _Refused("has a list or mapping as a mapping key", event)
                try:
                    hash(value)
                except TypeError:
                    raise _Refused("has a mapping key that cannot be used as one", event) from None
                frame[1], frame[2] = value, True
        else:
            result = value
        if kind is not events.ScalarEvent:
            stack.append([value, None, False])


def load_yaml_file(path: str | Path, what: str = "YAML file", *, max_bytes: int = MAX_YAML_BYTES,
                   max_depth: int = MAX_DEPTH, max_values: int = MAX_VALUES) -> object:
    """The data of a YAML file a user gave (see the module's doc); every problem is
    one :class:`InputError` naming the file."""
    path = Path(path)
    raw = read_regular_file(path, max_bytes, what)
    if not raw.strip():
        raise InputError(path, "is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"is not UTF-8 text (byte {exc.start})") from None
    loader = _Loader(text)
    try:
        return _build(loader, max_depth, max_values)
    except _Refused as exc:
        raise InputError(path, str(exc)) from None
    except yaml.YAMLError as exc:
        raise _syntax_error(path, exc) from None
    finally:
        loader.dispose()
