"""The theme summary as a Word document: a title page, the contents, then per theme
its definition and criteria, the analysts' memos, prevalence by wave and role,
sub-codes, change over time and exemplar quotes with attributions."""

from __future__ import annotations

from pathlib import Path

from . import docx_common as dc
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

QUOTE_NOTE = (
    "Quotes are coded passages, widened to whole sentences; a passage longer than about "
    "600 characters is cut after a whole sentence and marked with an ellipsis (\u2026). "
    "Overlapping codings (by several coders, or with several codes) are one passage and "
    "are quoted once. Each quote is attributed as role, participant id (pseudonym), time "
    "point, transcript, speaker turn and, where it is known, the turn's time in the recording "
    "(\u201c~\u201d before a time estimated from neighbouring turns), then the codes it was "
    "coded with, e.g. \u201cClient C07 (Sharon), Six months, C07_W2, turn 12, 00:14:32 \u00b7 "
    "Trust and rapport\u201d; "
    "participants are named only by study id and pseudonym, and the time point is the one "
    "of their role (a manager's first wave is the service's start-up). Quotes are chosen "
    "to spread across roles, participants and waves, shorter passages first; passages the "
    "analyst marked as exemplars are always included first."
)


def anchor(n: int) -> str:
    return f"theme_{n}"


def write_theme_summary(summary: ThemeSummary, path: Path) -> Path:
    doc = dc.new_document(f"Theme summary: {summary.title}", subject="Theme summary",
                          author=", ".join(summary.coders) or None)
    facts = [
        ("Study", summary.title),
        ("Date", summary.date),
        ("Coders", ", ".join(summary.coders) or "none"),
        ("Waves", "; ".join(f"{w.label} ({w.description})" if w.description
                            else w.label for w in summary.waves)),
        ("Themes", str(len(summary.themes))),
        ("Selection", filters_text(summary)),
        ("Counts", count_rule(summary)[:1].upper() + count_rule(summary)[1:] + "."),
    ]
    dc.title_page(doc, "Theme summary", summary.title, facts, summary.summary)
    dc.page_break(doc)
    entries = [(f"{n}. {theme.name} \u2013 {dc.plural(theme.count, 'coded passage')}, "
                f"{dc.plural(theme.participants, 'participant')}", anchor(n))
               for n, theme in enumerate(summary.themes, start=1)]
    entries.append(("About the quotes", "about_quotes"))
    dc.add_contents(doc, entries)
    numbers = dc.Numbering()
    for n, theme in enumerate(summary.themes, start=1):
        write_theme(doc, summary, theme, numbers, anchor(n))
    heading = dc.heading(doc, "About the quotes", 1)
    heading.paragraph_format.page_break_before = True
    dc.bookmark(heading, "about_quotes")
    doc.add_paragraph(QUOTE_NOTE)
    return dc.save(doc, path)


def write_theme(doc, summary: ThemeSummary, theme, numbers: dc.Numbering, mark: str) -> None:
    heading = dc.heading(doc, theme.name, 1)
    heading.paragraph_format.page_break_before = True
    dc.bookmark(heading, mark)
    dc.note(doc, f"{dc.plural(theme.count, 'coded passage')} from "
                 f"{dc.plural(theme.participants, 'participant')}"
                 f"{'; stage: ' + theme.code.stage if theme.code.stage else ''}.")
    dc.heading(doc, "Definition", 2)
    if theme.definition:
        doc.add_paragraph(" ".join(theme.definition.split()))
    else:
        dc.note(doc, "No definition has been written yet.")
    dc.labelled(doc, "Include", theme.inclusion)
    dc.labelled(doc, "Exclude", theme.exclusion)
    if theme.memos:
        dc.heading(doc, "Analytic memos", 2)
        for placed in theme.memos:
            memo = placed.memo
            p = doc.add_paragraph()
            p.paragraph_format.keep_with_next = not placed.see
            p.add_run(memo.title).bold = True
            p.add_run(f"  ({memo_note(memo)})").italic = True
            if placed.see:
                dc.note(doc, f"Printed in full under {placed.see}.")
                continue
            for block in dc.paragraphs_of(memo.body):
                doc.add_paragraph(block)
    dc.heading(doc, f"Prevalence by wave and {group_heading(summary).lower()}", 2)
    header, rows = prevalence_rows(summary, theme)
    dc.add_table(doc, header, rows, first_column_bold=True, font_size=9.5,
                 widths=dc.first_wide(len(header), first=0.24), caption=numbers.table(
        f"{theme.name}: participants with at least one coded passage / participants who "
        f"took part at that wave (passages in brackets). Counts are {count_rule(summary)}."))
    if theme.subcodes:
        dc.heading(doc, "Sub-codes", 2)
        header, rows = subcode_rows(summary, theme)
        dc.add_table(doc, header, rows, font_size=9.5, widths=dc.first_wide(len(header), first=0.45),
                     caption=numbers.table(
            f"{theme.name}: coded passages per sub-code and wave (overlapping codings of one "
            "sub-code count once; a passage coded with two sub-codes counts for each)."))
    if theme.change:
        dc.heading(doc, "Change over time", 2)
        doc.add_paragraph(change_text(summary, theme))
        header, rows = change_rows(summary, theme)
        dc.add_table(doc, header, rows, first_column_bold=True, font_size=9.5,
                     widths=dc.first_wide(len(header), first=0.24), caption=numbers.table(
            f"{theme.name}: change over time, participants with the theme / participants "
            "who took part at each wave, and the label of those shares (rules: emerges, "
            "increases, surges, decreases, ceases, constant; idiosyncratic when at most two "
            "people have it)."))
        paired = theme.change.get("paired")
        if paired:
            first = paired["quotes"][0]
            who = dc.person_label(first.participant, first.pseudonym)
            dc.par(doc, f"One participant across the waves: {who}", "Heading 3")
            for row in paired["quotes"]:
                dc.add_quote(doc, row.quote, quote_source(row))
        if theme.summaries:
            from .docx_summaries import summaries_across_waves

            dc.par(doc, "The analyst's summaries across the waves", "Heading 3")
            summaries_across_waves(doc, theme.summaries, summary.waves, caption=numbers.table(
                f"{theme.name}: the analyst's summary of each participant (or case) at each wave."))
    dc.heading(doc, "Exemplar quotes", 2)
    if not theme.quotes:
        dc.note(doc, "No coded passages for this theme in the selection.")
    for row in theme.quotes:
        dc.add_quote(doc, row.quote, quote_source(row))
