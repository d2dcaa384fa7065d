"""Pictures of change over time (matplotlib, imported only when one is drawn).

* the heat map of one code or theme: participants down, waves across, each cell the
  code's count, presence or characters coded for that participant at that wave; a wave
  without data for the participant (missed, withdrawn, not yet) is hatched grey, never 0;
* the timeline of one participant: the codes coded for them down, waves across, a dot
  per code and wave sized by how much was coded; waves without data are shaded.

Both are written as PNG or SVG, by the output file's suffix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import outputs
from ..errors import QualcodeError

SUFFIXES = (".png", ".svg")
MISSING_COLOUR = "#d9d9d9"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: Path) -> Path:
    plt = _pyplot()
    try:
        with outputs.output_path(path) as tmp:  # the temporary name has no suffix to go by
            fig.savefig(tmp, format=path.suffix.lower().lstrip("."), bbox_inches="tight")
    finally:
        plt.close(fig)
    return path


def _cell_text(value: Any, measure: str) -> str:
    if value is None:
        return "–"
    if measure == "presence":
        return "✓" if value else ""
    return str(value) if value else ""


def draw_heatmap(path: Path, *, title: str, people: list[str], waves: list[str],
                 values: dict[tuple[str, str], Any], measure: str) -> Path:
    """``values[(participant, wave)]``: the measure, or None where there is no data."""
    import numpy as np

    plt = _pyplot()
    grid = np.full((len(people), len(waves)), np.nan)
    for r, pid in enumerate(people):
        for c, wave in enumerate(waves):
            value = values.get((pid, wave))
            if value is not None:
                grid[r, c] = float(value)
    fig, ax = plt.subplots(figsize=(1.6 + 1.1 * len(waves), 1.2 + 0.32 * len(people)), dpi=120)
    cmap = plt.get_cmap("Blues").with_extremes(bad=MISSING_COLOUR)
    top = max(1.0, float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0)
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=0, vmax=top, aspect="auto")
    for r, pid in enumerate(people):
        for c, wave in enumerate(waves):
            value = values.get((pid, wave))
            if value is None:
                ax.add_patch(plt.Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, hatch="///",
                                           edgecolor="#9e9e9e", linewidth=0))
            dark = value is not None and float(value) > top * 0.6
            ax.text(c, r, _cell_text(value, measure), ha="center", va="center", fontsize=8,
                    color="white" if dark else "#333333")
    ax.set_xticks(range(len(waves)), waves)
    ax.set_yticks(range(len(people)), people, fontsize=8)
    ax.xaxis.tick_top()
    ax.set_title(title, fontsize=10, pad=24)
    bar = fig.colorbar(image, ax=ax, fraction=0.08, pad=0.04)
    bar.set_label({"count": "coded passages", "chars": "characters coded",
                   "presence": "coded (1) or not (0)"}[measure], fontsize=8)
    fig.text(0.01, 0.005, "hatched grey: no data at that wave (missed, withdrawn, not yet), not 0",
             fontsize=7, color="#555555")
    return _save(fig, path)


def draw_timeline(path: Path, *, title: str, codes: list[str], waves: list[str],
                  values: dict[tuple[str, str], int], missing: dict[str, str], measure: str) -> Path:
    """``values[(code, wave)]``: how much the code was coded at the wave; ``missing``:
    the waves without data and why."""
    if not codes:
        raise QualcodeError("nothing to draw: nothing has been coded for this participant")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(2.8 + 1.3 * len(waves), 1.0 + 0.3 * len(codes)), dpi=120)
    for c, wave in enumerate(waves):
        if wave in missing:
            ax.axvspan(c - 0.5, c + 0.5, color=MISSING_COLOUR, alpha=0.6, linewidth=0)
            ax.text(c, len(codes) - 0.6, missing[wave], ha="center", va="bottom", fontsize=8, color="#555555")
    top = max([v for v in values.values() if v] or [1])
    for r, code in enumerate(codes):
        xs = [c for c, wave in enumerate(waves) if values.get((code, wave))]
        ax.plot(xs, [r] * len(xs), color="#9ecae1", linewidth=1, zorder=1)
        ax.scatter(xs, [r] * len(xs), s=[30 + 220 * values[(code, waves[c])] / top for c in xs],
                   color="#2171b5", zorder=2)
    ax.set_xticks(range(len(waves)), waves)
    ax.set_yticks(range(len(codes)), codes, fontsize=8)
    ax.set_xlim(-0.5, len(waves) - 0.5)
    ax.set_ylim(len(codes) - 0.5, -1.0)
    ax.xaxis.tick_top()
    ax.grid(axis="y", alpha=0.2)
    ax.set_title(title, fontsize=10, pad=24)
    fig.text(0.01, 0.005, f"dot size: {'characters coded' if measure == 'chars' else 'coded passages'} "
             f"(largest {top}); shaded: no data at that wave", fontsize=7, color="#555555")
    return _save(fig, path)
