"""Issue 12, tester's defect 14: the guide's error-code table (docs/api.md, *Errors*) lists every error code
the API can answer. The codes are collected from the code: kb.errors.API_CODES (the code of each status),
the `code` of every ServiceError subclass, and the literal codes given to api_error or written in an error
body (`code="…"`, `"code": "…"`)."""
from __future__ import annotations

import re
from pathlib import Path

from kb.errors import API_CODES

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "api.md"
LITERAL = re.compile(r"""(?:\bcode\s*=\s*|["']code["']\s*:\s*)["']([a-z][a-z_]+)["']""")


def _codes_in_the_code() -> set[str]:
    codes = set(API_CODES.values())
    for folder in ("kb", "views"):
        for source in (ROOT / folder).rglob("*.py"):
            codes |= set(LITERAL.findall(source.read_text(encoding="utf-8")))
    return codes


def _codes_in_the_guide_tables() -> set[str]:
    rows = [line for line in GUIDE.read_text(encoding="utf-8").splitlines()
            if re.match(r"\|\s*\d{3}\s*\|", line)]
    return {code for row in rows for code in re.findall(r"`([a-z_]+)`", row.split("|")[2])}


def test_the_collector_finds_the_codes_raised_outside_kb_errors():
    codes = _codes_in_the_code()
    assert {"archived", "not_won", "budget_not_confirmed", "possible_duplicate", "import_rejected",
            "read_only_token", "token_expired", "in_progress", "unavailable", "csrf_failed"} <= codes


def test_the_guide_lists_every_error_code_the_api_answers():
    missing = _codes_in_the_code() - _codes_in_the_guide_tables()
    assert missing == set()
