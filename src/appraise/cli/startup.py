"""What every ``appraise`` command settles before anything heavy is imported.

No pydantic plugin scan, and no cyclic garbage collection while the command starts or ends.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import types
from typing import Any

LOADER = "pydantic.plugin._loader"
OFF = ("__all__", "1", "true")
"""The values of ``PYDANTIC_DISABLE_PLUGINS`` with which pydantic loads no plugin at all."""


class _NoPlugins(types.ModuleType):
    """pydantic's plugin loader when plugins are off: no plugins, and the real module for anything else."""

    def get_plugins(self) -> tuple[()]:
        """What pydantic's own loader answers when ``PYDANTIC_DISABLE_PLUGINS`` is one of :data:`OFF`."""
        return ()

    def __getattr__(self, name: str) -> Any:
        # Anything but get_plugins (a newer pydantic may ask for more): the real loader, loaded once.
        # Dunder names are the import system asking what this module is (a package? its path?).
        if name.startswith("__"):
            raise AttributeError(name)
        import importlib.machinery
        import importlib.util

        import pydantic.plugin

        spec = importlib.machinery.PathFinder.find_spec(LOADER, list(pydantic.plugin.__path__))
        if spec is None or spec.loader is None:
            raise AttributeError(name)
        real = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(real)
        sys.modules[LOADER] = real
        return getattr(real, name)


def no_plugin_scan() -> None:
    """Switch pydantic's plugin scan off, unless the user set ``PYDANTIC_DISABLE_PLUGINS`` otherwise.

    appraise uses no pydantic plugins, and looking for them reads every installed package's
    metadata. Even with the scan switched off, pydantic's loader imports ``importlib.metadata``
    (8-10 ms, a tenth of a command) when the first validator is built; with plugins off the loader
    has nothing to do, so a module that answers "no plugins" stands in for it.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] in OFF and LOADER not in sys.modules:
        sys.modules[LOADER] = _NoPlugins(LOADER)


# --- the cyclic garbage collector while appraise starts and ends -----------------------------------
#
# Start-up builds long-lived objects only (modules, classes, pydantic validators, the app's widgets),
# which the collector scans again and again for nothing; at exit, CPython's teardown runs it over the
# whole heap once more. Measured on `appraise report` and the app's first screen: 20-30 % of the
# process's CPU. Textual pauses the collector the same way while it scrolls.


def pause_gc() -> None:
    """No cyclic collection until :func:`resume_gc`; and none over what is left when the process ends.

    Reference counting still frees everything that is not in a cycle; the few cycles wait.
    """
    global _paused, _exit_registered
    _paused = True
    gc.disable()
    if not _exit_registered:
        # Objects still alive at exit are freed by the OS; what files and databases hold is closed
        # or committed by the code that opened them (with-blocks), never by a finaliser at exit.
        atexit.register(gc.freeze)
        _exit_registered = True


def resume_gc() -> None:
    """Start-up is over (the command runs, the app's first screen is up): collect again.

    What start-up built lives as long as the process, so ``gc.freeze`` sets it aside for good: the
    long work that follows (a summary of 10,000 files, an editing session) never rescans it. Only
    undoes :func:`pause_gc`: a process that never paused (tests, a library user) is left alone.
    """
    global _paused
    if not _paused:
        return
    _paused = False
    gc.freeze()
    gc.enable()


_paused = False
_exit_registered = False
