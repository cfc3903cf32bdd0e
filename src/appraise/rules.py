"""Old home of the judgement engine, kept so documented imports work; it lives in :mod:`appraise.core.engine`."""

from appraise.core.engine import Evaluator, judge

__all__ = ["Evaluator", "judge"]
