"""The methods appendix: the facts a COREQ/SRQR checklist asks for that the project
knows (sample by role and site, waves and attendance, interview durations, coders and
agreement, the coding tree with counts, the saturation curve, how quotes are cited).

Figures come from :mod:`qualcode.analysis` (attendance grid, saturation curve,
agreement) when it is installed; interview durations and who took part in which
transcript come from :mod:`qualcode.store.exports`.
"""

from __future__ import annotations

import io
import statistics
from collections import Counter
from pathlib import Path

from docx.shared import Cm

from ..errors import QualcodeError
from ..store import exports as store_exports
from . import docx_common as dc
from .docx_codebook import _inclusive, _walk
from .docx_theme import QUOTE_NOTE

STATUSES = ("interviewed", "focus-group", "missed", "withdrawn", "not_yet")


def write_methods(project, path: Path) -> Path:
    people = project.participants()
    if not people and not project.transcripts():
        raise QualcodeError("nothing to export: the project has no participants or transcripts")
    doc = dc.new_document(f"Methods appendix: {project.title}", subject="Methods appendix")
    dc.title_page(doc, "Methods appendix", project.title,
                  [("Study", project.title), ("Date", dc.today())])
    dc.note(doc, "Figures computed by qualcode from the project file; check them against "
                 "your reporting checklist (COREQ, SRQR) and edit freely.")
    numbers = dc.Numbering()
    participants_section(doc, project, people, numbers)
    waves_section(doc, project, people, numbers)
    data_section(doc, project, numbers)
    coding_section(doc, project, numbers)
    saturation_section(doc, project, numbers)
    dc.heading(doc, "How quotes are identified", 1)
    doc.add_paragraph(QUOTE_NOTE)
    doc.add_paragraph(
        "Turn numbers count the speaker turns of a transcript from 1, as qualcode stores "
        "them, so any quote can be found again in the project with its transcript name and "
        "turn. Time points are named by the wave's description, or its label when it has none.")
    return dc.save(doc, path)


def participants_section(doc, project, people, numbers) -> None:
    dc.heading(doc, "Participants", 1)
    roles = sorted({p["role"] or "" for p in people})
    sites = sorted({p["site"] or "" for p in people})
    count = Counter((p["role"] or "", p["site"] or "") for p in people)
    by_role = Counter(p["role"] or "" for p in people)
    parts = [f"{by_role[r]} {dc.role_label(r).lower() if r else 'without a role'}"
             f"{'s' if by_role[r] != 1 and r else ''}" for r in roles]
    doc.add_paragraph(f"{len(people)} participants: {', '.join(parts)}; "
                      f"{len([s for s in sites if s])} sites.")
    header = ["Role", *(s or "(no site)" for s in sites), "Total"]
    rows = [[dc.role_label(r) if r else "(no role)", *(count[(r, s)] for s in sites), by_role[r]]
            for r in roles]
    rows.append(["Total", *(sum(count[(r, s)] for r in roles) for s in sites), len(people)])
    dc.add_table(doc, header, rows, first_column_bold=True, font_size=10,
                 widths=dc.first_wide(len(header), first=0.3),
                 caption=numbers.table("Participants by role and site."))


def waves_section(doc, project, people, numbers) -> None:
    dc.heading(doc, "Waves and attendance", 1)
    waves = project.waves()
    if not waves:
        dc.note(doc, "The project has no waves.")
        return
    try:
        from ..analysis.cube import load_cube
        from ..analysis.describe import attendance_grid
        grid = attendance_grid(load_cube(project.db))
    except ImportError:  # pragma: no cover (the analysis package is being built)
        grid = None
    if grid:
        summary = {row["wave"]: row for row in grid["summary"]}
        statuses = {row["participant"]: row["status"] for row in grid["participants"]}
    else:  # pragma: no cover
        statuses = {}
        for pid, label, status in project.attendance():
            statuses.setdefault(pid, {})[label] = status
        summary = {w["label"]: dict(Counter(s.get(w["label"]) for s in statuses.values()),
                                    retention=None) for w in waves}
    header = ["Wave", "Time point", "Dates", "Interviewed", "Focus group", "Missed",
              "Withdrawn", "Not yet", "Retained"]
    rows = []
    for wave in waves:
        row = summary.get(wave["label"], {})
        dates = " \u2013\n".join(d for d in (wave["start_date"], wave["end_date"]) if d)
        retention = row.get("retention")
        rows.append([wave["label"], wave.get("description") or "", dates or "\u2013",
                     *(row.get(s, 0) for s in STATUSES),
                     f"{retention * 100:.0f}%" if retention is not None else "\u2013"])
    dc.add_table(doc, header, rows, font_size=8, first_column_bold=True,
                 widths=[1.3, 2.8, 2.0, 2.0, 1.6, 1.4, 2.0, 1.3, 1.6],
                 caption=numbers.table(
                     "Waves and attendance. Retention: of those interviewed at the first wave "
                     "and due at a wave, the share interviewed there. Focus-group participation "
                     "is shown apart and is not an interview."))
    people_by_pid = {p["pid"]: p for p in people}
    lost = []
    for pid in sorted(statuses):
        for wave in waves:
            status = statuses[pid].get(wave["label"])
            if status in ("missed", "withdrawn"):
                person = people_by_pid.get(pid, {})
                lost.append(f"{dc.role_label(person.get('role'))} "
                            f"{dc.person_label(pid, person.get('pseudonym'))}: {status} at {wave['label']}")
    dc.heading(doc, "Non-participation", 2)
    if lost:
        for line in lost:
            dc.par(doc, line, "List Bullet")
    else:
        doc.add_paragraph("No participant missed a wave or withdrew.")


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f}"


def data_section(doc, project, numbers) -> None:
    dc.heading(doc, "Data collected", 1)
    transcripts = project.transcripts()
    kinds = Counter((t["kind"], t["wave"] or "-") for t in transcripts)
    waves = [w["label"] for w in project.waves()]
    if any(t["wave"] is None for t in transcripts):
        waves.append("-")
    kind_names = sorted({k for k, _ in kinds})
    words = sum(t["words"] or 0 for t in transcripts)
    doc.add_paragraph(f"{len(transcripts)} transcripts ({words:,} words).")
    if transcripts:
        header = ["Kind", *("no wave" if w == "-" else w for w in waves), "Total"]
        rows = [[k, *(kinds[(k, w)] for w in waves), sum(kinds[(k, w)] for w in waves)]
                for k in kind_names]
        dc.add_table(doc, header, rows, first_column_bold=True, font_size=10,
                     widths=dc.first_wide(len(header), first=0.3),
                     caption=numbers.table("Transcripts by kind and wave."))
    dc.heading(doc, "Interview durations", 2)
    timed = [t for t in store_exports.timed_transcripts(project.db) if t["last"] is not None]
    if not timed:
        doc.add_paragraph("No transcript has turn timestamps, so the project cannot tell how "
                          "long the interviews lasted.")
        return
    spans = [max(0.0, t["last"] - t["first"]) for t in timed]
    doc.add_paragraph(
        f"Turn timestamps exist for {len(timed)} of {len(transcripts)} transcripts. Duration is "
        "taken from the first to the last timestamp, so it is a lower bound: median "
        f"{_minutes(statistics.median(spans))} minutes, range {_minutes(min(spans))} to "
        f"{_minutes(max(spans))} minutes.")
    rows = [[t["name"], t["kind"], t["wave"] or "\u2013", t["participant"] or "\u2013",
             _minutes(span), t["timed_turns"]] for t, span in zip(timed, spans)]
    dc.add_table(doc, ["Transcript", "Kind", "Wave", "Participant", "Minutes", "Timed turns"],
                 rows, font_size=9.5, widths=[4.0, 2.6, 1.8, 2.6, 2.2, 2.8],
                 caption=numbers.table("Transcripts with turn timestamps and their duration."))


def coding_section(doc, project, numbers) -> None:
    dc.heading(doc, "Coding", 1)
    coders = [c for c in project.coders() if c["codings"]]
    doc.add_paragraph(f"{len(coders)} coder{'s' if len(coders) != 1 else ''} applied "
                      f"{sum(c['codings'] for c in coders)} codings.")
    if coders:
        dc.add_table(doc, ["Coder", "Codings"], [[c["name"], c["codings"]] for c in coders],
                     font_size=10, widths=[8.0, 4.0],
                     caption=numbers.table("Codings per coder."))
    dc.heading(doc, "Agreement", 2)
    agreement_paragraphs(doc, project, [c["name"] for c in coders], numbers)
    dc.heading(doc, "Coding tree", 2)
    tree = project.codebook()
    for root in tree:
        _inclusive(root)
    labels = [w["label"] for w in project.waves()]
    header = ["Code", "Stage", *labels, "Total"]
    rows = [["\u2003" * depth + node["name"], node["stage"],
             *(node["inclusive_by_wave"].get(item, 0) for item in labels), node["total"]]
            for node, depth in _walk(tree)]
    if rows:
        dc.add_table(doc, header, rows, font_size=8.5,
                     widths=[6.5, 2.0] + [7.5 / (len(labels) + 1)] * (len(labels) + 1),
                     caption=numbers.table("The coding tree with coded segments per wave "
                                           "(a category counts its sub-codes)."))
    else:
        dc.note(doc, "The codebook is empty.")


def agreement_paragraphs(doc, project, coders: list[str], numbers) -> None:
    if len(coders) < 2:
        doc.add_paragraph("One coder coded the data, so there are no agreement figures.")
        return
    try:
        from ..analysis.agreement_service import agreement
    except ImportError:  # pragma: no cover
        doc.add_paragraph(f"{len(coders)} coders; agreement figures are not available in this "
                          "version of qualcode.")
        return
    try:
        report = agreement(project, coders, unit="char")
    except QualcodeError as exc:
        doc.add_paragraph(f"No agreement figures: {exc}.")
        return
    overall = report["overall"]

    def fmt(value, digits=2):
        if value is None:
            return "\u2013"
        text = f"{value:.{digits}f}"
        return text[1:] if text.startswith("-") and not text.strip("-0.") else text

    kappa = f", Cohen's kappa {fmt(overall.get('kappa'))}" if len(coders) == 2 else ""
    doc.add_paragraph(
        f"{_and(coders)} {'both' if len(coders) == 2 else 'all'} coded "
        f"{dc.plural(len(report['transcripts']), 'transcript')} "
        f"({', '.join(report['transcripts'])}). Character-level agreement over all codes: "
        f"{fmt(overall.get('percent_agreement'), 1)}% agreement{kappa}, Krippendorff's alpha "
        f"{fmt(overall.get('alpha'))}. Each character of a compared transcript is a unit "
        "once per code; the overall figure pools the codes.")
    rows = [[r["code"], fmt(r.get("percent_agreement"), 1), fmt(r.get("kappa")), fmt(r.get("alpha"))]
            for r in report["codes"]]
    if rows:
        dc.add_table(doc, ["Code", "% agreement", "Kappa", "Alpha"], rows, font_size=9,
                     widths=[7.0, 3.0, 3.0, 3.0],
                     caption=numbers.table("Agreement per code (character units)."))


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def saturation_section(doc, project, numbers) -> None:
    dc.heading(doc, "Saturation", 1)
    try:
        from ..analysis.saturation import saturation
        curve = saturation(project.db)
    except ImportError:  # pragma: no cover
        dc.note(doc, "The saturation curve is not available in this version of qualcode.")
        return
    points = curve["points"]
    if not points or not curve["distinct_codes"]:
        doc.add_paragraph("Nothing has been coded yet, so there is no saturation curve.")
        return
    doc.add_paragraph(
        f"{curve['distinct_codes']} distinct codes were used across {curve['transcripts']} "
        f"transcripts taken in interview order (wave, date, name). The last {curve['k']} "
        f"transcripts added {curve['new_in_last_k']} codes not seen before "
        f"({curve['new_share_last_k'] * 100:.0f}% of all codes used).")
    doc.add_picture(io.BytesIO(saturation_png(points)), width=Cm(15.5))
    dc.add_caption(doc, numbers.figure(
        "Saturation: cumulative distinct codes (line) and new codes (bars) per transcript, in "
        "interview order; dotted lines separate the waves."))


def saturation_png(points: list[dict]) -> bytes:
    """The curve drawn with matplotlib's Agg canvas (no pyplot, no global backend)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 3.6), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs = [p["index"] for p in points]
    ax.bar(xs, [p["new"] for p in points], color="#9DB9E0", label="new codes")
    ax.plot(xs, [p["cumulative"] for p in points], color="#1F4E79", marker="o", markersize=3,
            label="cumulative distinct codes")
    previous = None
    for p in points:
        if previous is not None and p.get("wave") != previous:
            ax.axvline(p["index"] - 0.5, color="#7F7F7F", linestyle=":", linewidth=1)
        previous = p.get("wave")
    top = max(p["cumulative"] for p in points)
    ax.set_ylim(0, top * 1.12 + 1)
    previous = None
    for p in points:
        if p.get("wave") != previous:
            ax.text(p["index"] - 0.3, top * 1.06 + 0.5, p.get("wave") or "no wave", fontsize=8,
                    color="#404040")
        previous = p.get("wave")
    ax.set_xlabel("Transcript (interview order)")
    ax.set_ylabel("Codes")
    ax.set_xlim(0.4, len(points) + 0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
