"""Checkboxes and radio buttons whose state reads without colour: ``[x]``/``[ ]`` and ``(•)``/``( )``.

Textual's own toggles draw the same glyph on and off and tell them apart by colour only, which is
lost in a monochrome terminal, to colour-blind readers, and in a screen capture.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class MarkedCheckbox(Checkbox):
    """A checkbox drawn ``[x]`` when on and ``[ ]`` when off."""

    @property
    def _button(self) -> Content:
        return Content.styled("[x]" if self.value else "[ ]", self.get_visual_style("toggle--label"))


class MarkedRadioButton(RadioButton):
    """A radio button drawn ``(•)`` when chosen and ``( )`` when not."""

    @property
    def _button(self) -> Content:
        return Content.styled("(•)" if self.value else "( )", self.get_visual_style("toggle--label"))
