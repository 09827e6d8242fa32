"""One name normalisation everywhere (issue 7, session 10; a fresh tester's report): accents, company-form
suffixes and phone formats mean the same to the duplicate check, search (page and API) and the account
list filter (page and API), with records like the tester's.

1. the duplicate check folds accents as search does: `ELECTRICITE DE FRANCE` and `Electricite de France
   S.A.` are possible duplicates of 法国电力 (English name Électricité de France);
2. accents in a prefix (`Élec*`) and in a hyphenated word (`Électricité-de-France`) are folded in search,
   and in a quoted phrase (`"Électricité de France"`) in the list: the same accounts everywhere;
3. a company-form suffix at the end of what is typed (`仁和医疗集团有限公司`, `Renhe Healthcare Group Co.,
   Ltd.`) is optional: the account stored without it is found, and one stored with it still is;
4. phone numbers with dots, after +86 without the area code's trunk 0, and the dashed start of a number.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from kb.search.query import parse_user_query
from kb.search.querytext import drop_company_forms, ime_to_ascii
from kb.search.wordforms import phone_digits_in_query, phone_numbers
from kb.services.duplicates import name_key
from models import Account, User, UserRole
from tests.api_support import assert_error, world  # noqa: F401 — fixture
from tests.search_support import find, keys
from tests.test_demo import DEMO_PASSWORD, demo_app, demo_template  # noqa: F401 — fixtures
from tests.test_s8filt7_list_pinyin import found_by_search, listed_on_page, named_accounts

EDF, EDF_CAPS, EDF_SA = "法国电力", "ELECTRICITE DE FRANCE", "Electricite de France S.A."
INSTITUTE = "电力研究院"  # "Electric Power Institute": another word (electric*), not folded into Électricité


# --- 1. the duplicate check folds accents and dotted company forms -----------------------------------------

@pytest.mark.parametrize("typed", ["ELECTRICITE DE FRANCE", "Electricite de France S.A.",
                                   "électricité de france SA", "Electricité de France SA", "EDF France S.A.",
                                   "Müller GmbH", "Muller G.m.b.H."])
def test_names_with_or_without_accents_and_dotted_forms_have_one_key(typed):
    expected = {"EDF France S.A.": "edffrance", "Müller GmbH": "muller", "Muller G.m.b.H.": "muller"}
    assert name_key(typed) == expected.get(typed, "electricitedefrance")


@pytest.mark.parametrize("one, other", [("S.A.", "SA Bank"), ("Électricité de France", "Electric France")])
def test_a_dotted_form_alone_or_another_word_is_no_match(one, other):
    assert name_key(one) != name_key(other)
    assert name_key("S.A.") == "sa"  # (a name is never emptied)


@pytest.mark.parametrize("name", ["ELECTRICITE DE FRANCE", "Electricite de France S.A.",
                                  "électricité de france SA"])
def test_api_refuses_an_accent_free_spelling_as_a_possible_duplicate(client, world, create_account, name):
    edf = create_account(group=world.group, name=EDF, name_en="Électricité de France", region="", industry="")
    error = assert_error(world.api(client, "admin").post("/accounts", json={"name": name}), 409)
    assert error["code"] == "possible_duplicate"
    assert error["matches"] == [{"id": edf.id, "name": EDF}]


def test_page_warns_of_the_accented_account(client, create_user, login_as, create_account):
    edf = create_account(name=EDF, name_en="Électricité de France")
    login_as(create_user(role="admin", name="管理员"))
    data = {"name": "Electricite de France S.A.", "tier": "key", "coverage": "direct",
            "customer_group_id": "", "parent_id": ""}
    response = client.post("/accounts/new", data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert f'href="/accounts/{edf.id}"' in html and 'name="confirm_duplicate"' in html


# --- 2. accents in prefixes, hyphenated words and quoted phrases -------------------------------------------

@pytest.fixture
def accented(app, world, create_account):
    """The tester's three spellings (the two later ones created past the duplicate warning), and a near
    miss."""
    return named_accounts(app, world, create_account, [
        (EDF, "Électricité de France", []), (EDF_CAPS, "", []), (EDF_SA, "", []),
        (INSTITUTE, "Electric Power Institute", []),
    ])


THREE = {EDF, EDF_CAPS, EDF_SA}
ACCENTS = [
    ("Élec*", THREE | {INSTITUTE}), ("élec*", THREE | {INSTITUTE}), ("Électr*", THREE | {INSTITUTE}),
    ("elec*", THREE | {INSTITUTE}),
    ("Électricité-de-France", THREE), ("Electricite-de-France", THREE), ("électricité-france", THREE),
    ('"Électricité de France"', THREE), ('"Electricite de France"', THREE),
    ('"ELECTRICITÉ DE FRANCE"', THREE),
    ("“Électricité de France”", THREE), ('"France Électricité"', set()),
]


@pytest.mark.parametrize("q, expected", ACCENTS)
def test_search_folds_accents_in_prefixes_joined_words_and_phrases(app, world, accented, q, expected):
    assert found_by_search(app, q, world.viewer, accented) == expected


@pytest.mark.parametrize("q, expected", ACCENTS)
def test_the_list_api_finds_the_same(client, world, accented, q, expected):
    response = world.api(client, "viewer").get("/accounts", query_string={"q": q, "per_page": 100})
    assert response.status_code == 200
    assert {a["name"] for a in response.get_json()["items"]} == expected


@pytest.mark.parametrize("q", ["Élec*", "Électricité-de-France", '"Électricité de France"'])
def test_the_list_page_and_the_search_page_and_api_find_the_same(client, login_as, world, accented, q):
    login_as(world.viewer)
    listed = listed_on_page(client.get("/accounts", query_string={"q": q}).get_data(as_text=True), accented)
    expected = found_by_search(client.application, q, world.viewer, accented)
    assert THREE <= listed == expected
    html = client.get("/search", query_string={"q": q, "type": "account"}).get_data(as_text=True)
    assert all(f'href="/accounts/{accented[name].id}"' in html for name in THREE)
    body = world.api(client, "viewer").get("/search", query_string={"q": q, "type": "account",
                                                                   "per_page": 50}).get_json()
    assert THREE <= {item["title"] for item in body["results"]}


# --- 3. a company-form suffix typed at the end is optional -------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("仁和医疗集团有限公司", "仁和医疗"), ("华东移动有限公司", "华东移动"), ("长江商业银行有限公司", "长江商业银行"),
    ("优选连锁超市股份有限公司", "优选连锁超市"), ("Renhe Healthcare Group Co., Ltd.", "Renhe Healthcare"),
    ("East China Mobile Communications Limited", "East China Mobile Communications"),
    ("Electricite de France S.A.", "Electricite de France"), ("華東移動有限公司", "華東移動"),
    ("ECMC Co. Ltd. 战略", "ECMC 战略"), ("华东移动有限公司 OR 长沙银行", "华东移动 OR 长沙银行"),
    # kept: the first word of a run, two Chinese characters, operators, prefixes and fields, phrases
    ("Group", "Group"), ("分公司", "分公司"), ("集团", "集团"), ("有限公司", "有限公司"), ("股份有限公司", "股份有限公司"),
    ("Renhe AND Group", "Renhe AND Group"),
    ("Renhe Co*", "Renhe Co*"), ("title:有限公司", "title:有限公司"), ('"华东移动有限公司"', '"华东移动有限公司"'),
    ("EDF.S.A.", "EDF.S.A."),
])
def test_a_trailing_company_form_is_dropped_from_what_is_searched(typed, expected):
    assert ime_to_ascii(typed).strip() == expected
    assert drop_company_forms(expected) == expected  # (once is enough)
    assert parse_user_query(typed).message is None  # (nothing to explain: the name is found)


DEMO_FORMS = [
    ("仁和医疗集团有限公司", "仁和医疗集团"), ("华东移动有限公司", "华东移动通信有限公司"),
    ("长江商业银行有限公司", "长江商业银行股份有限公司"), ("优选连锁超市股份有限公司", "优选连锁超市有限公司"),
    ("Renhe Healthcare Group Co., Ltd.", "仁和医疗集团"),
    ("East China Mobile Communications Limited", "华东移动通信有限公司"),
    # a name typed with the suffix it is stored with is still found, and ranks first
    ("华东移动通信有限公司", "华东移动通信有限公司"), ("优选连锁超市有限公司", "优选连锁超市有限公司"),
]


def _demo_viewer(app):
    from kb.db import session

    return session.scalar(select(User).where(User.email == "viewer@demo.kb"))


@pytest.mark.parametrize("typed, name", DEMO_FORMS)
def test_search_and_the_list_find_the_demo_account_typed_with_a_company_form(demo_app, typed, name):
    from kb.db import session
    from kb.services.accounts import account_filters_stmt

    with demo_app.test_request_context():
        account = session.scalar(select(Account).where(Account.name == name))
        outcome = find(demo_app, typed, _demo_viewer(demo_app), types=("account",))
        assert [hit.id for hit in outcome.hits][:1] == [account.id]
        listed = set(session.scalars(account_filters_stmt(q=typed).with_only_columns(Account.id)))
        assert account.id in listed


@pytest.mark.parametrize("typed, name", DEMO_FORMS[:5])
def test_the_pages_and_apis_find_the_demo_account_typed_with_a_company_form(demo_app, typed, name):
    client = demo_app.test_client()
    client.post("/login", data={"email": "viewer@demo.kb", "password": DEMO_PASSWORD})
    with demo_app.app_context():
        from kb.db import session
        account_id = session.scalar(select(Account.id).where(Account.name == name))
    link = f'href="/accounts/{account_id}"'
    assert link in client.get("/search", query_string={"q": typed}).get_data(as_text=True)
    assert link in client.get("/accounts", query_string={"q": typed}).get_data(as_text=True)


@pytest.fixture
def formed(app, world, create_account):
    return named_accounts(app, world, create_account, [
        ("星海科技有限公司", "Xinghai Technology Co., Ltd.", []), ("月湖软件", "Yuehu Software", []),
        ("星海物流", "Xinghai Logistics", []),
    ])


@pytest.mark.parametrize("q, expected", [
    ("星海科技有限公司", {"星海科技有限公司"}), ("星海科技股份有限公司", {"星海科技有限公司"}), ("星海科技", {"星海科技有限公司"}),
    ("月湖软件有限公司", {"月湖软件"}), ("Yuehu Software Ltd.", {"月湖软件"}), ("Yuehu Software Co., Ltd.", {"月湖软件"}),
    ("Xinghai Technology Limited", {"星海科技有限公司"}), ("Xinghai Technology Co., Ltd.", {"星海科技有限公司"}),
    ("Xinghai Logistics Group", {"星海物流"}), ("月湖公司", {"月湖软件"}), ("星海软件有限公司", set()),
])
def test_a_name_stored_with_or_without_its_form_is_found_in_search_and_the_list(client, world, formed, q,
                                                                               expected):
    assert found_by_search(client.application, q, world.viewer, formed) == expected
    response = world.api(client, "viewer").get("/accounts", query_string={"q": q, "per_page": 100})
    assert {a["name"] for a in response.get_json()["items"]} == expected
    body = world.api(client, "viewer").get("/search", query_string={"q": q, "type": "account"}).get_json()
    assert {item["title"] for item in body["results"]} == expected


# --- 4. phone numbers: dots, +86 without the trunk 0, a dashed start ---------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("138.0013.8000", "13800138000"), ("+86 755 8888 1234", "075588881234"),
    ("+86-755-88881234", "075588881234"), ("0086 755 8888 1234", "075588881234"),
    ("+86 10 8888 6666", "01088886666"), ("+86 138 0013 8000", "13800138000"),
    ("138-0013", "1380013*"), ("0755-8888", "07558888*"), ("138-0013-8", "13800138*"),
    ("8888-6666", "88886666"), ("2026-11-30", "2026-11-30"), ("V5.2.1", "V5.2.1"), ("1.5", "1.5"),
    ("150-200", "150-200"), ("预算 150-200万", "预算 150-200万"), ("138-0013*", "138-0013*"),
])
def test_phone_numbers_in_a_query(typed, expected):
    assert phone_digits_in_query(typed) == expected


@pytest.mark.parametrize("text, forms", [
    ("电话 138.0013.8000", ("13800138000",)), ("电话 +86 755 8888 1234", ("075588881234", "88881234")),
    ("版本 1.5.2 与 2026.11.30", None),
])
def test_phone_numbers_in_a_text(text, forms):
    found = [f for _s, _e, f in phone_numbers(text)]
    assert found == ([forms] if forms else [])


@pytest.fixture
def phoned(create_account, create_interaction, create_user):
    account = create_account(name="锦程物流")
    notes = {name: create_interaction(account, title="联系方式", summary=text) for name, text in [
        ("dashed", "手机 138-0013-8000"), ("plain", "手机 13800138000"), ("dotted", "手机 138.0013.8000"),
        ("other", "手机 139-1234-5678"), ("area", "座机 0755-8888-1234"), ("spaced", "座机 0755 88881234"),
        ("abroad", "座机 +86 755 8888 1234"), ("beijing", "座机 010-8888-1234"),
    ]}
    return create_user(role=UserRole.VIEWER, name="查看者"), {n: f"interaction:{i.id}" for n, i in notes.items()}


MOBILE, SHENZHEN = {"dashed", "plain", "dotted"}, {"area", "spaced", "abroad"}


@pytest.mark.parametrize("typed, expected", [
    ("138.0013.8000", MOBILE), ("13800138000", MOBILE), ("138-0013-8000", MOBILE),
    ("+86 755 8888 1234", SHENZHEN), ("0755 88881234", SHENZHEN), ("0755-8888-1234", SHENZHEN),
    ("+86-755-8888-1234", SHENZHEN), ("88881234", SHENZHEN | {"beijing"}),
    ("138-0013", MOBILE), ("1380013*", MOBILE), ("139-1234", {"other"}), ("0755-8888", SHENZHEN),
    ("138-0014", set()),
])
def test_search_finds_phone_numbers_however_written(app, phoned, typed, expected):
    viewer, notes = phoned
    outcome = find(app, typed, viewer)
    assert keys(outcome) == {notes[n] for n in expected}
    assert outcome.message is None


@pytest.mark.parametrize("typed, expected", [("138.0013.8000", MOBILE), ("+86 755 8888 1234", SHENZHEN),
                                             ("138-0013", MOBILE)])
def test_the_search_page_and_api_find_phone_numbers(client, login_as, world, create_account,
                                                    create_interaction, typed, expected):
    texts = {"dashed": "手机 138-0013-8000", "dotted": "手机 138.0013.8000", "plain": "手机 13800138000",
             "area": "座机 0755-8888-1234", "spaced": "座机 0755 88881234", "abroad": "座机 +86 755 8888 1234"}
    account = create_account(group=world.group, name="锦程物流")
    ids = {n: create_interaction(account, title=f"联系方式{n}", summary=t).id for n, t in texts.items()}
    body = world.api(client, "viewer").get("/search", query_string={"q": typed, "per_page": 50}).get_json()
    assert {item["title"] for item in body["results"]} == {f"联系方式{n}" for n in expected}
    login_as(world.viewer)
    html = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
    assert all(f"/interactions/{ids[n]}" in html for n in expected)
    assert not any(f"/interactions/{ids[n]}\"" in html for n in set(texts) - expected)


def test_the_phone_formats_rebuild_the_index():
    from kb.search.schema import SCHEMA_VERSION
    assert SCHEMA_VERSION >= 10  # (an index built before holds no digits for 138.0013.8000: it is rebuilt)


# --- a second tester: the API's possible-duplicate answer points at the field that matches ------------------

@pytest.mark.parametrize("body, field", [
    ({"name": "新公司甲", "aliases": ["ECMC"]}, "aliases"),
    ({"name": "新公司乙", "name_en": "east china mobile communications co ltd"}, "name_en"),
    ({"name": "华东移动通信有限公司"}, "name"),
])
def test_the_duplicate_answer_names_the_matching_field(client, world, create_account, body, field):
    create_account(name="华东移动通信有限公司", name_en="East China Mobile Communications Co., Ltd.",
                   aliases=["ECMC"])
    response = world.api(client, "admin").post("/accounts", json=body)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "possible_duplicate" and list(error["fields"]) == [field]
