"""The code query language: reading a query into a tree (no database needed).

Grammar (keywords in any case; code names quoted when they hold spaces, brackets or
quotes, or when they are a keyword)::

    query    := expr filter*
    expr     := term ("OR" term)*
    term     := operand (binary operand)*
    binary   := "AND" [within] | "NOT" [within] | "OVERLAPS" | "NEAR/" N ("sentences" | "turns")
    within   := "WITHIN" ("turn" | "sentence" | "transcript" | "participant-wave")
    operand  := CODE | "(" expr ")"
    CODE     := '"' name '"' | "'" name "'" | bare-word
    filter   := an atom of the shared filter language (qualcode.filter_language)

AND, NOT, OVERLAPS and NEAR bind tighter than OR and group to the left:
``A OR B AND C`` is ``A OR (B AND C)``; ``A NOT B NOT C`` is ``(A NOT B) NOT C``.
The expression ends at the first word that cannot continue it; the rest of the query
is filters. What each operator returns is defined in docs/query.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import QueryError
from ..filter_language import Condition, parse_condition, split_filters

WITHIN_UNITS = ("turn", "sentence", "transcript", "participant-wave")
NEAR_UNITS = {"sentence": "sentence", "sentences": "sentence", "turn": "turn", "turns": "turn"}
KEYWORDS = ("AND", "OR", "NOT", "OVERLAPS", "WITHIN")
_NEAR = re.compile(r"NEAR/(\d+)$", re.IGNORECASE)
_BARE_END = re.compile(r"[\s()\"']")
# Characters that make a bare word a filter (wave:W3, sex=F, age>=50).
_FILTER_MARK = re.compile(r"[:=<>@]")


@dataclass(frozen=True)
class Code:
    """An operand: the passages of a code and of every code under it."""

    name: str
    position: int


@dataclass(frozen=True)
class Binary:
    op: str                  # AND, OR, NOT, OVERLAPS, NEAR
    left: Code | Binary
    right: Code | Binary
    position: int            # where the operator is written
    unit: str | None = None  # WITHIN unit (AND, NOT) or NEAR's unit
    distance: int | None = None  # NEAR/N


Expr = Code | Binary


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    expr: Expr
    filters: tuple[tuple[str, int], ...]   # (atom, offset in the query)
    filter_position: int                   # where the filters begin (len(text) if none)
    conditions: tuple[Condition, ...] = ()  # the filters, parsed

    def code_names(self) -> list[tuple[str, int]]:
        found: list[tuple[str, int]] = []

        def walk(node: Expr) -> None:
            if isinstance(node, Code):
                found.append((node.name, node.position))
            else:
                walk(node.left)
                walk(node.right)

        walk(self.expr)
        return found


@dataclass(frozen=True)
class _Token:
    kind: str      # word, quoted, "(", ")", end
    text: str
    position: int

    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def caret_lines(text: str, position: int) -> str:
    """The query and a caret under ``position`` (two lines, for a terminal)."""
    shown = text.replace("\n", " ").replace("\t", " ")
    return f"  {shown}\n  {' ' * max(0, min(position, len(shown)))}^"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, message: str, position: int) -> QueryError:
        return QueryError(message, text=self.text, position=position)

    # --- tokens, read one at a time (the filters after the expression are not tokens) ---

    def _skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> _Token:
        saved = self.pos
        token = self.next()
        self.pos = saved
        return token

    def next(self) -> _Token:
        self._skip()
        start = self.pos
        if start >= len(self.text):
            return _Token("end", "", start)
        char = self.text[start]
        if char in "()":
            self.pos += 1
            return _Token(char, char, start)
        if char in "\"'":
            close = self.text.find(char, start + 1)
            if close < 0:
                raise self.error("this quote is never closed", start)
            self.pos = close + 1
            name = self.text[start + 1:close]
            if not name.strip():
                raise self.error("an empty code name in quotes", start)
            return _Token("quoted", name, start)
        match = _BARE_END.search(self.text, start)
        self.pos = match.start() if match else len(self.text)
        return _Token("word", self.text[start:self.pos], start)

    # --- the grammar --------------------------------------------------------------------

    def expr(self) -> Expr:
        node = self.term()
        while self.peek().upper() == "OR":
            op = self.next()
            node = Binary("OR", node, self.term(), op.position)
        return node

    def term(self) -> Expr:
        node = self.operand()
        while True:
            token = self.peek()
            word = token.upper()
            near = _NEAR.match(token.text) if token.kind == "word" else None
            if word in ("AND", "NOT"):
                self.next()
                right = self.operand()
                node = Binary(word, node, right, token.position, unit=self.within())
            elif word == "OVERLAPS":
                self.next()
                node = Binary("OVERLAPS", node, self.operand(), token.position)
            elif near:
                self.next()
                unit_token = self.next()
                unit = NEAR_UNITS.get(unit_token.text.lower()) if unit_token.kind == "word" else None
                if unit is None:
                    raise self.error(f"expected 'sentences' or 'turns' after {token.text}",
                                     unit_token.position)
                node = Binary("NEAR", node, self.operand(), token.position, unit=unit,
                              distance=int(near.group(1)))
            elif word.startswith("NEAR"):
                raise self.error(f"expected NEAR/N (a whole number of sentences or turns), "
                                 f"not {token.text!r}", token.position)
            elif word == "WITHIN":
                raise self.error("WITHIN follows AND or NOT and the code after it", token.position)
            else:
                return node

    def within(self) -> str | None:
        if self.peek().upper() != "WITHIN":
            return None
        self.next()
        token = self.next()
        unit = token.text.lower() if token.kind == "word" else ""
        if unit not in WITHIN_UNITS:
            raise self.error(f"expected a unit after WITHIN ({', '.join(WITHIN_UNITS)})", token.position)
        return unit

    def operand(self) -> Expr:
        token = self.next()
        if token.kind == "(":
            node = self.expr()
            close = self.next()
            if close.kind != ")":
                raise self.error(f"expected ')' to close the '(' at {token.position + 1}",
                                 close.position)
            return node
        if token.kind == "quoted":
            return Code(token.text, token.position)
        if token.kind == "word" and not _is_reserved(token.text) and not _FILTER_MARK.search(token.text):
            return Code(token.text, token.position)
        what = "the end of the query" if token.kind == "end" else repr(token.text)
        raise self.error(f"expected a code name or '(' but found {what}", token.position)


def _is_reserved(word: str) -> bool:
    return word.upper() in KEYWORDS or bool(_NEAR.match(word)) or word.upper() == "NEAR"


def parse_query(text: str) -> ParsedQuery:
    """Read a query; a :class:`QueryError` names what was expected and where."""
    if not text.strip():
        raise QueryError("the query is empty: give a code name, e.g. '\"Money worries\" AND Relapse'",
                         text=text, position=0)
    parser = _Parser(text)
    expr = parser.expr()
    token = parser.peek()
    if token.kind == ")":
        raise QueryError("this ')' closes no '('", text=text, position=token.position)
    start = token.position
    filters = tuple((atom, start + offset) for atom, offset in split_filters(text[start:]))
    for atom, position in filters:
        if not _FILTER_MARK.search(atom):
            raise QueryError(f"expected an operator (AND, OR, NOT, OVERLAPS, NEAR/N) or a filter "
                             f"(FIELD:VALUE, ATTRIBUTE=VALUE) but found {atom!r}", text=text, position=position)
    conditions = tuple(parse_condition(text, position, end=position + len(atom)) for atom, position in filters)
    return ParsedQuery(text, expr, filters, start, conditions)
