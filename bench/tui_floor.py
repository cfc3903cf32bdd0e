"""The TUI floor of DESIGN.md: a bare Textual app (Header, Label, Footer) that defines one pydantic model."""

from pydantic import BaseModel
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Label


class Counter(BaseModel):
    presses: int = 0


class FloorApp(App[None]):
    BINDINGS = [Binding("1", "press", "Press")]

    def __init__(self) -> None:
        super().__init__()
        self.counter = Counter()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("floor", id="label")
        yield Footer()

    def action_press(self) -> None:
        """A trivial key handler: count and show."""
        self.counter.presses += 1
        self.query_one(Label).update(f"pressed {self.counter.presses}")


if __name__ == "__main__":

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        pilot.app.exit()

    FloorApp().run(headless=True, size=(120, 40), auto_pilot=ready)
