"""A deactivated user gets no API token (the one rule, kb.services.tokens.create_token: page, API and CLI),
a token such a user still holds is listed as "owner deactivated", never Active, and the CLI's errors are one
line in one language (tester's defects 7 and 8 of issue 12)."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from models import ApiToken, User
from tests.api_support import Api, make_token

HAN = re.compile(r"[\u4e00-\u9fff]")


def _count(app, user) -> int:
    with app.app_context():
        from kb.db import session
        return session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id))


def test_cli_refuses_a_deactivated_user(app, runner, create_user):
    gone = create_user(role="member", email="huangtao@demo.kb", active=False)
    result = runner.invoke(args=["kb", "create-token", "--email", gone.email, "--label", "h",
                                 "--expires", "30"])
    assert result.exit_code == 1
    assert "huangtao@demo.kb is deactivated: a deactivated user cannot have an API token." in result.output
    assert "kb_" not in result.output
    assert _count(app, gone) == 0


def test_cli_refusal_in_chinese_with_lang(app, runner, create_user):
    gone = create_user(role="admin", email="gone@demo.kb", active=False)
    result = runner.invoke(args=["kb", "create-token", "--email", gone.email, "--lang", "zh_CN"])
    assert result.exit_code == 1
    assert "gone@demo.kb 已停用：停用的用户不能拥有 API 令牌。" in result.output
    assert _count(app, gone) == 0


def test_cli_expiry_error_is_one_language(app, runner, create_user):
    member = create_user(role="member", email="ar@demo.kb")
    result = runner.invoke(args=["kb", "create-token", "--email", member.email, "--expires", "never"])
    assert result.exit_code == 1
    line = result.output.strip().splitlines()[-1]
    assert line == ("Error: --expires: Choose when the token expires: 30, 90 or 365 days. Only an admin's "
                    "token may never expire: give --expires 30, 90 or 365 for ar@demo.kb.")
    assert not HAN.search(result.output)

    zh = runner.invoke(args=["kb", "create-token", "--email", member.email, "--expires", "never",
                             "--lang", "zh_CN"])
    assert zh.exit_code == 1
    assert zh.output.strip().splitlines()[-1] == (
        "Error: --expires: 请选择令牌的有效期：30、90 或 365 天。 只有管理员的令牌可以永不过期："
        "请为 ar@demo.kb 指定 --expires 30、90 或 365。")
    assert "Only an admin" not in zh.output
    assert _count(app, member) == 0


def test_cli_unknown_email_is_one_line(runner):
    result = runner.invoke(args=["kb", "create-token", "--email", "nobody@demo.kb", "--expires", "30"])
    assert result.exit_code == 1
    assert "No user with email nobody@demo.kb." in result.output


def test_a_deactivated_owners_token_is_not_listed_as_active(app, client, create_user, login_as):
    admin = create_user(role="admin", name="管理员")
    holder = create_user(role="member", name="黄涛")
    make_token(app, holder)  # made before the deactivation was enforced, e.g. by the old CLI
    with app.app_context():
        from kb.db import session
        session.get(User, holder.id).active = False  # not through update_user, which would revoke it
        session.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login_as(admin)
    html = client.get("/admin/tokens").get_data(as_text=True)
    row = next(r for r in html.split("<tr") if "黄涛" in r)
    assert "Owner deactivated" in row and ">Active<" not in row.replace(" ", "").replace("\n", "")
    listed = Api(client, make_token(app, admin)).get(f"/tokens?user={holder.id}").get_json()["items"]
    assert [t["state"] for t in listed] == ["inactive"]
