"""Who may see and do what: the one place access rules live.

- Everyone signed in reads accounts, plans and stakeholders.
- Team-only interactions and stakeholders' private notes: the account team (triangle seats in force in
  the account's customer group, plus named account members) and admins only.
- `member` edits accounts where they are on the team; `admin` edits everything and manages users,
  groups and seats; `viewer` only reads. An archived account is read-only until restored.
- Team rights come from seats *in force* (`TriangleSeat.in_force`, the one definition): a seat recorded
  ahead gives nothing until its day.

Two kinds of functions: `may_*` answer a question (pages use them for buttons and links), `check_may_*`
raise PermissionDenied; every write service calls a `check_may_*` first, so pages, the API, the CLI and
importers share one gate.

The rules live in submodules by area (core: users, seats, teams, accounts, interactions; handover;
ltc; exchange; tokens); import them from this package (`from kb import policy`, `policy.may_edit_account`).
"""
from __future__ import annotations

from .core import (  # noqa: F401
    _user_id, is_admin, _is_active_member, may_have_own_work, seat_in_force, seated_group_ids, team_account_ids,
    team_user_ids, is_on_team, sees_team_content, may_see_exports, may_archive_account, may_edit_account,
    editable_account_clause, _archived, account_group_choices, may_create_account, may_place_account,
    may_manage, team_only_clause, interaction_visible_clause, may_see_interaction, require,
    check_may_edit_account, require_edit_page, check_may_archive_account, check_may_create_account,
    check_may_place_account, check_may_set_parent, check_may_manage, _check_not_archived, ANY_GROUP,
)
from .exchange import (  # noqa: F401
    may_import, check_may_import, import_runs_visible_clause,
)
from .handover import (  # noqa: F401
    handover_group_ids, may_hand_over, may_read_handover, check_may_hand_over,
)
from .ltc import (  # noqa: F401
    project_opportunity_ids, project_search_grants, lead_visible_clause, opportunity_visible_clause,
    risk_visible_clause, may_see_lead,
    sits_on_project, may_see_opportunity, may_see_risk, may_create_lead, may_edit_lead, may_edit_opportunity,
    may_edit_risk, check_may_create_lead, check_may_edit_lead, check_may_edit_opportunity, check_may_edit_risk,
)
from .memo import MEMO_KEY, remember  # noqa: F401
from .tokens import (  # noqa: F401
    READ_METHODS, may_have_tokens, may_have_write_token, may_have_token_without_expiry, may_see_tokens_of,
    may_see_all_tokens, tokens_visible_clause, may_revoke_token, token_allows_method, check_may_create_token,
    check_may_revoke_token,
)
