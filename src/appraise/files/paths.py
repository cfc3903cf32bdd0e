"""Where appraise finds its bundled data and keeps the user's: one place for every path.

Bundled checklists and templates are found inside an installed wheel (``appraise/_bundled``) and
in a source checkout (the repository's top-level ``checklists/`` and ``templates/``), because an
editable install does not carry top-level folders. The user's own data lives in the platform's
data directory, or wherever ``APPRAISE_DATA_DIR`` points (tests and portable use).
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "APPRAISE_DATA_DIR"
"""Environment variable that overrides the user data directory."""

_PACKAGE = Path(__file__).resolve().parent.parent  # src/appraise/files -> src/appraise


def bundled(kind: str) -> Path:
    """The bundled ``checklists`` or ``templates`` folder, from a wheel or a checkout."""
    inside_wheel = _PACKAGE / "_bundled" / kind
    if inside_wheel.is_dir():
        return inside_wheel
    in_checkout = _PACKAGE.parent.parent / kind  # src/appraise -> repository root
    if in_checkout.is_dir():
        return in_checkout
    raise FileNotFoundError(
        f"appraise's bundled {kind} are missing (looked in {inside_wheel} and {in_checkout}); reinstall appraise"
    )


def data_dir() -> Path:
    """The user's appraise data directory (not created here)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("appraise", appauthor=False)


def glossary_files() -> list[Path]:
    """The bundled glossary, then the user's (which adds terms or replaces them by id)."""
    files = [bundled("checklists") / "glossary" / "glossary.yaml"]
    user = data_dir() / "glossary.yaml"
    if user.is_file():
        files.append(user)
    return [f for f in files if f.is_file()]


def user_checklists() -> Path:
    """Where the user's own checklists go; they override bundled ones with the same id."""
    return data_dir() / "checklists"


def user_templates() -> Path:
    """Where the user's own report templates go; they override bundled ones with the same name."""
    return data_dir() / "templates"


def appraisals_dir(base: Path | None = None) -> Path:
    """Default home of new appraisal files (in ``base``, else in the data folder)."""
    return (base or data_dir()) / "appraisals"


def practice_dir(base: Path | None = None) -> Path:
    """Where practice appraisals are written (in ``base``, else in the data folder)."""
    return (base or data_dir()) / "practice"


def cache_dir() -> Path:
    """Caches that only save time (validated checklists, compiled templates); safe to delete."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path("appraise", appauthor=False)


def state_dir(base: Path | None = None) -> Path:
    """Small state the app keeps between runs (where each appraisal was left, recent files)."""
    return (base or data_dir()) / "state"
