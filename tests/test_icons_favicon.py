"""Icons that need no emoji font, and a favicon (no 404 on every page)."""
from __future__ import annotations

import re


def test_every_page_names_a_favicon_that_exists(client, login_as, create_user):
    signed_out = client.get("/login").get_data(as_text=True)
    login_as(create_user())
    html = client.get("/").get_data(as_text=True)
    href = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">', html).group(1)
    assert href in signed_out
    with client.get(href) as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert b"<svg" in icon.get_data()


def test_private_notes_lock_is_an_svg_not_an_emoji(client, login_as, create_user, create_group, create_account,
                                                    create_stakeholder):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    member = create_user()
    account = create_account(group=create_group(), members=[member])
    person = create_stakeholder(account, name="王处长", private_notes="只给团队看")
    login_as(member)
    for url in (f"/accounts/{account.id}", f"/stakeholders/{person.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "🔒" not in html, url
        assert re.search(r'<svg class="icon"', html), url
    chain = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert re.search(r'<svg class="icon"[^>]*role="img" aria-label="Has private notes"', chain)


def test_favicon_ico_answers_signed_out_too(client):
    with client.get("/favicon.ico") as icon:  # browsers ask for it on documents without <link rel=icon>
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert b"<svg" in icon.get_data()
