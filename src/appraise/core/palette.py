"""How judgements look everywhere (app, reports, figures): a colour always paired with a glyph.

Judgements of every checklist map onto one scale of concern, so red always means a problem, even
for scales where "high" is good (confidence, usefulness). Colours are robvis's palettes.
"""

from __future__ import annotations

CONCERNS = ("low", "some", "high", "critical", "none", "na")

GLYPHS = {"low": "+", "some": "−", "high": "×", "critical": "!", "none": "?", "na": "·"}
"""Glyphs of robvis's traffic lights (with a true minus sign); "·" for not applicable."""

WORDS = {
    "low": "low concern",
    "some": "some concern",
    "high": "high concern",
    "critical": "critical concern",
    "none": "no information",
    "na": "not applicable",
}

PALETTES: dict[str, dict[str, str]] = {
    "cochrane": {
        "low": "#02C100",
        "some": "#E2DF07",
        "high": "#BF0000",
        "critical": "#820000",
        "none": "#4EA1F7",
        "na": "#CCCCCC",
    },
    "colourblind": {
        "low": "#FED98E",
        "some": "#FE9929",
        "high": "#D95F0E",
        "critical": "#993404",
        "none": "#FFFFFF",
        "na": "#CCCCCC",
    },
}

_DARK_INK = {"high", "critical"}


def ink(concern: str, palette: str = "cochrane") -> str:
    """Text colour that stays readable on the concern's colour."""
    if palette == "colourblind":
        return "#FFFFFF" if concern in {"high", "critical"} else "#000000"
    return "#FFFFFF" if concern in _DARK_INK else "#000000"


def style(concern: str, palette: str = "cochrane") -> dict[str, str]:
    """Glyph, colour, ink and word for a concern level."""
    return {
        "glyph": GLYPHS[concern],
        "colour": PALETTES[palette][concern],
        "ink": ink(concern, palette),
        "word": WORDS[concern],
    }
