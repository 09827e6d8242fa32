"""Form errors are tied to their fields for screen readers: after a failed submit the field is aria-invalid,
its aria-describedby names the element holding the message (and its hint), and a summary above the form links
to each field in error. Checked on the forms of every kind, through the shared `field` macro."""
from __future__ import annotations

from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest


class Page(HTMLParser):
    """Elements by id (tag, attributes, text) and every <input>/<textarea>/<select> by name."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, Any]] = {}
        self.fields: dict[str, dict[str, Any]] = {}
        self.hidden: dict[str, str] = {}
        self.links: list[str] = []
        self._open: list[dict[str, Any]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        if "id" in element["attrs"]:
            self.by_id[element["attrs"]["id"]] = element
        if tag in ("input", "textarea", "select") and element["attrs"].get("name"):
            if element["attrs"].get("type") == "hidden":
                self.hidden[element["attrs"]["name"]] = element["attrs"].get("value") or ""
            else:
                self.fields.setdefault(element["attrs"]["name"], element)
        if tag == "a" and element["attrs"].get("href", "").startswith("#"):
            self.links.append(element["attrs"]["href"])
        if tag not in ("input", "br", "meta", "link", "img", "hr"):
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element["text"] += data


@pytest.fixture
def world(client, create_user, create_group, create_account):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    admin = create_user(role="admin")
    group = create_group()
    return {"admin": admin, "account": create_account(group=group, name="华东电网"), "group": group}


# (form page, the required field left empty, the message the user then reads, a field filled in well)
CASES = {
    "account": ("/accounts/new", "name", "Enter the name of the account.", ("name_en", "East Grid")),
    "stakeholder": ("/accounts/{account}/stakeholders/new", "name", "Enter the person's name.",
                    ("name_en", "Wang")),
    "group": ("/groups/new", "name", "Enter a name for the group.", ("name_en", "East")),
    "user": ("/admin/users/new", "name", "Enter the person's name.", ("email", "new.rep@example.com")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_failed_submit_ties_each_error_to_its_field(client, login_as, world, case):
    url, name, message, (good, value) = CASES[case]
    url = url.format(account=world["account"].id)
    login_as(world["admin"])
    form = Page(client.get(url).text)
    assert form.fields[name]["attrs"].get("aria-invalid") is None  # nothing wrong yet

    response = client.post(url, data={**form.hidden, name: "", good: value})
    assert response.status_code in (200, 400, 422)
    page = Page(response.text)
    field = page.fields[name]["attrs"]
    assert field.get("aria-invalid") == "true"
    described = [page.by_id[i]["text"].strip() for i in field["aria-describedby"].split()]
    assert message in described
    # the summary above the form links to the field, with the message
    assert f"#{field['id']}" in page.links
    summary = response.text.split('class="flash flash-error error-summary"', 1)[1].split("</div>", 1)[0]
    assert message in unescape(summary)
    # a field without errors is not marked
    assert page.fields[good]["attrs"]["value"] == value
    assert "aria-invalid" not in page.fields[good]["attrs"]


def test_a_hint_describes_its_field_before_any_error(client, login_as, world):
    login_as(world["admin"])
    page = Page(client.get(f"/accounts/{world['account'].id}/plans/new").text)
    period = page.fields["period"]["attrs"]
    assert [page.by_id[i]["text"].strip() for i in period["aria-describedby"].split()] == [
        "For example FY2027, 2027, 2027H1 or 2027Q3."]
    assert "aria-invalid" not in period


def test_sign_in_errors_are_tied_to_the_fields(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    form = Page(client.get("/login").text)
    page = Page(client.post("/login", data={**form.hidden, "email": "", "password": ""}).text)
    for name in ("email", "password"):
        field = page.fields[name]["attrs"]
        assert field.get("aria-invalid") == "true"
        assert [page.by_id[i]["text"].strip() for i in field["aria-describedby"].split()] == [
            "This field is required."]
