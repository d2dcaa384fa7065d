"""The goals of the "fast at the limit" issue, judged from one benchmark run.

``run.py`` hands the figures it measured (parsed from each benchmark script's output
by the ``parse_*`` functions here, or measured by itself) to :func:`evaluate`, which
gives one row per goal: our figure, its baseline from the same run, the goal, and a
verdict: ``met``, ``NOT MET`` or ``not measured at this size`` (a goal set at a million
codings is not judged on ten thousand; the figure is still shown).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

MET, NOT_MET, NOT_MEASURED = "met", "NOT MET", "not measured at this size"

STARTUP_MS, STARTUP_RATIO = 120.0, 6.0
TUI_RATIO, FIRST_PAINT_MS, TUI_CHARS = 1.2, 100.0, 1_000_000
TUI_KEYS = ("cursor", "scroll", "page")
COOC_BASELINE_RATIO, COOC_BASELINE_CODINGS = 1.3, 900_000
QC_RATIO, QC_CODINGS = 1000.0, (50_000, 200_000)
REFI_MB, REFI_CODINGS = 500.0, 900_000
BULK_MB, BULK_CODINGS, BULK_GROWTH = 300.0, 900_000, 11.0  # x10 per tenfold is linear
IMPORT_RATIO, IMPORT_WORDS = 0.5, 1_000_000  # below a million words start-up dominates


@dataclass(frozen=True)
class GoalRow:
    goal: str
    ours: str
    baseline: str
    target: str
    verdict: str
    note: str = ""


def as_json(rows: list[GoalRow]) -> list[dict]:
    return [asdict(row) for row in rows]


def _verdict(ok: bool) -> str:
    return MET if ok else NOT_MET


def _missing(goal: str, target: str, why: str = "not run") -> GoalRow:
    return GoalRow(goal, "-", "-", target, NOT_MEASURED, why)


# --- the goals ---------------------------------------------------------------------------


def _key_kind(label: str, kind: str) -> bool:
    """Whether bench_tui's key ``label`` measures ``kind`` (cursor, scroll or page): its
    "cursor: down (within the page)", "scroll: down (cursor at the bottom)" (a cursor
    key too) and "scroll: pagedown"."""
    label = label.lower()
    if kind == "page":
        return "page" in label
    if kind == "cursor":
        return "cursor" in label
    return label.startswith("scroll") and "page" not in label


def startup(fig: dict | None) -> GoalRow:
    goal, target = "start-up", f"qualcode status <= {STARTUP_MS:.0f} ms or <= {STARTUP_RATIO:.0f}x"
    if not fig:
        return _missing(goal, target)
    ratio = fig["status_ms"] / fig["bare_ms"]
    ok = fig["status_ms"] <= STARTUP_MS or ratio <= STARTUP_RATIO
    return GoalRow(goal, f"{fig['status_ms']:.1f} ms ({ratio:.1f}x)",
                   f"python -c pass {fig['bare_ms']:.1f} ms", target, _verdict(ok))


def tui_keys(fig: dict | None) -> GoalRow:
    """``fig``: ``chars`` and ``ratios`` ({key label: median / the bare viewer's})."""
    goal, target = "TUI keys", f"cursor, scroll, page <= {TUI_RATIO}x the bare viewer"
    if not fig or not fig.get("ratios"):
        return _missing(goal, target)
    ratios = fig["ratios"]
    worst = max(ratios, key=ratios.get)
    shown = "; ".join(f"{label} {ratio:.2f}x" for label, ratio in ratios.items())
    absent = [k for k in TUI_KEYS if not any(_key_kind(label, k) for label in ratios)]
    note = shown + (f"; not compared: {', '.join(absent)}" if absent else "")
    ok = ratios[worst] <= TUI_RATIO
    if fig["chars"] < TUI_CHARS:
        verdict = NOT_MEASURED
    elif not ok:
        verdict = NOT_MET
    else:
        verdict = MET if not absent else NOT_MEASURED
    return GoalRow(goal, f"worst {ratios[worst]:.2f}x ({worst})", "bare Line API viewer, same keys",
                   target, verdict, note)


def first_paint(fig: dict | None) -> GoalRow:
    goal, target = "TUI first paint", f"< {FIRST_PAINT_MS:.0f} ms"
    if not fig or fig.get("first_paint_ms") is None:
        return _missing(goal, target)
    ok = fig["first_paint_ms"] < FIRST_PAINT_MS
    return GoalRow(goal, f"{fig['first_paint_ms']:.0f} ms", "- (absolute goal)", target,
                   NOT_MEASURED if fig["chars"] < TUI_CHARS else _verdict(ok),
                   f"{fig['chars']:,} characters")


def cooc_baseline(fig: dict | None) -> GoalRow:
    goal = "co-occurrence vs two scans"
    target = f"<= {COOC_BASELINE_RATIO}x the two-scan baseline at 1M codings"
    if not fig:
        return _missing(goal, target)
    ratio = fig["ours_s"] / fig["baseline_s"]
    return GoalRow(goal, f"{fig['ours_s']:.3f} s ({ratio:.2f}x)",
                   f"two scans {fig['baseline_s']:.3f} s", target,
                   NOT_MEASURED if fig["codings"] < COOC_BASELINE_CODINGS
                   else _verdict(ratio <= COOC_BASELINE_RATIO), f"{fig['codings']:,} codings")


def cooc_qc(fig: dict | None) -> GoalRow:
    """``fig``: ``codings``, ``ours_s`` (our CLI process), ``qc_s`` (qc's crosstab
    process, None if it did not run at this size), ``qc_cached`` (when it was measured,
    if the figure came from the cache), ``qc_capped`` (stopped at its cap)."""
    goal = "co-occurrence CLI vs qc"
    target = f">= {QC_RATIO:.0f}x qc codes crosstab at 100k codings"
    if not fig:
        return _missing(goal, target)
    ours = f"{fig['ours_s']:.2f} s" if fig["ours_s"] >= 1 else f"{fig['ours_s'] * 1000:.0f} ms"
    if fig.get("qc_s") is None:
        return GoalRow(goal, ours, "qc crosstab not run", target, NOT_MEASURED,
                       f"{fig['codings']:,} codings (--peer-crosstab-sizes)")
    ratio = fig["qc_s"] / fig["ours_s"]
    low, high = QC_CODINGS
    note = [f"{fig['codings']:,} codings"]
    if fig.get("qc_cached"):
        note.append(f"qc figure CACHED, measured {fig['qc_cached']}")
    if fig.get("qc_capped"):
        note.append("qc stopped at its cap: the ratio is a lower bound")
    verdict = NOT_MEASURED if not low <= fig["codings"] <= high else _verdict(ratio >= QC_RATIO)
    if verdict == NOT_MET and fig.get("qc_capped"):
        verdict = NOT_MEASURED
    return GoalRow(goal, f"{ours} ({ratio:,.0f}x)", f"qc crosstab {fig['qc_s']:.1f} s", target,
                   verdict, "; ".join(note))


def refi(fig: dict | None) -> GoalRow:
    goal = "REFI-QDA round trip"
    target = f"identical counts, export and import each < {REFI_MB:.0f} MB at 1M codings"
    if not fig:
        return _missing(goal, target)
    if fig.get("failed"):
        return GoalRow(goal, "FAILED", "-", target,
                       NOT_MEASURED if fig["codings"] < REFI_CODINGS else NOT_MET, fig["failed"])
    ok = fig["identical"] and fig["export_mb"] < REFI_MB and fig["import_mb"] < REFI_MB
    return GoalRow(goal, f"export {fig['export_mb']:.0f} MB, import {fig['import_mb']:.0f} MB, "
                   f"counts {'identical' if fig['identical'] else 'DIFFER'}",
                   f"{fig['codings']:,} codings in the study", target,
                   NOT_MEASURED if fig["codings"] < REFI_CODINGS else _verdict(ok))


def bulk_load(fig: dict | None) -> GoalRow:
    """``fig``: ``runs``, [(codings, seconds, peak MB)] by size."""
    goal = "bulk load"
    target = f"linear (<= x{BULK_GROWTH:.0f} time per tenfold), < {BULK_MB:.0f} MB at 1M"
    if not fig or not fig.get("runs"):
        return _missing(goal, target)
    runs = sorted(fig["runs"])
    n, seconds, peak = runs[-1]
    if len(runs) < 2:
        return GoalRow(goal, f"{n:,} in {seconds:.2f} s, {peak:.0f} MB", "one size only",
                       target, NOT_MEASURED, "the growth needs two sizes")
    (n0, s0, _), tenfold = runs[-2], n / runs[-2][0]
    # Growth scaled to a tenfold step (the two sizes may not be exactly 10x apart).
    growth = (seconds / s0) ** (1 / max(1e-9, _log10(tenfold)))
    ok = growth <= BULK_GROWTH and peak < BULK_MB
    return GoalRow(goal, f"{n:,} in {seconds:.2f} s (x{growth:.1f} per tenfold), {peak:.0f} MB",
                   f"{n0:,} in {s0:.2f} s", target,
                   NOT_MEASURED if n < BULK_CODINGS else _verdict(ok))


def _log10(x: float) -> float:
    import math

    return math.log10(x) if x > 0 else 0.0


def import_speed(fig: dict | None) -> GoalRow:
    goal, target = "import", f">= {IMPORT_RATIO}x bare spaCy with one process (1M words)"
    if not fig:
        return _missing(goal, target)
    ok = fig["ratio"] >= IMPORT_RATIO
    one = fig.get("workers", 0) == 0
    return GoalRow(goal, f"{fig['import_wps']:,.0f} words/s ({fig['ratio']:.2f}x)",
                   f"bare spaCy {fig['spacy_wps']:,.0f} words/s", target,
                   _verdict(ok) if one and fig["words"] >= IMPORT_WORDS else NOT_MEASURED,
                   f"{fig['words']:,} words" + ("" if one else "; with worker processes"))


def evaluate(figures: dict) -> list[GoalRow]:
    """One row per goal, from ``figures`` ({source: figure dict or None})."""
    return [startup(figures.get("startup")), tui_keys(figures.get("tui")),
            first_paint(figures.get("tui")), cooc_baseline(figures.get("cooc_baseline")),
            cooc_qc(figures.get("cooc_qc")), refi(figures.get("refi")),
            bulk_load(figures.get("bulk_load")), import_speed(figures.get("import"))]


# --- reading the scripts' output ---------------------------------------------------------


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def parse_startup(out: str) -> dict | None:
    status = re.search(r"^qualcode status +median +([\d.]+) ms", out, re.M)
    bare = re.search(r"^python -c pass +median +([\d.]+) ms", out, re.M)
    if not (status and bare):
        return None
    return {"status_ms": _num(status.group(1)), "bare_ms": _num(bare.group(1))}


def parse_tui(out: str) -> dict | None:
    chars = re.search(r"^built ([\d,]+) characters", out, re.M)
    paint = re.search(r"^first paint \(text\) +([\d.]+)ms", out, re.M)
    ratios = {m.group(1).strip(): _num(m.group(2))
              for m in re.finditer(r"^(\S.*?) +([\d.]+)x the bare viewer", out, re.M)}
    if not (chars or paint or ratios):
        return None
    return {"chars": int(_num(chars.group(1))) if chars else 0, "ratios": ratios,
            "first_paint_ms": _num(paint.group(1)) if paint else None}


def parse_analysis(out: str) -> dict | None:
    found = re.findall(r"^ *([\d,]+) codings +turn cooccurrence +([\d.]+)s.*?two-scan baseline +"
                       r"([\d.]+)s", out, re.M)
    if not found:
        return None
    codings, ours, base = found[-1]
    return {"codings": int(_num(codings)), "ours_s": _num(ours), "baseline_s": _num(base)}


def parse_bulk_load(out: str) -> dict | None:
    runs = [(int(_num(n)), _num(s), _num(mb)) for n, s, mb in re.findall(
        r"^after +([\d,]+) codings +load +([\d.]+) s +peak +([\d.]+) MB", out, re.M)]
    return {"runs": runs} if runs else None


def parse_ingest(out: str) -> dict | None:
    corpus = re.search(r"^corpus: ([\d,]+) words", out, re.M)
    spacy = re.search(r"^bare spaCy sentences: ([\d,]+) words/s", out, re.M)
    ours = re.search(r"^import: +([\d,]+) words/s", out, re.M)
    ratio = re.search(r"^ratio import/spaCy: +([\d.]+) wall", out, re.M)
    if not (spacy and ours and ratio):
        return None
    workers = re.search(r"(\d+) parsing workers?", out)
    return {"words": int(_num(corpus.group(1))) if corpus else 0,
            "spacy_wps": _num(spacy.group(1)), "import_wps": _num(ours.group(1)),
            "ratio": _num(ratio.group(1)), "workers": int(workers.group(1)) if workers else 0}


def parse_refi(out: str) -> dict | None:
    study = re.search(r"study: [\d,]+ transcripts, ([\d,]+) codings", out)
    export = re.search(r"^ +export: (.*)$", out, re.M)
    imported = re.search(r"^ +import: (.*)$", out, re.M)
    if not (study and export and imported):
        return None
    codings = int(_num(study.group(1)))
    failed = [m.group(1) for m in (export, imported) if m.group(1).startswith("FAILED")]
    if failed:
        return {"codings": codings, "failed": failed[0]}
    peak = [_num(re.search(r"peak ([\d.]+) MiB", m.group(1)).group(1))  # type: ignore[union-attr]
            for m in (export, imported)]
    identical = bool(re.search(r"counts after the round trip: identical", out))
    return {"codings": codings, "export_mb": peak[0], "import_mb": peak[1],
            "identical": identical}


PARSERS = {"bench_startup": ("startup", parse_startup), "bench_tui": ("tui", parse_tui),
           "bench_analysis": ("cooc_baseline", parse_analysis),
           "bench_bulk_load": ("bulk_load", parse_bulk_load),
           "bench_ingest": ("import", parse_ingest), "bench_refi": ("refi", parse_refi)}
