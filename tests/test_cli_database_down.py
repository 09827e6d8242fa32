"""Every `flask kb ...` command answers an unreachable database with one clear line and exit status 1 —
no traceback, and no password from the database URL."""
from __future__ import annotations

import pytest

from kb import create_app
from tests.conftest import make_config

DOWN = "postgresql+psycopg://kb:s3cret-pw@127.0.0.1:1/kb"  # nothing listens on port 1


@pytest.mark.parametrize("command", [["init"], ["check-index"], ["reindex"], ["demo", "--if-empty"],
                                     ["create-user", "--email", "a@b.cn", "--name", "A", "--password", "longenough1"]])
def test_database_down_is_one_clear_line(tmp_path, command):
    app = create_app(make_config(tmp_path, DOWN))
    result = app.test_cli_runner().invoke(args=["kb", *command])
    assert result.exit_code == 1, result.output
    assert "Error: cannot use the database postgresql+psycopg://kb:***@127.0.0.1:1/kb: connection failed" in result.output
    assert "Traceback" not in result.output and "s3cret-pw" not in result.output
