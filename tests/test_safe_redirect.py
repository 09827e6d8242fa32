"""One safe-redirect check (kb.urls.is_safe_redirect) for sign-in, the language switch and next steps."""
from __future__ import annotations

import pytest

from kb.urls import is_safe_redirect

UNSAFE = [
    "//evil.example", "/\\evil.example", "\\\\evil.example", "\\/evil.example", "/\\/evil.example",
    "https://evil.example/", "http:evil.example", "javascript:alert(1)", "evil.example/path",
    "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/x\x00y", "/x\x7fy", "", None,
]
SAFE = ["/", "/accounts/3", "/search?q=客户&type=plan", "/accounts/3/plans/FY2027#strategy"]


@pytest.mark.parametrize("target", UNSAFE)
def test_refuses_other_hosts_schemes_backslashes_and_control_characters(target):
    assert not is_safe_redirect(target)


@pytest.mark.parametrize("target", SAFE)
def test_allows_same_site_paths(target):
    assert is_safe_redirect(target)


@pytest.mark.parametrize("target", ["/\\evil.example", "/\t/evil.example", "//evil.example"])
def test_language_switch_and_sign_in_never_leave_the_site(client, create_user, target):
    switched = client.post("/language", data={"locale": "en", "next": target})
    assert switched.status_code == 302 and "evil" not in switched.headers["Location"]
    user = create_user()
    signed_in = client.post("/login", data={"email": user.email, "password": "password123", "next": target})
    assert signed_in.status_code == 302 and "evil" not in signed_in.headers["Location"]


def test_ticking_a_next_step_returns_only_to_a_page_of_ours(client, login_as, create_user, create_account,
                                                           create_interaction):
    from kb.db import session
    from models import NextStep

    user = create_user()
    visit = create_interaction(create_account(members=[user]))
    with client.application.app_context():
        step = NextStep(interaction_id=visit.id, text="发报价", owner_id=user.id)
        session.add(step)
        session.commit()
        step_id = step.id
    login_as(user)
    bounced = client.post(f"/next-steps/{step_id}/toggle", data={"done": "1", "next": "/\\evil.example"})
    assert bounced.headers["Location"].endswith(f"/interactions/{visit.id}")
    back = client.post(f"/next-steps/{step_id}/toggle", data={"done": "0", "next": "/accounts"})
    assert back.headers["Location"] == "/accounts"
