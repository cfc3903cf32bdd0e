"""Reference exports as they come in the wild: any encoding, EndNote's sloppy RIS, PubMed .nbib, WoS tagged.

The RIS and BibTeX readers in :mod:`appraise.files.importing` do the real work; this module turns
what real exports look like into what those readers expect, and reads the two tagged formats
(PubMed MEDLINE ``.nbib`` and Web of Science ``.txt``) that have no library worth a dependency.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from appraise.files.problems import Problem


def decode(name: str, raw: bytes) -> tuple[str, list[Problem]]:
    """Text of a reference file in whatever encoding it was saved (UTF-8, UTF-16, cp1252…).

    UTF-8 (with or without a byte-order mark) and UTF-16 with a mark are taken as they are; anything
    else is detected with charset-normalizer and a warning names the encoding it was read as.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace"), []
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), []
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        bad = error.start  # the first byte that is not UTF-8: where the reader should look
    from charset_normalizer import from_bytes

    line, column = raw.count(b"\n", 0, bad) + 1, bad - raw.rfind(b"\n", 0, bad)
    matches = list(from_bytes(raw))
    if not matches:
        return "", [
            Problem(
                name,
                line,
                column,
                f"not text in any encoding appraise recognises (byte 0x{raw[bad]:02x} is not UTF-8); "
                "export the file as UTF-8",
            )
        ]
    # A few accented letters rarely tell code pages apart; Windows' Western cp1252 is by far the
    # commonest for reference managers, so it wins whenever an equally clean reading agrees with it.
    encoding, text = matches[0].encoding, str(matches[0])
    try:
        western = raw.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    cleanest = min(m.chaos for m in matches)
    if western is not None and any(m.chaos <= cleanest and str(m) == western for m in matches):
        encoding, text = "cp1252", western
    warning = Problem(
        name,
        line,
        column,
        f"not UTF-8: read as {encoding} (its first non-UTF-8 byte is here); check accented names",
        "warning",
    )
    return text, [warning]


_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])\s{1,3}-(?: (.*)|)$")


def normalise_ris(text: str) -> str:
    """RIS as rispy reads it: ``TAG  - value`` with two spaces, and every record opened by a ``TY`` line.

    EndNote and some journals write ``TY - JOUR`` with one space; records exported without a ``TY``
    line (or a tagged file renamed ``.ris``) get ``TY  - GEN`` so that they are read, not dropped.
    """
    out: list[str] = []
    open_record = False
    for line in text.splitlines():
        found = _TAG_LINE.match(line.rstrip())
        if not found:
            out.append(line)
            continue
        tag, value = found.group(1), (found.group(2) or "").strip()
        if tag == "TY":
            open_record = True
        elif tag == "ER":
            if not open_record:
                out.append("")  # a stray ER closes nothing
                continue
            open_record = False
        elif not open_record:
            out.append("TY  - GEN")
            open_record = True
        out.append(f"{tag}  - {value}")
    return "\n".join(out) + "\n"


def _tagged_records(text: str, tag_width: int, separator: str) -> Iterator[tuple[int, dict[str, list[str]]]]:
    """Records of a tagged format: tag in the first columns, continuation lines indented."""
    record: dict[str, list[str]] = {}
    start = 0
    last = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            if record and separator == "":
                yield start, record
                record, last = {}, ""
            continue
        if line[:1].isspace() and last:
            record[last][-1] += " " + line.strip()
            continue
        tag = line[:tag_width].strip().rstrip("-").strip()
        value = line[tag_width:].lstrip("- ").strip() if len(line) > tag_width else ""
        if separator and tag == separator:
            if record:
                yield start, record
            record, last = {}, ""
            continue
        if not record:
            start = number
        record.setdefault(tag, []).append(value)
        last = tag
    if record:
        yield start, record


def nbib_records(text: str) -> Iterator[tuple[int, dict[str, list[str]]]]:
    """PubMed MEDLINE (``.nbib``): ``TAG - value`` in a 4-character tag column, records split by blank lines."""
    yield from _tagged_records(text, 4, "")


def wos_records(text: str) -> Iterator[tuple[int, dict[str, list[str]]]]:
    """Web of Science tagged text: two-letter tags, continuation lines indented, ``ER`` ends a record."""
    body = "\n".join(line for line in text.splitlines() if not line.startswith(("FN ", "VR ", "EF")))
    yield from _tagged_records(body, 3, "ER")


def looks_like_wos(text: str) -> bool:
    """A Web of Science export (``FN Clarivate``/``PT J`` header) rather than RIS or MEDLINE."""
    head = text.lstrip("\ufeff")[:200]
    return head.startswith(("FN ", "PT ")) or "\nPT " in head
