"""What the app remembers between runs, kept out of appraisal files: positions, recent files, settings.

One small JSON file in the data directory's ``state`` folder, written atomically. A damaged state
file is set aside, never allowed to stop the app: it only holds conveniences.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
from pathlib import Path
from typing import Any

from appraise.files import paths
from appraise.files.atomic import atomic_write_text

RECENT_LIMIT = 30


def _sound(data: Any) -> dict[str, Any]:
    """The parts of a state file that have the expected shape; anything else is dropped and rebuilt."""
    if not isinstance(data, dict):
        return {}
    files: dict[str, dict[str, Any]] = {}
    raw_files = data.get("files")
    for path, entry in raw_files.items() if isinstance(raw_files, dict) else ():
        if not isinstance(entry, dict):
            continue
        kept: dict[str, Any] = {}
        if isinstance(entry.get("opened"), str):
            kept["opened"] = entry["opened"]
        slot = entry.get("slot")
        if (
            isinstance(slot, list)
            and len(slot) == 2
            and isinstance(slot[0], str)
            and (slot[1] is None or isinstance(slot[1], str))
        ):
            kept["slot"] = slot
        page = entry.get("paper_page")
        if isinstance(page, int) and not isinstance(page, bool) and page >= 1:
            kept["paper_page"] = page
        files[str(path)] = kept
    settings = data.get("settings")
    return {**data, "files": files, "settings": settings if isinstance(settings, dict) else {}}


class AppState:
    """Positions in each appraisal, recently opened files, and app settings."""

    def __init__(self, folder: Path | None = None) -> None:
        self.file = (folder or paths.state_dir()) / "state.json"
        self.data: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            # Keep the damaged file for inspection and start afresh.
            with contextlib.suppress(OSError):
                self.file.replace(self.file.with_suffix(".damaged.json"))
            return {}
        return _sound(data)

    def save(self) -> None:
        """Write the state (errors are swallowed: losing a convenience must not stop the app)."""
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            # Written every second or so while the reader moves on the app's thread: no fsync (a power
            # cut may lose the last positions; a damaged file is set aside and the state starts afresh).
            atomic_write_text(self.file, json.dumps(self.data, indent=1, ensure_ascii=False), durable=False)
        except OSError:
            pass

    # positions and recent files -----------------------------------------------------------------

    def _files(self) -> dict[str, dict[str, Any]]:
        files = self.data.setdefault("files", {})
        assert isinstance(files, dict)
        return files

    def position(self, appraisal: Path) -> tuple[str, str | None] | None:
        """Where the reader was in this appraisal: (question id or '@section', outcome id)."""
        entry = self._files().get(str(appraisal.resolve()))
        if not entry or "slot" not in entry:
            return None
        slot = entry["slot"]
        return (str(slot[0]), slot[1] if slot[1] is None else str(slot[1]))

    def remember(self, appraisal: Path, slot: tuple[str, str | None] | None = None, *, write: bool = True) -> None:
        """Note that this appraisal is open (and where), so it is listed as recent and resumes there."""
        entry = self._files().setdefault(str(appraisal.resolve()), {})
        entry["opened"] = _dt.datetime.now().isoformat(timespec="seconds")
        if slot is not None:
            entry["slot"] = list(slot)
        self._trim()
        if write:
            self.save()

    def paper_page(self, appraisal: Path) -> int | None:
        """The page of the paper the reader last had open in this appraisal."""
        page = self._files().get(str(appraisal.resolve()), {}).get("paper_page")
        return page if isinstance(page, int) else None

    def remember_paper_page(self, appraisal: Path, page: int) -> None:
        """Note the paper's page on show (written with the positions, not at once)."""
        self._files().setdefault(str(appraisal.resolve()), {})["paper_page"] = page

    def recent(self) -> list[tuple[Path, str]]:
        """Recently opened appraisals that still exist, newest first: (path, opened)."""
        items = [(Path(p), e.get("opened", "")) for p, e in self._files().items() if Path(p).is_file()]
        return sorted(items, key=lambda item: item[1], reverse=True)

    def _trim(self) -> None:
        files = self._files()
        if len(files) > RECENT_LIMIT:
            for path, _ in sorted(files.items(), key=lambda kv: kv[1].get("opened", ""))[: len(files) - RECENT_LIMIT]:
                del files[path]

    # settings -----------------------------------------------------------------------------------

    def setting(self, name: str, default: Any = None) -> Any:
        """A remembered setting (theme, palette, last export folder…)."""
        return self.data.get("settings", {}).get(name, default)

    def set_setting(self, name: str, value: Any) -> None:
        """Remember a setting."""
        self.data.setdefault("settings", {})[name] = value
        self.save()
