"""A new stakeholder gets the same relationship layer whether added through the API (nothing given) or the
web form (left as preselected): the service's default, "broad"."""
from __future__ import annotations

import re

from models import Stakeholder
from tests.api_support import Api, make_token


def _selected_layer(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="layer"[^>]*>(.*?)</select>', html, re.S)
    assert select
    return re.findall(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected',
                      select.group(1))


def test_form_preselects_the_layer_the_api_defaults_to(app, client, login_as, create_user, create_group,
                                                       create_account):
    ar = create_user(name="王客户经理")
    account = create_account(create_group(), name="华夏电力", members=[ar])
    created = Api(client, make_token(app, ar)).post(f"/accounts/{account.id}/stakeholders", json={"name": "赵总"})
    assert created.status_code == 201, created.get_json()
    api_default = created.get_json()["layer"]
    assert api_default == "broad"
    login_as(ar)
    html = client.get(f"/accounts/{account.id}/stakeholders/new").get_data(as_text=True)
    assert [a or b for a, b in _selected_layer(html)] == [api_default]
    with app.app_context():
        from kb.db import session
        assert session.query(Stakeholder).one().layer.value == api_default
