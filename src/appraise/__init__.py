"""appraise: a terminal workbench for critically appraising research on mental-health peer support.

The Python API (a stable contract)::

    import appraise
    checklist = appraise.load_checklist("peer-support")      # bundled id, user id, or a path
    appraise.judge(checklist, {"A2": "rct", "A3": "full"})   # {"A": "proceed", "B": None, ...}
"""

# Defined before the imports below, so every module may read it while the package is still loading.
__version__ = "0.2.0"

from appraise.core.engine import judge
from appraise.files.checklists import load_checklist

__all__ = ["__version__", "judge", "load_checklist"]
