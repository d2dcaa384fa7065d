"""The methods appendix: the COREQ checklist (32 items) filled with what the project
holds, then the figures behind it: the sample, waves and attendance, data collected
and durations, coders and agreement, the coding tree with counts, saturation by role,
how quotes are cited, and the research team.

Figures come from :mod:`qualcode.analysis` (cube, attendance grid, sample
description, saturation, agreement) and :mod:`qualcode.export.methods_facts`; the
study facts no data can give (interviewers, setting, recording...) from
:mod:`qualcode.study_facts`.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from docx.shared import Cm

from ..errors import QualcodeError
from ..records import Wave
from ..records.analysis import AgreementReport, SaturationCurve
from . import docx_common as dc
from . import methods_facts as mf
from .docx_codebook import COUNT_RULE, _walk, count_passages
from .docx_theme import QUOTE_NOTE

STATUSES = ("interviewed", "focus-group", "missed", "withdrawn", "not_yet")
IDIOSYNCRATIC = 2


def write_methods(project, path: Path) -> Path:
    from ..analysis.cube import load_cube
    from ..analysis.describe import attendance_grid

    people = project.study.participants()
    if not people and not project.transcripts.all():
        raise QualcodeError("nothing to export: the project has no participants or transcripts")
    coders = [c.name for c in project.study.coders() if c.codings]
    doc = dc.new_document(f"Methods appendix: {project.title}", subject="Methods appendix",
                          author=", ".join(coders) or None)
    dc.title_page(doc, "Methods appendix", project.title,
                  [("Study", project.title), ("Date", dc.today())])
    dc.note(doc, "Figures computed by qualcode from the project file. The checklist says "
                 "\u201cnot recorded\u201d where the project holds nothing for an item: add the "
                 "study facts with `qualcode study set` or a study file, or write them in here.")
    cube = load_cube(project.db)
    grid = attendance_grid(cube)
    figures = gather(project, cube, grid, coders)
    numbers = dc.Numbering()
    coreq_section(doc, project, figures, numbers)
    participants_section(doc, project, cube, people, numbers)
    waves_section(doc, project, people, grid, numbers)
    data_section(doc, project, figures, numbers)
    coding_section(doc, project, coders, figures, numbers)
    saturation_section(doc, figures, numbers)
    dc.heading(doc, "How quotes are identified", 1)
    doc.add_paragraph(QUOTE_NOTE)
    doc.add_paragraph(
        "Turn numbers count the speaker turns of a transcript from 1, as qualcode stores "
        "them, so any quote can be found again in the project with its transcript name and "
        "turn. Time points are those of the speaker's role, as set for each wave, else the "
        "part of the wave's description naming the role, else the wave's label.")
    team_section(doc, project)
    return dc.save(doc, path)


def gather(project, cube, grid, coders: list[str]) -> dict:
    """Every figure the checklist cites."""
    from ..analysis.change import change_report
    from ..analysis.saturation import saturation

    people = project.study.participants()
    by_role = Counter(p.role or "" for p in people)
    transcripts = project.transcripts.all()
    interviews = [t for t in transcripts if t.kind == "interview"]
    groups = [t for t in transcripts if t.kind == "focus-group"]
    timed, partial = mf.durations(project)
    lost: Counter[str] = Counter()
    for row in grid.participants:
        for status in row.status.values():
            if status in ("missed", "withdrawn"):
                lost[status] += 1
    roles_text = ", ".join(f"{by_role[r]} {dc.role_label(r).lower() if r else 'without a role'}"
                           f"{'s' if by_role[r] != 1 and r else ''}" for r in sorted(by_role))
    curves = saturation(project.db, order="coding", by_role=True).curves
    sat = "; ".join(
        f"{dc.role_label(role) if role != '(no role)' else 'No role'}: {c.distinct_codes} codes "
        f"first used over {plural_t(c.transcripts)}, {last_k(c)}"
        for role, c in curves.items() if c.transcripts)
    report = change_report(cube)
    minor = [s.code for s in report.sample if s.label == "idiosyncratic"]
    tree = project.codebook.tree()
    counted = count_passages(project, tree)
    flat = list(_walk(tree))
    themes = sorted(((n.name, counted[n.name].total) for n, d in flat if d == 0 and counted[n.name].total),
                    key=lambda x: -x[1])
    agreement = agreement_report(project, coders)
    notes = sum(1 for t in transcripts if t.kind == "notes")
    return {
        "sample_size": f"{len(people)} participants: {roles_text}.",
        "non_participation": (f"{dc.plural(lost['missed'], 'missed interview')} and "
                              f"{dc.plural(lost['withdrawn'], 'withdrawal')} recorded in the "
                              "attendance (see Waves and attendance)."
                              if lost else "No missed interview or withdrawal recorded."),
        "sample_description": ("Participants by role and site, and every attribute by role "
                               "with missing values shown (see Participants)."),
        "repeat_interviews": mf.repeat_text(project, cube),
        "duration": " ".join([
            mf.duration_summary([d for d in timed if d.kind == "interview"], len(interviews),
                                "Interviews"),
            mf.duration_summary([d for d in timed if d.kind == "focus-group"], len(groups),
                                "Focus groups")]),
        "durations": timed, "partial": partial,
        "saturation": (f"First use of each code in coding order, by role: {sat}." if sat
                       else "Nothing coded yet."),
        "curves": curves,
        "coders": (f"{len(coders)}: {', '.join(coders)}"
                   + (f"; {len(agreement.transcripts)} transcripts coded by two or more, with "
                      "agreement figures below." if agreement else ".")) if coders else "none yet",
        "agreement": agreement,
        "coding_tree": (f"{sum(1 for n, _ in flat if not n.is_category)} codes in "
                        f"{sum(1 for n, _ in flat if n.is_category)} categories, with "
                        "definitions, in the coding tree table below and the codebook export."),
        "tree": tree, "tree_passages": counted,
        "quotations": ("Yes: exports quote coded passages attributed by role, participant id and "
                       "pseudonym, time point, transcript and turn."),
        "major_themes": ("Top-level themes by coded passages: "
                         + "; ".join(f"{name} {n}" for name, n in themes) + ".") if themes
                        else "No coded themes yet.",
        "minor_themes": (f"Codes used by at most {IDIOSYNCRATIC} participants (idiosyncratic): "
                         + ", ".join(minor) + ".") if minor else "No idiosyncratic codes.",
        "stages": mf.stage_text(project),
        "field_notes": f"(The project holds {dc.plural(notes, 'transcript')} of field notes.)"
                       if notes else "",
    }


def plural_t(n: int) -> str:
    return dc.plural(n, "transcript")


def last_k(curve: SaturationCurve) -> str:
    """What the last transcripts added, or that there are too few to tell."""
    if curve.transcripts <= curve.k:
        return "too few transcripts to judge"
    return (f"the last {curve.k} coded adding {curve.new_in_last_k} "
            f"({curve.new_share_last_k * 100:.0f}% of the codes used)")


def agreement_report(project, coders: list[str]) -> AgreementReport | None:
    if len(coders) < 2:
        return None
    from ..analysis.agreement_service import agreement

    try:
        return agreement(project, coders, unit="char")
    except QualcodeError:
        return None


def coreq_section(doc, project, figures: dict, numbers) -> None:
    dc.heading(doc, "COREQ checklist", 1)
    doc.add_paragraph(
        "The consolidated criteria for reporting qualitative research (COREQ; Tong, Sainsbury "
        "and Craig, 2007): 32 items in three domains, each with what this project records.")
    rows = mf.coreq_rows(project, figures)
    by_number = {n: (item, text) for n, item, text in rows}
    body = []
    for domain, numbers_in in mf.DOMAINS:
        body.append(["", domain, ""])
        body += [[str(n), by_number[n][0], by_number[n][1]] for n in numbers_in]
    table = dc.add_table(doc, ["No.", "Item", "In this project"], body, font_size=8.5,
                         widths=[1.1, 4.2, 10.7],
                         caption=numbers.table("The COREQ checklist with what the project holds."))
    for r, row in enumerate(body, start=1):
        if not row[0]:
            for cell in table.rows[r].cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def participants_section(doc, project, cube, people, numbers) -> None:
    dc.heading(doc, "Participants", 1)
    roles = sorted({p.role or "" for p in people})
    sites = sorted({p.site or "" for p in people})
    count = Counter((p.role or "", p.site or "") for p in people)
    by_role = Counter(p.role or "" for p in people)
    header = ["Role", *(s or "(no site)" for s in sites), "Total"]
    rows = [[dc.role_label(r) if r else "(no role)", *(count[(r, s)] for s in sites), by_role[r]]
            for r in roles]
    rows.append(["Total", *(sum(count[(r, s)] for r in roles) for s in sites), len(people)])
    dc.add_table(doc, header, rows, first_column_bold=True, font_size=10,
                 widths=dc.first_wide(len(header), first=0.3),
                 caption=numbers.table("Participants by role and site."))
    sample_header, sample_rows = mf.sample_table(project, cube)
    dc.add_table(doc, sample_header, sample_rows, font_size=8.5, first_column_bold=True,
                 widths=dc.first_wide(len(sample_header), first=0.3),
                 caption=numbers.table(
                     "The sample by role: participants with each value, n (% of the role); "
                     "(missing): no value recorded; numbers as median (range)."))


def waves_section(doc, project, people, grid, numbers) -> None:
    dc.heading(doc, "Waves and attendance", 1)
    waves = project.study.waves()
    if not waves:
        dc.note(doc, "The project has no waves.")
        return
    summary = {row.wave: row for row in grid.summary}
    statuses = {row.participant: row.status for row in grid.participants}
    # "Not yet" only when someone is not yet due: the columns must fit a portrait page.
    statuses_shown = [s for s in STATUSES
                      if s != "not_yet" or any(w.label in summary and summary[w.label].count(s)
                                               for w in waves)]
    names = {"interviewed": "Interviewed", "focus-group": "Focus group", "missed": "Missed",
             "withdrawn": "Withdrawn", "not_yet": "Not yet"}
    header = ["Wave", "Time point", "Dates", *(names[s] for s in statuses_shown), "Retained"]
    rows = []
    for wave in waves:
        row = summary.get(wave.label)
        dates = " \u2013\n".join(d for d in (wave.start_date, wave.end_date) if d)
        retention = row.retention if row else None
        points = time_points_text(wave, sorted({p.role for p in people if p.role}))
        rows.append([wave.label, points, dates or "\u2013",
                     *(row.count(s) if row else 0 for s in statuses_shown),
                     f"{retention * 100:.0f}%" if retention is not None else "\u2013"])
    widths = {"interviewed": 2.35, "focus-group": 1.45, "missed": 1.5, "withdrawn": 2.3,
              "not_yet": 1.1}
    fixed = [1.4, 2.2] + [widths[s] for s in statuses_shown] + [1.9]
    dc.add_table(doc, header, rows, font_size=8, first_column_bold=True,
                 widths=[fixed[0], 16.0 - sum(fixed), *fixed[1:]],
                 caption=numbers.table(
                     "Waves and attendance. A participant counts in every way they took part "
                     "(interviewed and in a focus group at one wave counts in both). Retention: "
                     "of those interviewed at the first wave and due at a wave, the share "
                     "interviewed there."))
    people_by_pid = {p.pid: p for p in people}
    lost = []
    for pid in sorted(statuses):
        for wave in waves:
            status = statuses[pid].get(wave.label)
            if status in ("missed", "withdrawn"):
                person = people_by_pid.get(pid)
                lost.append(f"{dc.role_label(person.role if person else None)} "
                            f"{dc.person_label(pid, person.pseudonym if person else None)}: "
                            f"{status} at {wave.label}")
    dc.heading(doc, "Non-participation", 2)
    if lost:
        for line in lost:
            dc.par(doc, line, "List Bullet")
    else:
        doc.add_paragraph("No participant missed a wave or withdrew.")


def time_points_text(wave: Wave, roles: list[str]) -> str:
    """"Baseline (clients); Service start-up (managers)", one entry per distinct label."""
    by_label: dict[str, list[str]] = {}
    for role in roles:
        by_label.setdefault(dc.wave_text(wave, role), []).append(dc.role_label(role).lower() + "s")
    if len(by_label) <= 1:
        return next(iter(by_label), dc.wave_text(wave))
    return "; ".join(f"{label} ({', '.join(who)})" for label, who in by_label.items())


def data_section(doc, project, figures: dict, numbers) -> None:
    dc.heading(doc, "Data collected", 1)
    transcripts = project.transcripts.all()
    kinds = Counter((t.kind, t.wave or "-") for t in transcripts)
    waves = [w.label for w in project.study.waves()]
    if any(t.wave is None for t in transcripts):
        waves.append("-")
    kind_names = sorted({k for k, _ in kinds})
    words = sum(t.words or 0 for t in transcripts)
    doc.add_paragraph(f"{len(transcripts)} transcripts ({words:,} words).")
    if transcripts:
        header = ["Kind", *("no wave" if w == "-" else w for w in waves), "Total"]
        rows = [[k, *(kinds[(k, w)] for w in waves), sum(kinds[(k, w)] for w in waves)]
                for k in kind_names]
        dc.add_table(doc, header, rows, first_column_bold=True, font_size=10,
                     widths=dc.first_wide(len(header), first=0.3),
                     caption=numbers.table("Transcripts by kind and wave."))
    dc.heading(doc, "Durations", 2)
    doc.add_paragraph(figures["duration"])
    partial = figures["partial"]
    if partial:
        dc.note(doc, f"Left out: {dc.plural(len(partial), 'transcript')} with timestamps on some "
                     "turns only (" + ", ".join(t["name"] for t in partial) + "); their first and "
                     "last timestamps do not bound the conversation.")
    timed = figures["durations"]
    if timed:
        rows = [[d.name, d.kind, d.wave or "\u2013", d.participant or "\u2013", f"{d.minutes:.0f}",
                 d.source] for d in timed]
        dc.add_table(doc, ["Transcript", "Kind", "Wave", "Participant", "Minutes", "From"], rows,
                     font_size=9, widths=[4.0, 2.6, 1.6, 2.6, 1.8, 3.4],
                     caption=numbers.table("Durations: recorded, or from the first to the last "
                                           "timestamp of a completely time-stamped transcript."))


def coding_section(doc, project, coders: list[str], figures: dict, numbers) -> None:
    dc.heading(doc, "Coding", 1)
    everyone = [c for c in project.study.coders() if c.codings]
    doc.add_paragraph(f"{len(everyone)} coder{'s' if len(everyone) != 1 else ''} applied "
                      f"{sum(c.codings for c in everyone)} codings.")
    if everyone:
        dc.add_table(doc, ["Coder", "Codings"], [[c.name, c.codings] for c in everyone],
                     font_size=10, widths=[8.0, 4.0], caption=numbers.table("Codings per coder."))
    dc.heading(doc, "Agreement", 2)
    agreement_paragraphs(doc, project, coders, figures["agreement"], numbers)
    dc.heading(doc, "Coding tree", 2)
    labels = [w.label for w in project.study.waves()]
    flat = list(_walk(figures["tree"]))
    counted = figures["tree_passages"]
    rows = [["\u2003" * depth + node.name, node.stage,
             *(counted[node.name].inclusive_by_wave.get(item, 0) for item in labels),
             counted[node.name].total]
            for node, depth in flat]
    if rows:
        table = dc.add_table(doc, ["Code", "Stage", *labels, "Total"], rows, font_size=8.5,
                             widths=[6.5, 2.0] + [7.5 / (len(labels) + 1)] * (len(labels) + 1),
                             caption=numbers.table("The coding tree with coded passages per wave "
                                                   "(top-level codes in bold). " + COUNT_RULE))
        for r, (_node, depth) in enumerate(flat, start=1):
            if depth == 0:
                for cell in table.rows[r].cells:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
    else:
        dc.note(doc, "The codebook is empty.")


def fmt(value, digits: int = 2) -> str:
    """A figure with a real minus sign; \u2013 when undefined."""
    if value is None:
        return "\u2013"
    text = f"{value:.{digits}f}"
    if text.startswith("-") and text.strip("-0."):
        return "\u2212" + text[1:]
    return text.lstrip("-")


def agreement_paragraphs(doc, project, coders: list[str], report: AgreementReport | None,
                         numbers) -> None:
    if len(coders) < 2:
        doc.add_paragraph("One coder coded the data, so there are no agreement figures.")
        return
    if report is None:
        doc.add_paragraph("No transcript was coded by two or more coders, so there are no "
                          "agreement figures.")
        return
    overall = report.overall
    two = len(report.coders) == 2
    table = overall.table or {}
    coded = mf.coded_agreement(table) if two else None
    kappa = f", Cohen's kappa {fmt(overall.kappa)}" if two else ""
    doc.add_paragraph(
        f"{_and(list(report.coders))} {'both' if two else 'all'} coded "
        f"{dc.plural(len(report.transcripts), 'transcript')} "
        f"({', '.join(report.transcripts)}). Character-level agreement over all codes: "
        f"{fmt(overall.percent_agreement, 1)}%{kappa}, Krippendorff's alpha "
        f"{fmt(overall.alpha)}.")
    if two:
        total = sum(table.values()) or 1
        doc.add_paragraph(
            "Percent agreement counts every character of the compared transcripts once per "
            f"code, including those neither coder coded with it ({100 * table.get('neither', 0) / total:.1f}% "
            "of them here), so it is high whenever codes are rare. On the text either coder "
            f"coded, the coders agreed on {fmt(coded, 1)}% (characters both coded / characters "
            "either coded); kappa and alpha correct for chance. A figure resting on few coded "
            "characters (see the columns of each coder) says little.")
    dc.add_table(doc, ["Coder", "Codings", "Transcripts", "Characters coded"],
                 mf.coder_base(project, report), font_size=9.5, widths=[5.0, 3.0, 3.0, 4.0],
                 caption=numbers.table("What each coder coded in the compared transcripts "
                                       "(characters summed over codes)."))
    order = {name: i for i, name in enumerate(project.codebook.code_names())}
    rows = []
    for r in sorted(report.codes, key=lambda r: order.get(r.code or "", 10**6)):
        t = r.table or {}
        rows.append([r.code, *( [t.get("only_first", 0) + t.get("both", 0),
                                    t.get("only_second", 0) + t.get("both", 0), t.get("both", 0)]
                                  if two else []),
                     fmt(r.percent_agreement, 1), fmt(r.kappa), fmt(r.alpha)])
    header = ["Code", *([f"{report.coders[0]} chars", f"{report.coders[1]} chars", "Both"]
                        if two else []), "Agree %", "Kappa", "Alpha"]
    widths = [5.4, 2.1, 2.1, 1.6, 1.7, 1.5, 1.6] if two else [7.0, 3.0, 3.0, 3.0]
    dc.add_table(doc, header, rows, font_size=8.5, widths=widths,
                 caption=numbers.table("Agreement per code in codebook order (character units); "
                                       "a negative kappa means less agreement than chance."))


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def saturation_section(doc, figures: dict, numbers) -> None:
    dc.heading(doc, "Saturation", 1)
    curves = {r: c for r, c in figures["curves"].items() if c.transcripts}
    if not curves:
        doc.add_paragraph("Nothing has been coded yet, so there is no saturation curve.")
        return
    doc.add_paragraph(
        "Each code counts as new where it was first used, taking the transcripts in the order "
        "they were coded (the time of their first coding), separately for each role: a "
        "codebook loaded before coding begins holds every code from the start, so only first "
        "use shows when the coding stopped finding new things.")
    for role, curve in curves.items():
        who = dc.role_label(role) + "s" if role != "(no role)" else "No role"
        dc.par(doc, f"{who}: {curve.distinct_codes} codes first used over "
                    f"{plural_t(curve.transcripts)}; {last_k(curve)}.", "List Bullet")
    doc.add_picture(io.BytesIO(saturation_png(curves)), width=Cm(15.5))
    dc.add_caption(doc, numbers.figure(
        "Saturation by role: cumulative codes first used, per transcript in coding order."))


def saturation_png(curves: Mapping[str, SaturationCurve]) -> bytes:
    """One line per role, drawn with matplotlib's Agg canvas (no pyplot, no global
    backend)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from .colours import PALETTE

    fig = Figure(figsize=(7.5, 3.6), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    for i, (role, curve) in enumerate(curves.items()):
        points = curve.points
        ax.step([p.index for p in points], [p.cumulative for p in points], where="post",
                color=PALETTE[i % len(PALETTE)], marker="o", markersize=3,
                label=dc.role_label(role) if role != "(no role)" else "no role")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Transcripts in the order they were coded")
    ax.set_ylabel("Codes first used (cumulative)")
    ax.set_ylim(bottom=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def team_section(doc, project) -> None:
    from ..model import INTERVIEWER_FIELDS

    people = project.study.study_facts().interviewers
    dc.heading(doc, "Research team", 1)
    if not people:
        dc.note(doc, "No interviewer or facilitator is recorded (qualcode study interviewer).")
        return
    for person in people:
        dc.heading(doc, person.name, 2)
        for key, (_, label) in INTERVIEWER_FIELDS.items():
            dc.labelled(doc, label, person.value(key) or mf.NOT_RECORDED)
