"""Old home of consensus, kept so documented imports work; it lives in :mod:`appraise.review.consensus`."""

from appraise.review.consensus import build_consensus, open_items, reopen, resolve

__all__ = ["build_consensus", "open_items", "reopen", "resolve"]
