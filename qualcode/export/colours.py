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


# Colours for new codes, drawn as text and bars on the terminal's own background as well
# as in pictures: each has a contrast of at least 3:1 (WCAG's figure for graphics and
# large text) against a dark terminal (#1e1e1e) and a white one, and neighbours differ
# in hue. Okabe-Ito's yellow, sky blue and orange are left out: too pale on white.
CODE_PALETTE = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#7570B3", "#A6761D",
                "#E7298A", "#0099C6", "#808000", "#E31A1C", "#AA44AA", "#469990")


def new_code_colour(taken: list[str | None]) -> str:
    """The colour for a new code: the palette colour the fewest codes have yet (the
    earliest of those), so colours spread over the codebook as it grows."""
    uses = {c: 0 for c in CODE_PALETTE}
    for colour in taken:
        if colour and colour.upper() in uses:
            uses[colour.upper()] += 1
    return min(CODE_PALETTE, key=lambda c: uses[c])


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)
