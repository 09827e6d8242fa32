"""Managed industry and region lists: what users type becomes the list's value, pages show the label in
the reader's language, admins add, rename and retire values (issue 13 §3: "industry and region come from
managed lists with labels in both languages; free text stays possible for 'other'")."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from models import Account, ReferenceValue
from tests.api_support import Api, make_token
from tests.test_accounts_forms import form_data


def stored(app, account_id):
    with app.app_context():
        from kb.db import session
        account = session.get(Account, account_id)
        return SimpleNamespace(industry=account.industry, region=account.region, version=account.version)


def list_value(app, kind, value):
    with app.app_context():
        from kb.db import session
        row = session.scalar(select(ReferenceValue).where(ReferenceValue.kind == kind,
                                                          ReferenceValue.value == value))
        return None if row is None else SimpleNamespace(id=row.id, label_en=row.label_en, version=row.version,
                                                         active=row.active)


@pytest.fixture
def admin(create_user, login_as):
    user = create_user(role="admin", name="管理员")
    login_as(user)
    return user


def _new_account_id(response):
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(re.search(r"/accounts/(\d+)", response.headers["Location"]).group(1))


@pytest.mark.parametrize("typed, industry", [
    ("Banking", "银行"), ("  banking ", "银行"), ("ＢＡＮＫＩＮＧ", "银行"),  # English label, any case/width
    ("銀行", "银行"),  # traditional characters
    ("银行", "银行"),
    ("Fintech startups", "Fintech startups"),  # "other": kept as typed
])
def test_what_is_typed_is_stored_as_the_list_value(app, client, admin, typed, industry):
    account_id = _new_account_id(client.post("/accounts/new", data=form_data(industry=typed, region="South China")))
    assert stored(app, account_id).industry == industry
    assert stored(app, account_id).region == "华南"


@pytest.mark.parametrize("lang, industry, region", [("en", "Banking", "South China"), ("zh-CN", "银行", "华南")])
def test_pages_show_the_label_in_the_reader_language(client, admin, create_account, lang, industry, region):
    account = create_account(name="招商银行", industry="银行", region="华南")
    create_account(name="自由文本客户", industry="区块链", region="")
    headers = {"Accept-Language": lang}
    page = client.get(f"/accounts/{account.id}", headers=headers).get_data(as_text=True)
    assert re.search(rf"<dd>{industry}</dd>", page) and re.search(rf"<dd>{region}</dd>", page)
    listing = client.get("/accounts", headers=headers).get_data(as_text=True)
    assert f"<td>{industry}</td>" in listing and f"<td>{region}</td>" in listing
    assert "<td>区块链</td>" in listing  # free text shows as typed in both languages
    # the filter offers every listed value with its label, the stored value as the option's value
    assert re.search(rf'<option value="银行"[^>]*>{industry}</option>', listing)
    assert re.search(r'<option value="区块链"[^>]*>区块链</option>', listing)
    # the edit form starts from the label, and its suggestions are labels
    form = client.get(f"/accounts/{account.id}/edit", headers=headers).get_data(as_text=True)
    assert re.search(rf'name="industry"[^>]*value="{industry}"', form)
    assert f'<option value="{industry}">' in form


def test_saving_the_english_form_unchanged_keeps_the_value(app, client, admin, create_account):
    account = create_account(name="招商银行", industry="银行", region="华南")
    form = client.get(f"/accounts/{account.id}/edit", headers={"Accept-Language": "en"}).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', form).group(1)
    response = client.post(f"/accounts/{account.id}/edit", headers={"Accept-Language": "en"},
                           data=form_data(name="招商银行", industry="Banking", region="South China", version=version))
    assert response.status_code == 302
    assert (stored(app, account.id).industry, stored(app, account.id).region) == ("银行", "华南")


def test_list_filter_and_api_accept_either_language(app, client, create_user, create_account):
    user = create_user(role="admin")
    create_account(name="招商银行", industry="银行")
    create_account(name="中国电信", industry="电信")
    api = Api(client, make_token(app, user))
    for value in ("银行", "Banking", "銀行"):
        names = [a["name"] for a in api.get("/accounts", query_string={"industry": value}).get_json()["items"]]
        assert names == ["招商银行"], value
    created = api.post("/accounts", json={"name": "平安银行", "industry": "banking", "region": "South China"})
    assert created.status_code == 201, created.get_json()
    assert (created.get_json()["industry"], created.get_json()["region"]) == ("银行", "华南")


def test_admin_adds_a_value_and_account_forms_offer_it(app, client, admin):
    response = client.post("/admin/lists/industry", data={"industry-kind": "industry", "industry-value": "航空",
                                                          "industry-label_en": "Aviation"})
    assert response.status_code == 302
    assert list_value(app, "industry", "航空").label_en == "Aviation"
    assert '<option value="Aviation">' in client.get("/accounts/new", headers={"Accept-Language": "en"}).get_data(as_text=True)
    account_id = _new_account_id(client.post("/accounts/new", data=form_data(industry="aviation")))
    assert stored(app, account_id).industry == "航空"


@pytest.mark.parametrize("value, label, field, message", [
    ("銀行", "", "value", "The list already has this value: 银行."),  # same after normalisation
    ("金融科技", "BANKING", "label_en", "The list already has this value: 银行."),
    ("", "Empty", "value", "Enter the name in Chinese."),
    ("长" * 51, "", "value", "At most 50 characters."),
])
def test_bad_values_are_refused_with_the_reason(app, client, admin, value, label, field, message):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post("/admin/lists/industry", data={"industry-kind": "industry", "industry-value": value,
                                                          "industry-label_en": label})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and f'id="industry-{field}"' in html and 'aria-invalid="true"' in html
    assert value == "" or list_value(app, "industry", value) is None


def test_renaming_a_value_renames_it_on_its_accounts(app, client, admin, create_account):
    account = create_account(name="招商银行", industry="银行")
    before = stored(app, account.id).version
    entry = list_value(app, "industry", "银行")
    response = client.post(f"/admin/lists/values/{entry.id}", data={
        "value": "银行业", "label_en": "Banking", "active": "y", "version": str(entry.version)})
    assert response.status_code == 302
    assert stored(app, account.id).industry == "银行业"
    assert stored(app, account.id).version == before + 1  # an open edit form of the account is now stale


def test_a_retired_value_is_no_longer_offered_but_still_shown(app, client, admin, create_account):
    account = create_account(name="招商银行", industry="银行")
    entry = list_value(app, "industry", "银行")
    response = client.post(f"/admin/lists/values/{entry.id}", data={
        "value": "银行", "label_en": "Banking", "version": str(entry.version)})  # "active" unticked
    assert response.status_code == 302
    assert '<option value="Banking">' not in client.get("/accounts/new", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<dd>Banking</dd>" in client.get(f"/accounts/{account.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "No longer offered" in client.get("/admin/lists", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_a_stale_save_of_a_value_is_a_conflict(app, client, admin):
    entry = list_value(app, "region", "华南")
    first = client.post(f"/admin/lists/values/{entry.id}", data={
        "value": "华南", "label_en": "Southern China", "active": "y", "version": str(entry.version)})
    assert first.status_code == 302
    second = client.post(f"/admin/lists/values/{entry.id}", data={
        "value": "华南", "label_en": "South", "active": "y", "version": str(entry.version)})
    assert second.status_code == 409
    assert list_value(app, "region", "华南").label_en == "Southern China"


def test_only_admins_manage_lists(client, create_user, login_as):
    login_as(create_user(role="member"))
    assert client.get("/admin/lists").status_code == 403
    assert client.post("/admin/lists/industry", data={"industry-kind": "industry", "industry-value": "航空"}).status_code == 403


def test_unknown_list_is_404(client, admin):
    assert client.post("/admin/lists/colour", data={}).status_code == 404
    assert client.get("/admin/lists/values/999999").status_code == 404
