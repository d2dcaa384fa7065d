"""Colours for pictures: a palette that stays distinct for colour-blind readers (Okabe
and Ito's eight, without black, then darker tints of them), and the colour a code
gets when its codebook gives none: its category's colour, else the palette's colour for
its category, so that every picture has categories told apart by default."""

from __future__ import annotations

# Okabe-Ito (2008), then a second round of deeper tones for studies with more
# categories than that.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
           "#999999", "#8C510A", "#01665E", "#762A83", "#B2182B", "#4D9221", "#2166AC")


def palette_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def category_colours(categories: list[str], given: dict[str, str | None]) -> dict[str, str]:
    """Each category's colour: the one its code has, else the next palette colour not
    taken by another category."""
    taken = {c.upper() for c in given.values() if c}
    free = [c for c in PALETTE if c.upper() not in taken] or list(PALETTE)
    result: dict[str, str] = {}
    i = 0
    for name in categories:
        colour = given.get(name)
        if colour:
            result[name] = colour
        else:
            result[name] = free[i % len(free)]
            i += 1
    return result
