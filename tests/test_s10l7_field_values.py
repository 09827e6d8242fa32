"""`industry:`, `region:` and `type:` take what the screen shows, in either language and script (issue 7,
session 10, tester's defect 4): 銀行 and Banking find 银行, 華東 finds 华东, type:客户 is type:account; a value
that names nothing says which there are."""
from __future__ import annotations

import pytest

from tests.api_support import world  # noqa: F401 — fixture
from tests.search_support import find

BANK, TELECOM = "长沙银行", "南方电信"


@pytest.fixture
def accounts(app, world, create_account, create_interaction):
    bank = create_account(group=world.group, name=BANK, name_en="Bank of Changsha", industry="银行",
                          region="华东")
    telecom = create_account(group=world.group, name=TELECOM, name_en="South Telecom", industry="电信",
                             region="华南")
    create_interaction(bank, summary="长沙银行 拜访纪要")
    return {BANK: bank, TELECOM: telecom}


def _found(app, q, user, accounts, lang="en") -> tuple[set[str], str | None]:
    with app.test_request_context(headers={"Accept-Language": lang}):
        from kb.search.searching import SearchParams, search

        outcome = search(SearchParams(q=q, types=("account",), per_page=100), user)
    ids = {hit.id for hit in outcome.hits}
    return {name for name, account in accounts.items() if account.id in ids}, outcome.message


@pytest.mark.parametrize("q, expected", [
    ("industry:银行", {BANK}), ("industry:銀行", {BANK}), ("industry:Banking", {BANK}),
    ("industry:banking", {BANK}),
    ("region:華東", {BANK}), ("region:华东", {BANK}), ("region:East China", set()),  # (two words: region:East)
    ('region:"East China"', {BANK}), ("region:south china", set()), ('region:"South China"', {TELECOM}),
    ("industry:Telecommunications", {TELECOM}), ("industry:電信", {TELECOM}),
])
def test_listed_values_in_any_script_and_language(app, world, accounts, q, expected):
    found, _message = _found(app, q, world.viewer, accounts)
    assert found == expected


def test_an_unknown_value_names_the_values_there_are(app, world, accounts):
    found, message = _found(app, "industry:外星", world.viewer, accounts)
    assert found == set()
    assert message.startswith("There is no industry: value 外星: write industry: with one of "
                              "Telecommunications")
    assert "Banking" in message
    found, message = _found(app, "industry:外星", world.viewer, accounts, lang="zh-CN")
    assert message.startswith("industry: 没有取值 外星：industry: 后请写以下之一：电信") and "银行" in message


def test_a_known_value_has_no_message(app, world, accounts):
    assert _found(app, "industry:Banking", world.viewer, accounts)[1] is None


@pytest.mark.parametrize("q, kind", [
    ("type:客户", "account"), ("type:account", "account"), ("type:Account", "account"),
    ("type:拜访记录", "interaction"), ("type:Interaction", "interaction"), ("type:客戶", "account"),
])
def test_type_takes_the_kinds_labels_in_both_languages(app, world, accounts, q, kind):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        from kb.search.searching import SearchParams, search

        outcome = search(SearchParams(q=f"{q} 长沙银行", per_page=100), world.viewer)
    assert outcome.hits and {hit.type for hit in outcome.hits} == {kind}
    assert not outcome.message


def test_a_type_that_names_nothing_is_still_refused(app, world, accounts):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from kb.search.searching import SearchParams, search

        outcome = search(SearchParams(q="type:客人 长沙银行", per_page=100), world.viewer)
    assert not outcome.hits and "There is no type 客人" in outcome.message


def test_the_api_reports_the_same(client, world, accounts):
    body = world.api(client, "viewer").get("/search", query_string={"q": "industry:銀行", "type": "account"},
                                           headers={"Accept-Language": "en"}).get_json()
    assert [r["title"] for r in body["results"]] == [BANK] and body["message"] is None
