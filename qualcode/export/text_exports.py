"""Plain-file versions: the theme summary and the coded segments as Markdown and CSV."""

from __future__ import annotations

from operator import attrgetter

from ..analysis.passages import merge
from ..csv_writer import DEFAULT, CsvStyle, csv_text
from ..records.codings import ListedSegment, Passage
from .docx_common import attribution, paragraphs_of, plural, role_label, wave_text
from .docx_theme import QUOTE_NOTE
from .themes import (
    ThemeSummary,
    change_rows,
    change_text,
    count_rule,
    filters_text,
    group_heading,
    memo_note,
    prevalence_rows,
    quote_source,
    subcode_rows,
)

SEGMENT_COLUMNS = ("coding_id", "passage", "code", "transcript", "turn", "time", "participant", "pseudonym",
                   "role", "site", "wave", "time_point", "coder", "exemplar", "start", "end", "text",
                   "memo", "attribution")
QUOTE_COLUMNS = ("theme", "quote", "codes", "participant", "pseudonym", "role", "site", "wave",
                 "time_point", "transcript", "turn", "coders", "exemplar", "coding_ids", "start",
                 "end", "text", "attribution")


def _md_escape_cell(value) -> str:
    return " ".join(str("" if value is None else value).split()).replace("|", "\\|")


def md_table(header, rows) -> list[str]:
    lines = ["| " + " | ".join(_md_escape_cell(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_md_escape_cell(v) for v in row) + " |" for row in rows]
    return lines


def md_quote(text: str) -> list[str]:
    return ["> " + line if line.strip() else ">" for line in text.strip().split("\n")]


def theme_summary_markdown(summary: ThemeSummary) -> str:
    out = [f"# Theme summary: {summary.title}", "",
           f"- Date: {summary.date}",
           f"- Coders: {', '.join(summary.coders) or 'none'}",
           "- Waves: " + "; ".join(f"{w.label} ({w.description})" if w.description
                                    else w.label for w in summary.waves),
           f"- Themes: {len(summary.themes)}",
           f"- Counts: {count_rule(summary)}"]
    if filters_text(summary):
        out.append(f"- Selection: {filters_text(summary)}")
    out.append("")
    if summary.summary:
        out += ["## Project summary", ""]
        for block in paragraphs_of(summary.summary):
            out += [block, ""]
    out += ["## Contents", ""]
    for n, theme in enumerate(summary.themes, start=1):
        out.append(f"{n}. {theme.name} ({plural(theme.count, 'coded passage')}, "
                   f"{plural(theme.participants, 'participant')})")
    out.append("")
    for theme in summary.themes:
        out += [f"## {theme.name}", "",
                f"*{plural(theme.count, 'coded passage')} from {plural(theme.participants, 'participant')}.*", "",
                "### Definition", "", " ".join((theme.definition or "No definition yet.").split()), ""]
        if theme.inclusion:
            out += [f"**Include:** {' '.join(theme.inclusion.split())}", ""]
        if theme.exclusion:
            out += [f"**Exclude:** {' '.join(theme.exclusion.split())}", ""]
        if theme.memos:
            out += ["### Analytic memos", ""]
            for placed in theme.memos:
                out += [f"**{placed.memo.title}** *({memo_note(placed.memo)})*", ""]
                if placed.see:
                    out += [f"*Printed in full under {placed.see}.*", ""]
                    continue
                for block in paragraphs_of(placed.memo.body):
                    out += [block, ""]
        out += [f"### Prevalence by wave and {group_heading(summary).lower()}", ""]
        header, rows = prevalence_rows(summary, theme)
        out += md_table(header, rows)
        out += ["", "*Participants with at least one coded passage / participants who took part "
                f"at that wave (passages in brackets). Counts are {count_rule(summary)}.*", ""]
        if theme.subcodes:
            out += ["### Sub-codes", ""]
            header, rows = subcode_rows(summary, theme)
            out += md_table(header, [[r[0].replace("\u2003", "\u00a0\u00a0"), *r[1:]] for r in rows])
            out.append("")
        if theme.change:
            out += ["### Change over time", "", change_text(summary, theme), ""]
            out += md_table(*change_rows(summary, theme))
            out.append("")
            paired = theme.change.get("paired")
            if paired:
                out += [f"#### One participant across the waves: {paired['participant']}", ""]
                for row in paired["quotes"]:
                    out += md_quote(row.quote)
                    out += [">", f"> \u2014 {quote_source(row)}", ""]
        out += ["### Exemplar quotes", ""]
        if not theme.quotes:
            out += ["*No coded passages for this theme in the selection.*", ""]
        for row in theme.quotes:
            out += md_quote(row.quote)
            out += [">", f"> \u2014 {quote_source(row)}", ""]
    out += ["## About the quotes", "", QUOTE_NOTE, ""]
    return "\n".join(out)


def table_csv(header, rows, style: CsvStyle = DEFAULT) -> str:
    """A header and rows of values (None: empty) as CSV (see :mod:`qualcode.csv_writer`)."""
    return csv_text(header, rows, style=style)


def theme_summary_csv(summary: ThemeSummary, style: CsvStyle = DEFAULT) -> str:
    """One row per chosen quote, with its theme and attribution."""
    waves = {w.label: w for w in summary.waves}
    rows = [_quote_cells(theme.name, n, row, waves) for theme in summary.themes
            for n, row in enumerate(theme.quotes, start=1)]
    return csv_text(QUOTE_COLUMNS, rows, style=style)


def _quote_cells(theme: str, n: int, row: Passage, waves) -> list:
    """The :data:`QUOTE_COLUMNS` of the ``n``-th quote of a theme."""
    return [theme, n, "; ".join(row.codes), row.participant, row.pseudonym, row.role, row.site,
            row.wave, wave_text(waves.get(row.wave), row.role), row.transcript, row.turn,
            "; ".join(row.coders), int(row.exemplar), " ".join(map(str, row.coding_ids)),
            row.start, row.end, row.quote, row.attribution]


def collect_segments(project, *, codes=None, include_subcodes: bool = True, wave=None,
                     coder=None, where=None) -> list[ListedSegment]:
    """Coded segments of the chosen codes (default: all), each coding once, in wave,
    transcript and text order, with an attribution, the time point of the speaker's
    role and ``passage``: the number of the coded passage it belongs to (codings of one
    code that overlap share one; :mod:`qualcode.analysis.passages`)."""
    from .themes import check_filters

    check_filters(project, wave, coder)
    if codes:
        known = set(project.codebook.code_names())
        for name in codes:
            if name not in known:
                from ..errors import QualcodeError

                raise QualcodeError(f"unknown code {name!r}")
        names = codes
    else:
        names = [c.name for c in project.codebook.tree()]
        include_subcodes = True
    waves = {w.label: w for w in project.study.waves()}
    seen, segments = set(), []
    for name in names:
        for segment in project.coding.segments(name, include_subcodes=include_subcodes, wave=wave,
                                               coder=coder, where=where):
            if segment.id not in seen:
                seen.add(segment.id)
                segments.append(segment)
    segments.sort(key=lambda s: (s.wave_order if s.wave_order is not None else 10**6,
                                 s.transcript, s.start, s.end, s.code, s.coder))
    number = {}
    for n, members in enumerate(merge(segments, key=attrgetter("transcript", "code"),
                                      span=attrgetter("start", "end")), start=1):
        for member in members:
            number[member.id] = n
    order: dict[int, int] = {}  # passages numbered in the order the rows come
    return [ListedSegment(segment=s, passage=order.setdefault(number[s.id], len(order) + 1),
                          time_point=wave_text(waves.get(s.wave or ""), s.role),
                          attribution=attribution(s, waves)) for s in segments]


def segment_cells(row: ListedSegment) -> list:
    """The :data:`SEGMENT_COLUMNS` of one listed segment."""
    s = row.segment
    return [s.id, row.passage, s.code, s.transcript, s.turn, s.time, s.participant, s.pseudonym,
            s.role, s.site, s.wave, row.time_point, s.coder, int(s.exemplar), s.start, s.end,
            s.text, s.memo, row.attribution]


def segments_csv(rows: list[ListedSegment], style: CsvStyle = DEFAULT) -> str:
    return csv_text(SEGMENT_COLUMNS, [segment_cells(row) for row in rows], style=style)


def segments_markdown(project, rows: list[ListedSegment]) -> str:
    """The coded passages under each code, each once with the coders who coded it."""
    from .quotes import Texts, passages

    waves = {w.label: w for w in project.study.waves()}
    merged = passages([row.segment for row in rows], Texts(project), waves, by_code=True)
    out = [f"# Coded segments: {project.title}", "",
           f"{plural(len(merged), 'coded passage')} ({plural(len(rows), 'coding')}; "
           "overlapping codings of one code are one passage).", ""]
    by_code: dict[str, list[Passage]] = {}
    for row in merged:
        by_code.setdefault(row.code, []).append(row)
    order = {name: i for i, name in enumerate(project.codebook.code_names())}
    for code in sorted(by_code, key=lambda c: order.get(c, 10**6)):
        out += [f"## {code}", ""]
        for row in by_code[code]:
            out += md_quote(row.text)
            extra = (f" (coded by {', '.join(row.coders)}"
                     f"{', exemplar' if row.exemplar else ''})")
            out += [">", f"> \u2014 {row.attribution}{extra}", ""]
            for memo in row.memos:
                out += [f"*Memo:* {' '.join(memo.split())}", ""]
    return "\n".join(out)


__all__ = [
    "collect_segments",
    "role_label",
    "segments_csv",
    "segments_markdown",
    "theme_summary_csv",
    "theme_summary_markdown",
]
