"""Judged relevance on the demo data: how many of the judged queries (tests/relevance_judgements.py) have
their expected records in the first three results, and how many of the name queries show the account or
person first.

    .venv/bin/python bench/relevance.py           # one JSON line, plus the misses on stderr

Loads the demo into a fresh SQLite database and index in a temporary folder, searches as the demo admin.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, select  # noqa: E402

from kb import create_app  # noqa: E402
from kb.migrate import upgrade  # noqa: E402
from kb.search.relevance import judge  # noqa: E402
from models import User  # noqa: E402
from tests.relevance_judgements import JUDGEMENTS  # noqa: E402

NAME_KINDS = ("alias", "name", "pinyin", "person")


def figures(show_misses: bool = True) -> dict[str, object]:
    """The judged set's figures on a fresh demo: `{"judged_queries", "in_top3", "figure", "name_queries",
    "name_first", "name_figure"}` (counts; the figures as sentences). Misses go to stderr if `show_misses`.
    Takes a few seconds (loads the demo)."""
    with tempfile.TemporaryDirectory(prefix="kb-relevance-") as folder:
        url = f"sqlite:///{Path(folder) / 'kb.sqlite3'}"
        engine = create_engine(url)
        upgrade(engine)
        engine.dispose()
        app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url, "BABEL_DEFAULT_LOCALE": "en",
                          "SEARCH_INDEX_DIR": str(Path(folder) / "index"),
                          "INSTANCE_PATH": str(Path(folder) / "instance")})
        result = app.test_cli_runner().invoke(args=["kb", "demo"])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        with app.test_request_context():
            from kb.db import session
            admin = session.scalar(select(User).where(User.email == "admin@demo.kb"))
            judged = judge(session, admin, JUDGEMENTS)
        app.extensions["kb.db"].engine.dispose()
    named = [j for j in judged if j.kind.split()[0] in NAME_KINDS]
    in_top3 = sum(j.ok for j in judged)
    first = sum(j.top[:1] == j.expected[:1] for j in named)
    for j in judged:
        if not j.ok and show_misses:
            print(f"miss: {j.query!r} expected {j.expected} got {j.top}", file=sys.stderr)
    return {"judged_queries": len(judged), "in_top3": in_top3,
            "figure": f"{in_top3} of {len(judged)} in top 3",
            "name_queries": len(named), "name_first": first,
            "name_figure": f"{first} of {len(named)} name queries show the account or person first"}


def main() -> None:
    print(json.dumps(figures(), ensure_ascii=False))


if __name__ == "__main__":
    main()
