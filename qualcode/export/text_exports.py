"""Plain-file versions: the theme summary and the coded segments as Markdown and CSV."""

from __future__ import annotations

import csv
import io

from .docx_common import attribution, paragraphs_of, plural, role_label, wave_text
from .docx_theme import QUOTE_NOTE
from .themes import ThemeSummary, filters_text, prevalence_rows, subcode_rows

SEGMENT_COLUMNS = ("coding_id", "code", "transcript", "turn", "participant", "pseudonym", "role",
                   "site", "wave", "time_point", "coder", "exemplar", "start", "end", "text",
                   "memo", "attribution")
QUOTE_COLUMNS = ("theme", "quote", "code", "participant", "pseudonym", "role", "site", "wave",
                 "time_point", "transcript", "turn", "coder", "exemplar", "coding_id", "text",
                 "attribution")


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
           "- Waves: " + "; ".join(f"{w['label']} ({w['description']})" if w.get("description")
                                    else w["label"] for w in summary.waves),
           f"- Themes: {len(summary.themes)}"]
    if filters_text(summary):
        out.append(f"- Selection: {filters_text(summary)}")
    out.append("")
    if summary.summary:
        out += ["## Project summary", ""]
        for block in paragraphs_of(summary.summary):
            out += [block, ""]
    out += ["## Contents", ""]
    for n, theme in enumerate(summary.themes, start=1):
        out.append(f"{n}. {theme.name} ({plural(theme.codings, 'coded segment')}, "
                   f"{plural(theme.participants, 'participant')})")
    out.append("")
    for theme in summary.themes:
        out += [f"## {theme.name}", "",
                f"*{plural(theme.codings, 'coded segment')} from {plural(theme.participants, 'participant')}.*", "",
                "### Definition", "", " ".join((theme.definition or "No definition yet.").split()), ""]
        if theme.inclusion:
            out += [f"**Include:** {' '.join(theme.inclusion.split())}", ""]
        if theme.exclusion:
            out += [f"**Exclude:** {' '.join(theme.exclusion.split())}", ""]
        if theme.memos:
            out += ["### Analytic memos", ""]
            for memo in theme.memos:
                out += [f"**{memo['title']}** *({memo['type']} memo"
                        f"{', ' + memo['author'] if memo.get('author') else ''})*", ""]
                for block in paragraphs_of(memo["body"]):
                    out += [block, ""]
        out += ["### Prevalence by wave and role", ""]
        header, rows = prevalence_rows(summary, theme)
        out += md_table(header, rows)
        out += ["", "*Participants with at least one coded segment / participants who took part "
                "at that wave (number of coded segments in brackets).*", ""]
        if theme.subcodes:
            out += ["### Sub-codes", ""]
            header, rows = subcode_rows(summary, theme)
            out += md_table(header, [[r[0].replace("\u2003", "\u00a0\u00a0"), *r[1:]] for r in rows])
            out.append("")
        out += ["### Exemplar quotes", ""]
        if not theme.quotes:
            out += ["*No coded segments for this theme in the selection.*", ""]
        for row in theme.quotes:
            out += md_quote(row["text"])
            out += [">", f"> \u2014 {row['attribution']}", ""]
    out += ["## About the quotes", "", QUOTE_NOTE, ""]
    return "\n".join(out)


def _csv(columns, rows) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore",
                            lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


def theme_summary_csv(summary: ThemeSummary) -> str:
    """One row per chosen quote, with its theme and attribution."""
    waves = {w["label"]: w for w in summary.waves}
    rows = []
    for theme in summary.themes:
        for n, row in enumerate(theme.quotes, start=1):
            rows.append({**row, "theme": theme.name, "quote": n, "coding_id": row["id"],
                         "time_point": wave_text(waves.get(row["wave"])),
                         "exemplar": int(bool(row["exemplar"]))})
    return _csv(QUOTE_COLUMNS, rows)


def collect_segments(project, *, codes=None, include_subcodes: bool = True, wave=None,
                     coder=None) -> list[dict]:
    """Coded segments of the chosen codes (default: all), each coding once, in wave,
    transcript and text order, with an attribution."""
    from .themes import check_filters

    check_filters(project, wave, coder)
    if codes:
        known = set(project.code_names())
        for name in codes:
            if name not in known:
                from ..errors import QualcodeError

                raise QualcodeError(f"unknown code {name!r}")
        names = codes
    else:
        names = [c["name"] for c in project.codebook()]
        include_subcodes = True
    waves = {w["label"]: w for w in project.waves()}
    seen, rows = set(), []
    for name in names:
        for row in project.segments(name, include_subcodes=include_subcodes, wave=wave, coder=coder):
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            row["coding_id"] = row["id"]
            row["time_point"] = wave_text(waves.get(row["wave"]))
            row["attribution"] = attribution(row, waves)
            row["exemplar"] = int(bool(row["exemplar"]))
            rows.append(row)
    rows.sort(key=lambda r: (r["wave_order"] if r["wave_order"] is not None else 10**6,
                             r["transcript"], r["start"], r["end"], r["code"], r["coder"]))
    return rows


def segments_csv(rows: list[dict]) -> str:
    return _csv(SEGMENT_COLUMNS, rows)


def segments_markdown(project, rows: list[dict]) -> str:
    out = [f"# Coded segments: {project.title}", "", f"{len(rows)} coded segments.", ""]
    by_code: dict[str, list[dict]] = {}
    for row in rows:
        by_code.setdefault(row["code"], []).append(row)
    order = {name: i for i, name in enumerate(project.code_names())}
    for code in sorted(by_code, key=lambda c: order.get(c, 10**6)):
        out += [f"## {code}", ""]
        for row in by_code[code]:
            out += md_quote(row["text"])
            extra = f" (coder {row['coder']}{', exemplar' if row['exemplar'] else ''})"
            out += [">", f"> \u2014 {row['attribution']}{extra}", ""]
            if row.get("memo"):
                out += [f"*Memo:* {' '.join(row['memo'].split())}", ""]
    return "\n".join(out)


__all__ = [
    "collect_segments",
    "role_label",
    "segments_csv",
    "segments_markdown",
    "theme_summary_csv",
    "theme_summary_markdown",
]
