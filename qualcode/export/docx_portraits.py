"""Pen portraits: one section per participant with attributes, attendance per wave,
code profile per wave, the pen-portrait memo and key quotes per wave."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ..errors import QualcodeError
from ..records import Participant
from ..records.codes import Code
from ..records.codings import Segment
from ..store import exports as store_exports
from . import docx_common as dc
from .quotes import Texts, passages, pick_quotes
from .text_exports import collect_segments
from .themes import OBSERVED, participation_status, quote_source

STATUS_TEXT = {"interviewed": "interviewed", "missed": "missed", "withdrawn": "withdrawn",
               "not_yet": "not yet", "focus-group": "took part in a focus group",
               "document": "in a document", "none": "no record"}


def choose_people(project, participants=None, role: str | None = None,
                  where=None) -> list[Participant]:
    """The participants to portray: those named, of a role, and those the
    participant-level filters ``where`` keep at one wave or more."""
    people = project.study.participants()
    if where:
        from ..analysis import filters

        bound = filters.bind(project.db, where, analysis="pen portraits", codings=False)
        assert bound is not None
        labels = [w.label for w in project.study.waves()]
        people = [p for p in people if any(bound.participant_holds(p.pid, label) for label in labels)]
    if participants:
        known = {p.pid for p in people}
        for pid in participants:
            if pid not in known:
                raise QualcodeError(f"unknown participant {pid!r}")
        people = [p for p in people if p.pid in set(participants)]
    if role:
        roles = {p.role for p in project.study.participants()}
        if role not in roles:
            raise QualcodeError(f"no participant has the role {role!r}")
        people = [p for p in people if p.role == role]
    if not people:
        raise QualcodeError("nothing to export: no participants in the selection")
    return people


class Context:
    """Everything the portraits share, loaded once."""

    def __init__(self, project, quotes: int) -> None:
        self.project = project
        self.quotes = quotes
        self.waves = project.study.waves()
        self.wave_by_label = {w.label: w for w in self.waves}
        self.statuses = participation_status(project)
        self.attendance = {(pid, label): status for pid, label, status in project.study.attendance()}
        self.transcripts: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        for name, wave, kind, pid in store_exports.transcript_people(project.db):
            self.transcripts[(pid, wave)].append(name if kind == "interview" else f"{name} ({kind})")
        self.segments: dict[str, list[Segment]] = defaultdict(list)
        for row in collect_segments(project):
            if row.segment.participant:
                self.segments[row.segment.participant].append(row.segment)
        codes = project.codebook.codes()
        self.order = {c.name: i for i, c in enumerate(_tree_order(codes))}
        parent = {c.name: c.parent for c in codes}
        is_category = {c.name: c.is_category for c in codes}

        def top(name):
            while parent.get(name) and not is_category.get(name):
                name = parent[name]
            return name

        self.category = {c.name: top(c.parent) if c.parent else c.name for c in codes}
        self.memos = project.memos.all()
        self.summaries: dict[str, list] = defaultdict(list)
        for summary in project.summaries.all(row_kind="participant"):
            self.summaries[summary.row].append(summary)
        self.texts = Texts(project)

    def status(self, pid: str, label: str) -> str:
        """The recorded attendance, or how the participant took part without an
        interview (a focus group, a document) as the analysis cube sees it."""
        recorded = self.attendance.get((pid, label))
        if recorded and recorded != "not_yet":
            return recorded
        return self.statuses.get((pid, label)) or recorded or "none"


def _tree_order(codes: list[Code]) -> list[Code]:
    children = defaultdict(list)
    for c in codes:
        children[c.parent].append(c)
    out = []

    def walk(parent):
        for c in children.get(parent, []):
            out.append(c)
            walk(c.name)

    walk(None)
    return out


def write_portraits(project, target: Path, *, per_participant: bool, participants=None,
                    role: str | None = None, quotes: int = 3, where=None) -> list[Path]:
    if quotes < 0:
        raise QualcodeError(f"number of quotes {quotes} is negative")
    people = choose_people(project, participants, role, where)
    ctx = Context(project, quotes)
    if per_participant:
        written = []
        for person in people:
            doc = _document(project, f"Pen portrait: {person.pid}")
            write_person(doc, ctx, person, first=True)
            written.append(dc.save(doc, Path(target) / f"{person.pid}.docx"))
        return written
    doc = _document(project, "Pen portraits")
    dc.title_page(doc, "Pen portraits", project.title, [
        ("Study", project.title), ("Date", dc.today()),
        ("Participants", ", ".join(dc.person_label(p.pid, p.pseudonym) for p in people))])
    dc.page_break(doc)
    dc.add_contents(doc, [(dc.person_label(p.pid, p.pseudonym), f"person_{i}")
                          for i, p in enumerate(people, start=1)])
    for i, person in enumerate(people, start=1):
        write_person(doc, ctx, person, first=False, mark=f"person_{i}")
    return [dc.save(doc, target)]


def _document(project, title: str):
    return dc.new_document(f"{title}: {project.title}", subject="Pen portraits")


def write_person(doc: Any, ctx: Context, person: Participant, *, first: bool, mark: str | None = None) -> None:
    """One participant's section: heading, attributes, attendance, code profile, memos
    and key quotes."""
    pid = person.pid
    heading = dc.heading(doc, dc.person_label(pid, person.pseudonym), 1)
    if mark:
        dc.bookmark(heading, mark)
    if not first:
        heading.paragraph_format.page_break_before = True
    dc.note(doc, ", ".join(x for x in (dc.role_label(person.role) if person.role else "",
                                       person.site or "") if x) or "No role or site recorded.")
    who = dc.person_label(pid, person.pseudonym)
    _attributes(doc, ctx, person, who)
    _attendance(doc, ctx, person, who)
    segments = ctx.segments.get(pid, [])
    dc.heading(doc, "Code profile", 2)
    if not segments:
        dc.note(doc, "Nothing has been coded for this participant yet.")
    else:
        _code_profile(doc, ctx, pid, segments, who)
    _memos(doc, ctx, pid)
    if ctx.summaries.get(pid):
        from .docx_summaries import trajectory_table

        dc.heading(doc, "Summary grid", 2)
        trajectory_table(doc, ctx.summaries[pid], ctx.waves, person.role)
    _key_quotes(doc, ctx, person, segments)


def _attributes(doc: Any, ctx: Context, person: Participant, who: str) -> None:
    dc.heading(doc, "Attributes", 2)
    fixed = [("Role", dc.role_label(person.role) if person.role else ""),
             ("Site", person.site or ""),
             *((k.replace("_", " "), v or "") for k, v in person.attributes.items())]
    dc.add_table(doc, ["Attribute", "Value"], fixed, widths=[5.0, 11.0], font_size=9.5,
                 first_column_bold=True, caption=f"{who}: attributes.")
    keys = sorted({k for values in person.wave_attributes.values() for k in values})
    if keys:
        labels = [w.label for w in ctx.waves]
        rows = [[k.replace("_", " "), *(person.wave_attributes.get(item, {}).get(k) or "\u2013"
                                        for item in labels)] for k in keys]
        dc.add_table(doc, ["Attribute", *labels], rows, font_size=9.5, first_column_bold=True,
                     widths=dc.first_wide(len(labels) + 1, first=0.31),
                     caption=f"{who}: attributes that change between waves.")


def _attendance(doc: Any, ctx: Context, person: Participant, who: str) -> None:
    pid = person.pid
    dc.heading(doc, "Attendance", 2)
    rows = []
    for wave in ctx.waves:
        label = wave.label
        rows.append([label, dc.wave_text(wave, person.role),
                     STATUS_TEXT.get(ctx.status(pid, label), ctx.status(pid, label)),
                     ", ".join(ctx.transcripts.get((pid, label), [])) or "\u2013"])
    dc.add_table(doc, ["Wave", "Time point", "Status", "Transcripts"], rows, font_size=9.5,
                 widths=[2.0, 4.0, 4.5, 5.5], caption=f"{who}: participation per wave.")


def _code_profile(doc: Any, ctx: Context, pid: str, segments: list[Segment], who: str) -> None:
    """Coded passages per code and wave, codes under their category (in bold)."""
    labels = [w.label for w in ctx.waves]
    took_part = {label: ctx.statuses.get((pid, label)) in OBSERVED for label in labels}
    counts: dict[str, Counter] = defaultdict(Counter)
    for passage in passages(segments, ctx.texts, ctx.wave_by_label, by_code=True):
        counts[passage.code][passage.wave or "-"] += 1
    # A category's row merges its codes' passages where they overlap.
    in_category = [s._replace(code=ctx.category.get(s.code, s.code)) for s in segments]
    totals: dict[str, Counter] = defaultdict(Counter)
    for passage in passages(in_category, ctx.texts, ctx.wave_by_label, by_code=True):
        totals[passage.code][passage.wave or "-"] += 1
    by_category: dict[str, list[str]] = defaultdict(list)
    for code in sorted(counts, key=lambda c: ctx.order.get(c, 10**6)):
        by_category[ctx.category.get(code, code)].append(code)

    def cells(counter: Counter) -> list:
        return [counter.get(item, 0) if took_part[item] else "\u2013" for item in labels]

    rows = []
    for category in sorted(by_category, key=lambda c: ctx.order.get(c, 10**6)):
        rows.append([category, *cells(totals[category]), sum(totals[category].values())])
        for code in by_category[category]:
            if code != category:
                rows.append(["\u2003" + code, *cells(counts[code]), sum(counts[code].values())])
    table = dc.add_table(doc, ["Code", *labels, "Total"], rows, font_size=9,
                         widths=dc.first_wide(len(labels) + 2, first=0.5),
                         caption=f"{who}: coded passages per code and wave (overlapping codings "
                                 "of one code count once; categories in bold count their codes' "
                                 "passages, once where they overlap; \u2013: did not take part).")
    for r, cells_of_row in enumerate(rows, start=1):
        if not cells_of_row[0].startswith("\u2003"):
            for cell in table.rows[r].cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _memos(doc: Any, ctx: Context, pid: str) -> None:
    """The pen-portrait memos, then every other memo linked to the participant."""
    portraits = [m for m in ctx.memos if m.type == "participant" and m.linked_to("participant", pid)]
    others = [m for m in ctx.memos if m.type != "participant" and m.linked_to("participant", pid)]
    dc.heading(doc, "Pen portrait", 2)
    if not portraits:
        dc.note(doc, "No pen-portrait memo has been written yet.")
    for memo in portraits + others:
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        p.add_run(memo.title).bold = True
        p.add_run(f"  ({memo.type} memo{', ' + memo.author if memo.author else ''})").italic = True
        for block in dc.paragraphs_of(memo.body):
            doc.add_paragraph(block)


def _key_quotes(doc: Any, ctx: Context, person: Participant, segments: list[Segment]) -> None:
    dc.heading(doc, "Key quotes", 2)
    if not segments or not ctx.quotes:
        dc.note(doc, "No quotes.")
        return
    merged = passages(segments, ctx.texts, ctx.wave_by_label, by_code=False)
    for wave in ctx.waves:
        chosen_rows = [r for r in merged if r.wave == wave.label]
        if not chosen_rows:
            continue
        dc.heading(doc, f"{wave.label}: {dc.wave_text(wave, person.role)}", 3)
        chosen = pick_quotes(chosen_rows, ctx.quotes,
                             spread=lambda r: (ctx.category.get(r.codes[0], r.codes[0]),))
        for row in chosen:
            dc.add_quote(doc, row.quote, quote_source(row))

