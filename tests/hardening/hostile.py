"""A hostile corpus: appraisal, checklist and reference files whose text tries to act on a terminal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

DATA = Path(__file__).parent.parent / "data"

# Each one is something a terminal acts on, or text that is shown in another order than stored.
PAYLOADS = {
    "title": "\x1b]0;PWNED-TITLE\x07",
    "title-st": "\x1b]2;PWNED-TITLE\x1b\\",
    "clipboard": "\x1b]52;c;UFdORUQ=\x07",
    "link": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "clear": "\x1b[2J\x1b[H",
    "c1-csi": "\x9b2J",
    "bell": "\x07",
    "rtl": "safe\u202eexe.txt",
    "zero-width": "in\u200bvisible",
    "markup": "[bold red]MARKUP[/] [link=https://evil.example]x[/link]",
}
HOSTILE = " ".join(PAYLOADS.values())
"""All payloads in one string (for any field)."""

FORBIDDEN = ["\x1b", "\x07", "\x9b", "\x9d", "\u202e", "\u200b"]
"""Characters that must never reach a terminal from a file."""


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar holding ``text`` (JSON strings are valid YAML)."""
    return json.dumps(text)


def _pathways_with(*, title: str, reviewer: str, b1: str) -> str:
    """The PATHWAYS-HOME appraisal's text with its title, reviewer and B1's support replaced (YAML scalars)."""
    text = (DATA / "pathways-home.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'title: "Peer support for leaving hospital (PATHWAYS-HOME): a multi-site randomised controlled trial"',
        f"title: {title}",
    )
    text = text.replace("reviewer: Expert key", f"reviewer: {reviewer}")
    return text.replace(
        'B1: {answer: "Y", note: "Lived experience of distress and of inpatient care, matching participants."}',
        f'B1: {{answer: "Y", {b1}}}',
    )


def hostile_appraisal(folder: Path, name: str = "hostile.yaml", reviewer: str = "A") -> Path:
    """The expert PATHWAYS-HOME appraisal with hostile text in notes, quotes, pages, labels and key names."""
    h = yaml_string(HOSTILE)
    text = _pathways_with(title=h, reviewer=yaml_string(reviewer + HOSTILE), b1=f"note: {h}, quote: {h}, page: {h}")
    # An unknown answer key and an unknown code carry payloads into problem messages.
    text = text.replace('  A1: "Y"\n', f'  A1: "Y"\n  {yaml_string("Z9" + HOSTILE)}: "Y"\n')
    text += f"{yaml_string('x-' + HOSTILE)}: kept\n"
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def broken_hostile_appraisal(folder: Path) -> Path:
    """An appraisal that is invalid, with payloads in the code that is wrong."""
    path = folder / "broken-hostile.yaml"
    shutil.copy(DATA / "pathways-home.yaml", path)
    text = path.read_text(encoding="utf-8").replace("  A2: rct\n", f"  A2: {yaml_string('rct' + HOSTILE)}\n")
    path.write_text(text, encoding="utf-8")
    return path


def hostile_ris(folder: Path) -> Path:
    """A RIS file whose title, authors and journal carry payloads."""
    path = folder / "hostile.ris"
    path.write_text(
        f"TY  - JOUR\nTI  - Peer support {HOSTILE}\nAU  - Kowalski{PAYLOADS['title']}, Anna\n"
        f"PY  - 2020\nJO  - {HOSTILE}\nER  - \n",
        encoding="utf-8",
    )
    return path


WORDS = [f"w{i}" for i in range(140_000)]
HUGE_NOTE = "NOTE-BEGIN " + "\n".join(" ".join(WORDS[i : i + 120]) for i in range(0, len(WORDS), 120)) + " NOTE-END"
"""A 1 MB note in paragraphs of 120 words (as pasted from a paper)."""
HUGE_QUOTE = "QUOTE-BEGIN " + " ".join(WORDS) + " " + HOSTILE + " QUOTE-END"
"""A 1 MB quote on one line, with every payload near its end."""


def huge_appraisal(folder: Path, name: str = "huge.yaml", reviewer: str = "Expert key") -> Path:
    """The expert PATHWAYS-HOME appraisal with a 1 MB note and a 1 MB quote on B1."""
    text = (DATA / "pathways-home.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'B1: {answer: "Y", note: "Lived experience of distress and of inpatient care, matching participants."}',
        f'B1: {{answer: "Y", note: {yaml_string(HUGE_NOTE)}, quote: {yaml_string(HUGE_QUOTE)}, page: "3"}}',
    ).replace("reviewer: Expert key", f"reviewer: {reviewer}")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


BROWSER_PAYLOADS = [
    "<script>window.__pwned='script';document.title='PWNED'</script>",
    "<img src=x onerror=\"window.__pwned='onerror';document.title='PWNED'\">",
    "<a href=\"javascript:window.__pwned='link'\">click me</a>",
    "[markdown link](javascript:window.__pwned='md-link')",
    "<svg onload=\"window.__pwned='svg-onload'\"><script>window.__pwned='svg-script'</script></svg>",
    "<div style=\"width:expression(window.__pwned='css-expression')\">css</div>",
    "<style>body{background:url(\"javascript:window.__pwned='css-url'\")}</style>",
    "\"><script>window.__pwned='attribute-breakout'</script>",
    "</textarea></title></style><script>window.__pwned='breakout'</script>",
    "<iframe src=\"javascript:parent.__pwned='iframe'\"></iframe>",
    "<details open ontoggle=\"window.__pwned='ontoggle'\">x</details>",
    "<body onload=\"window.__pwned='body-onload'\">",
    "{{ 7*7 }} {% raw %}",
    PAYLOADS["title"] + PAYLOADS["rtl"],
]
"""Markup a browser would run if a report let it through; each one says which payload ran."""
BROWSER_HOSTILE = " ".join(BROWSER_PAYLOADS)


def browser_hostile_appraisal(folder: Path, name: str = "web.yaml") -> Path:
    """The PATHWAYS-HOME appraisal with browser payloads in its title, reviewer, outcome, notes and quotes."""
    h = yaml_string(BROWSER_HOSTILE)
    text = _pathways_with(title=h, reviewer=h, b1=f"note: {h}, quote: {h}, page: {yaml_string(BROWSER_PAYLOADS[0])}")
    text = text.replace("name: Readmission within 12 months,", f"name: {h},")
    text = text.replace('  C4: "N"\n', f'  C4: {{answer: "N", note: {h}}}\n')
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
