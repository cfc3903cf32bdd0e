"""The screens' typed view of the app: what a screen may ask of :class:`~appraise.tui.app.AppraiseApp`.

Textual types ``Screen.app`` as a plain ``App``; every screen of appraise runs inside
``AppraiseApp``, so these bases say so once and the screens call its methods with their types
checked, instead of ``getattr`` with a default or a silenced type error. (At run time the app is
Textual's own property: the app module imports the screens, so it cannot be imported here.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual import getters

    from appraise.tui.app import AppraiseApp

ResultType = TypeVar("ResultType")


class AppScreen(Screen[ResultType]):
    """A full screen of appraise."""

    if TYPE_CHECKING:
        app = getters.app(AppraiseApp)


class AppModal(ModalScreen[ResultType]):
    """A dialog of appraise."""

    if TYPE_CHECKING:
        app = getters.app(AppraiseApp)
