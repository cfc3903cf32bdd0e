"""Output text is inert: every character a terminal could act on is escaped, in ASCII text and in any other."""

from __future__ import annotations

import pytest

from appraise.core.text import inert

UNSAFE = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
UNSAFE += [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x2060, 0xFEFF]


@pytest.mark.parametrize("around", ["plain ascii {} text", "en dash – and {} accents é"])
def test_every_unsafe_character_is_escaped_in_any_text(around: str) -> None:
    for code in UNSAFE:
        assert inert(around.format(chr(code))) == around.format(f"\\u{code:04x}"), hex(code)


@pytest.mark.parametrize("around", ["plain ascii {} text", "en dash – and {} accents é"])
def test_safe_characters_and_line_ends_are_kept(around: str) -> None:
    for text in ["\t", "\n", "\r\n", "ü", "\u200c", "\u2013", "\U0001f600"]:
        assert inert(around.format(text)) == around.format(text), repr(text)


def test_a_carriage_return_that_ends_no_line_is_escaped() -> None:
    assert inert("a\rb\r\nc\r") == "a\\u000db\r\nc\\u000d"
