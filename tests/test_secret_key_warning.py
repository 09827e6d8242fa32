"""`make run` runs `flask kb init`, which builds the app before it writes the secret key: the "no SECRET_KEY"
warning must not appear then, only when a request is really served with a throw-away key."""
from __future__ import annotations

import logging

import pytest

from kb import create_app
from tests.conftest import make_config

WARNING = "no SECRET_KEY configured"


@pytest.fixture
def app_config(tmp_path, database_url):
    config = make_config(tmp_path, database_url)
    config["SECRET_KEY"] = ""  # as on a fresh install: no key anywhere yet
    return config


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if WARNING in r.getMessage()]


def test_kb_init_writes_the_key_without_warning_about_it(app_config, caplog, tmp_path):
    caplog.set_level(logging.WARNING)
    app = create_app(app_config)
    result = app.test_cli_runner().invoke(args=["kb", "init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "instance" / "secret_key").exists()
    assert _warnings(caplog) == [] and WARNING not in result.output
    app.extensions["kb.db"].engine.dispose()

    # the next start (gunicorn in `make run`) reads the key: still no warning, even when serving
    served = create_app(app_config)
    served.test_client().get("/login")
    assert _warnings(caplog) == []
    served.extensions["kb.db"].engine.dispose()


def test_serving_with_a_throwaway_key_warns_once(app, caplog):
    caplog.set_level(logging.WARNING)
    client = app.test_client()
    client.get("/login")
    client.get("/login")
    assert len(_warnings(caplog)) == 1
