"""Charts written as pictures (matplotlib, imported only when one is drawn)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .. import outputs
from ..records.analysis import SaturationCurve


def write_saturation_png(curves: Mapping[str, SaturationCurve], path: Path, title: str) -> Path:
    """The saturation curves (cumulative distinct codes per transcript), one line each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 5.5), dpi=120)
    for label, curve in curves.items():
        xs = [p.index for p in curve.points]
        ys = [p.cumulative for p in curve.points]
        ax.plot(xs, ys, marker="o", markersize=3.5, linewidth=1.6,
                label=None if label == "all" else str(label))
    ax.set_xlabel("transcripts in interview order")
    ax.set_ylabel("distinct codes (cumulative)")
    ax.set_title(f"Saturation: {title}")
    ax.grid(alpha=0.3)
    ax.set_ylim(bottom=0)
    if len(curves) > 1:
        ax.legend(frameon=False)
    fig.tight_layout()
    try:
        with outputs.output_path(path) as tmp:
            fig.savefig(tmp, format="png")  # the temporary name has no suffix to go by
    finally:
        plt.close(fig)
    return path
