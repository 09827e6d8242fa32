"""kb.urls.id_url: url_for built once for a list's rows gives the same URLs as url_for per row (issue 9)."""
from __future__ import annotations

import pytest
from flask import url_for
from werkzeug.routing import BuildError

from kb.urls import _MARK, id_url

#: Every endpoint the home and group pages' rows link through id_url, with the id parameter and extras.
SERVED = [
    ("accounts.show", "account_id", {}),
    ("accounts.onboarding", "account_id", {"_anchor": "whos-who"}),
    ("interactions.show", "interaction_id", {}),
    ("stakeholders.show", "stakeholder_id", {}),
    ("groups.show", "group_id", {}),
]
IDS = [1, 7, 42, 1000, 123456789, _MARK]


@pytest.mark.parametrize("script_name", ["", "/kb", "/team-1/kb"])
@pytest.mark.parametrize(("endpoint", "param", "values"), SERVED)
def test_id_url_equals_url_for(app, endpoint, param, values, script_name):
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": script_name}):
        href = id_url(endpoint, param, **values)
        for id_ in IDS:
            expected = url_for(endpoint, **{param: id_}, **values)
            assert href(id_) == expected
            assert href(id_).startswith(f"{script_name}/") and href(id_).count(str(id_)) >= 1


def test_id_url_with_query_arguments(app):
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/kb"}):
        href = id_url("accounts.show", "account_id", tab="plans")
        assert href(12) == url_for("accounts.show", account_id=12, tab="plans") == "/kb/accounts/12?tab=plans"


def test_id_url_falls_back_when_the_mark_is_in_the_prefix(app):
    # The mark in SCRIPT_NAME too: the URL cannot be cut at it, so each row gets url_for.
    prefix = f"/p{_MARK}"
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": prefix}):
        href = id_url("accounts.show", "account_id")
        assert href(5) == url_for("accounts.show", account_id=5) == f"{prefix}/accounts/5"


def test_id_url_refuses_what_url_for_refuses(app):
    with app.test_request_context("/"):
        with pytest.raises(BuildError):
            id_url("no.such_endpoint", "account_id")
        with pytest.raises(BuildError):
            id_url("accounts.show", "stakeholder_id")
