"""Markdown as people write it in other tools, made readable by Python-Markdown.

Notes pasted from chat tools, online docs and GitHub-style editors put a list or a table right under a line of
text, and nest list items by two (or three) spaces. Python-Markdown wants a blank line before both and four
spaces per nesting level, so such notes come out as one paragraph. `HabitsExtension` rewrites the source
lines before the block parser sees them:

- a blank line is put before a list item or a table header that follows a line of text;
- list nesting is re-indented to four spaces per level, whatever the writer used (2, 3 or 4 spaces), by
  the nesting the indentation shows (deeper than the item above = nested), at most `MAX_DEPTH` levels.

Our own code, because no maintained extension does both: mdx-truly-sane-lists makes nesting two spaces but
then breaks the four-space nesting our existing notes use; mdx-breakless-lists (unmaintained since 2020)
also inserts blank lines inside fenced code; no extension starts a table under a line of text. This runs
after fenced code blocks are set aside (priority below fenced_code's 25), so code is never changed.
Every line is looked at once: linear in the text.
"""
from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

LIST_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}\.)([ \t]+)(\S.*)$")
TABLE_DELIMITER = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
#: Python-Markdown's nesting step.
STEP = 4
#: Deeper items are shown at this depth: Python-Markdown nests by recursion, and a few hundred levels of
#: indentation would exhaust Python's stack (a 500 for every reader of the note).
MAX_DEPTH = 8


def _is_table_start(line: str, following: str | None) -> bool:
    if following is None or "|" not in line:
        return False
    return "|" in following and bool(TABLE_DELIMITER.match(following))


class HabitsPreprocessor(Preprocessor):
    """Blank lines before lists and tables under text; list nesting re-indented to four spaces a level."""

    def run(self, lines: list[str]) -> list[str]:
        """Return the rewritten lines (see the module docstring)."""
        out: list[str] = []
        levels: list[int] = []  # source indentation of each open list level; empty = not in a list
        in_table = False
        for index, line in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) else None
            previous = out[-1] if out else ""
            if not line.strip():
                in_table = False
                out.append(line)
                continue
            item = LIST_ITEM.match(line)
            if item and (levels or len(item.group(1)) < STEP):
                if not levels and previous.strip():
                    out.append("")
                line, in_table = self._reindent(item, levels), False
            elif levels and not line.startswith((" ", "\t")) and not previous.strip():
                levels.clear()  # text after a blank line, not indented: the list has ended
            if not in_table and _is_table_start(line, following):
                if previous.strip():
                    out.append("")
                in_table, levels[:] = True, []
            out.append(line)
        return out

    @staticmethod
    def _reindent(item: re.Match[str], levels: list[int]) -> str:
        indent = len(item.group(1))
        while levels and indent < levels[-1]:
            levels.pop()
        if not levels or indent > levels[-1]:
            levels.append(indent)
        depth = min(len(levels) - 1, MAX_DEPTH)
        return " " * (STEP * depth) + item.group(2) + item.group(3) + item.group(4)


class HabitsExtension(Extension):
    """Registers `HabitsPreprocessor` after fenced code blocks are stashed."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        """Add the preprocessor to `md`."""
        md.preprocessors.register(HabitsPreprocessor(md), "kb_habits", 24)
