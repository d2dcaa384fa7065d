"""The theme summary as a Word document: a title page, the contents, then per theme
its definition and criteria, the analyst's memos, prevalence by wave and role,
sub-codes with counts and exemplar quotes with attributions."""

from __future__ import annotations

from pathlib import Path

from . import docx_common as dc
from .themes import ThemeSummary, filters_text, prevalence_rows, subcode_rows

QUOTE_NOTE = (
    "Quotes are verbatim coded segments. Each is attributed as role, participant id "
    "(pseudonym), time point, transcript and speaker turn, e.g. \u201cClient C07 (Sharon), "
    "Six months, C07_W2, turn 12\u201d; participants are named only by study id and "
    "pseudonym. Quotes are chosen to spread across participants and waves; segments the "
    "analyst marked as exemplars are always included first."
)


def write_theme_summary(summary: ThemeSummary, path: Path) -> Path:
    doc = dc.new_document(f"Theme summary: {summary.title}", subject="Theme summary",
                          author=", ".join(summary.coders) or None)
    facts = [
        ("Study", summary.title),
        ("Date", summary.date),
        ("Coders", ", ".join(summary.coders) or "none"),
        ("Waves", "; ".join(f"{w['label']} ({w['description']})" if w.get("description")
                            else w["label"] for w in summary.waves)),
        ("Themes", str(len(summary.themes))),
        ("Selection", filters_text(summary)),
    ]
    dc.title_page(doc, "Theme summary", summary.title, facts, summary.summary)
    dc.page_break(doc)
    dc.add_toc(doc)
    dc.heading(doc, "Themes in this document", 2)
    for theme in summary.themes:
        dc.par(doc, f"{theme.name} \u2013 {dc.plural(theme.codings, 'coded segment')}, "
                    f"{dc.plural(theme.participants, 'participant')}", "List Number")
    numbers = dc.Numbering()
    for theme in summary.themes:
        write_theme(doc, summary, theme, numbers)
    heading = dc.heading(doc, "About the quotes", 1)
    heading.paragraph_format.page_break_before = True
    doc.add_paragraph(QUOTE_NOTE)
    return dc.save(doc, path)


def write_theme(doc, summary: ThemeSummary, theme, numbers: dc.Numbering) -> None:
    heading = dc.heading(doc, theme.name, 1)
    heading.paragraph_format.page_break_before = True
    dc.note(doc, f"{dc.plural(theme.codings, 'coded segment')} from {dc.plural(theme.participants, 'participant')}"
                 f"{'; stage: ' + theme.code['stage'] if theme.code.get('stage') else ''}.")
    dc.heading(doc, "Definition", 2)
    if theme.definition:
        doc.add_paragraph(" ".join(theme.definition.split()))
    else:
        dc.note(doc, "No definition has been written yet.")
    dc.labelled(doc, "Include", theme.inclusion)
    dc.labelled(doc, "Exclude", theme.exclusion)
    if theme.memos:
        dc.heading(doc, "Analytic memos", 2)
        for memo in theme.memos:
            p = doc.add_paragraph()
            p.paragraph_format.keep_with_next = True
            p.add_run(memo["title"]).bold = True
            p.add_run(f"  ({memo['type']} memo{', ' + memo['author'] if memo.get('author') else ''}"
                      f", {memo['updated'][:10]})").italic = True
            for block in dc.paragraphs_of(memo["body"]):
                doc.add_paragraph(block)
    dc.heading(doc, "Prevalence by wave and role", 2)
    header, rows = prevalence_rows(summary, theme)
    dc.add_table(doc, header, rows, first_column_bold=True, font_size=9.5,
                 widths=dc.first_wide(len(header), first=0.24), caption=numbers.table(
        f"{theme.name}: participants with at least one coded segment / participants who "
        "took part at that wave (number of coded segments in brackets)."))
    if theme.subcodes:
        dc.heading(doc, "Sub-codes", 2)
        header, rows = subcode_rows(summary, theme)
        dc.add_table(doc, header, rows, font_size=9.5, widths=dc.first_wide(len(header), first=0.45),
                     caption=numbers.table(
            f"{theme.name}: coded segments per sub-code and wave."))
    dc.heading(doc, "Exemplar quotes", 2)
    if not theme.quotes:
        dc.note(doc, "No coded segments for this theme in the selection.")
    for row in theme.quotes:
        dc.add_quote(doc, row["text"], row["attribution"])
