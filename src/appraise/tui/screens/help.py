"""The help screen: every key, and what the judgement colours and glyphs mean."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown

from appraise.tui.screens.base import AppModal
from appraise.tui.widgets.footer import FittingFooter

HELP = """\
# Keys

Scroll this page with `↑` `↓`, `page up` / `page down`, `home` / `end`; `escape`, `q` or `?` closes it.

| Where | Key | Does |
|---|---|---|
| Question | `1`–`9` | choose that answer, save it, go to the next open question |
| Question | `0` or `backspace` | clear the answer (the note stays) |
| Question | `↑` `↓` or `k` `j` | previous / next question |
| Question | `page up` / `page down` | previous / next section |
| Question | `enter` | next question that still needs an answer |
| Question | `tab` | to the note, quote and page fields; `escape` comes back |
| Anywhere | `tab` / `shift+tab` | next / previous field or list |
| Forms | `enter` | next field; `ctrl+s` saves or creates |
| Question | `ctrl+z` | undo the last change to an answer, note or judgement (again for earlier ones) |
| Questions | `i` | show or hide *why it matters* and *where to look* |
| Questions | `n` | show or hide the section list (narrow terminals) |
| Questions | `g` | glossary, opened on the terms of this question; `ctrl+f` searches |
| Questions | `o` | outcomes: add, rename, remove (risk of bias is judged per outcome) |
| Per outcome | `c` | copy answers from another outcome into unanswered questions |
| Questions | `s` | judgements: accept (`a`), or override with a reason (`o` or `enter`) |
| Questions | `r` | report preview; there `t` shows or hides the contents, `e` exports |
| Practice | `v` | show or hide the vignette (the study you are appraising) |
| Practice | `f` | feedback against the model answer; there `d` shows differences only |
| Consensus | `x` | resolve where the reviewers disagree |
| Questions | `L` | mark complete (locks the file: read-only) or unlock it, with a reason |
| Anywhere | `p` | show or hide the paper (beside the questions, or full screen when narrow) |
| Paper | `]` `[` | next / previous page; `t` turns to a page (its number or printed label) |
| Paper | `/` | search the whole paper (case and hyphens ignored); `.` `,` next / previous hit |
| Paper | `l` | where to look: passages matching the question's cues (only when asked) |
| Paper | `shift+arrows`, mouse | select a passage; `y` makes it the answer's quote, with its page |
| Anywhere | `ctrl+p` | commands: jump to a question, attach a paper, export, undo, theme, palette |
| Anywhere | `?` or `f1` | this help |
| Anywhere | `ctrl+q` | quit (everything is saved) |

Every answer is saved the moment you choose it; notes within a second of typing.

# Marks beside questions

| Mark | Meaning |
|---|---|
| `★` | a critical item: the checklist's rules give it the most weight in the section judgement |
| `✎` | a judgement you overrode (the proposed one is kept beside it, with your reason) |
| `[x]` / `[ ]` | a checkbox that is on / off |
| `(•)` / `( )` | the chosen / not chosen option of a set |

# Judgements

Colour is never the only signal: each judgement has a glyph and a word.

| Glyph | Meaning |
|---|---|
| `+` | low concern (e.g. low risk of bias, clearly defined, high confidence) |
| `−` | some concern |
| `×` | high concern |
| `!` | critical concern (e.g. very low confidence) |
| `?` | not judged yet: an answer it depends on is still open |
| `·` | not applicable, or no score by design |

Judgements are **proposed** by the checklist's rules from your answers; the trace shows which
answers decided each one. You confirm or override them on the judgements screen (`s`).
"""


class HelpScreen(AppModal[None]):
    """Keys and the visual language, one key away."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box help-box"), VerticalScroll(id="help-scroll"):
            yield Markdown(HELP)
        yield FittingFooter()  # its own keys: the screen below's do not work while help is open

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()  # the arrow and page keys scroll at once

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
