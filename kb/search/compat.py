"""Fixes for bugs of the pinned whoosh-reloaded 2.7.5 that search relies on (tested in
tests/test_search_text.py; remove a fix only with its test).

- `AndNotMatcher` (used for NOT and for excluding what a reader may not see) checks its first document
  against the excluded matcher only if both start on the same document: when the excluded matcher starts
  earlier, the first candidate is returned even if it is excluded. We skip the excluded matcher forward
  first, as every later step already does.
"""
from __future__ import annotations

from whoosh.matching.binary import AndNotMatcher


def _find_first(self: AndNotMatcher) -> None:
    if self.a.is_active() and self.b.is_active():
        self._find_next()


def apply() -> None:
    """Install the fixes (idempotent)."""
    AndNotMatcher._find_first = _find_first
