"""Relationship risk: the one rule saying which relationships with a customer's people may be lost.

A stakeholder's relationship is at risk (each a `Risk` with a code and the reason in words) when:
- `no_owner`: nobody of ours owns it;
- `owners_gone`: every owner is inactive or gone from the account team (the team as kb.policy defines it:
  a triangle seat in force in the account's customer group, or a named account member);
- `no_backup`: a decision-maker or high-influence person has an owner but no backup owner;
- `not_contacted`: no recorded interaction met them for more than N days (RISK_CONTACT_DAYS_KEY, 90, for
  decision-makers and high influence; RISK_CONTACT_DAYS_OTHER, 180, for everyone else), or never;
- `opposed_high`: opposes us and has high influence;
- `no_support_near`: a decision-maker who does not support us with nobody supportive above them (their
  reports-to chain) or beside them (the same manager). (A decision-maker who supports us is the support:
  flagging them would mark every friendly top of a chain.)
"Unknown" decision role or influence counts as neither decision-maker nor high influence.

Domain source: DOMAIN.md "Relationship knowledge" (owners, one or several, so nothing is lost when one
leaves; decision power moves upward). Everything is computed for a batch of stakeholders in a constant
number of statements (owners must come eager-loaded, e.g. with `stakeholders.chain_options()`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Date, cast, func, literal, null, or_, select, union_all

from models import (
    Attitude, DecisionRole, Influence, Interaction, Stakeholder, StakeholderOwner, interaction_stakeholder,
)

from .. import policy
from ..db import session
from ..id_lists import in_ids
from . import risk_facts
from .stakeholders import chain_options

#: Every risk code, in the order risks are listed.
RISK_CODES = ("no_owner", "owners_gone", "no_backup", "not_contacted", "opposed_high", "no_support_near")
DEFAULT_KEY_DAYS = 90
DEFAULT_OTHER_DAYS = 180


@dataclass(frozen=True)
class Risk:
    """One reason a relationship may be lost: `code` (one of RISK_CODES) and `message` (translated)."""

    code: str
    message: str


def is_key_person(stakeholder: Stakeholder) -> bool:
    """A decision-maker or a high-influence person ("unknown" is neither)."""
    return stakeholder.decision_role == DecisionRole.DECISION_MAKER or stakeholder.influence == Influence.HIGH


#: The last contact of someone met only longer ago than the rule looks back (see _last_contacts).
LONG_AGO = date.min


def _last_contacts(people: Sequence[Any], today: date, window_days: int) -> dict[int, date]:
    """{stakeholder id: their latest (not archived) interaction's date up to `today`}, as far as the rule
    needs it: the date itself when it is within `window_days` of `today`, LONG_AGO when they were met only
    before that; people never met are missing. A visit dated after `today` (planned) is no contact yet. One statement whose work follows the accounts' recent
    visits and the number of people, not the length of their history (issue 9: the max over every
    interaction of every person was the largest statement of the home and group pages).

    The recent visits are those of the people's accounts (an interaction meets only stakeholders of its own
    account: kb.services.interactions checks it, and a stakeholder never changes account), read first in
    a MATERIALIZED CTE by ix_interaction_account_date; "ever met" is a LIMIT 1 subquery per person, which
    stops at the first meeting."""
    ids = [p.id for p in people]
    if not ids:
        return {}
    isc, account_ids = interaction_stakeholder.c, sorted({p.account_id for p in people})
    recent = (select(Interaction.id, Interaction.occurred_on)
              .where(in_ids(Interaction.account_id, account_ids),
                     Interaction.occurred_on >= today - timedelta(days=min(window_days, today.toordinal() - 1)),
                     Interaction.occurred_on <= today,  # a planned (future) visit is no contact yet
                     Interaction.archived_at.is_(None))
              .cte("recent_visits").prefix_with("MATERIALIZED"))
    found = (select(isc.stakeholder_id.label("id"), func.max(recent.c.occurred_on).label("day"),
                    literal(True).label("met"))
             .join(recent, recent.c.id == isc.interaction_id)
             .where(in_ids(isc.stakeholder_id, ids)).group_by(isc.stakeholder_id))
    # "Ever met" as a LIMIT 1 subquery per person, in the same statement: as an EXISTS filter (a semi-join)
    # PostgreSQL costed it into a parallel scan of every stakeholder (15 ms for a group page).
    met = (select(isc.stakeholder_id).join(Interaction, Interaction.id == isc.interaction_id)
           .where(isc.stakeholder_id == Stakeholder.id, Interaction.archived_at.is_(None),
                  Interaction.occurred_on <= today)
           .limit(1).correlate(Stakeholder).scalar_subquery())
    ever = select(Stakeholder.id, cast(null(), Date), met.is_not(None)).where(in_ids(Stakeholder.id, ids))
    last: dict[int, date] = {}
    met_ever: set[int] = set()
    for sid, day, seen in risk_facts.read_rows(union_all(found, ever)):
        if day is not None:
            last[sid] = day
        elif seen:
            met_ever.add(sid)
    for sid in met_ever - set(last):
        last[sid] = LONG_AGO
    return last


def _chains(account_ids: list[int]) -> dict[int, tuple[int | None, Attitude]]:
    """(reports-to id, attitude) of the active stakeholders of the accounts that no_support_near can reach:
    the supportive ones and everyone someone of the accounts (archived or not: the person checked may be)
    reports to — a walk up a reports-to chain passes only through managers, and "beside" looks only for
    supportive people. One statement; the rest of the accounts' people (most of them: issue 9) are not
    read. No accounts (no decision-maker lacking support among the people checked): no statement."""
    if not account_ids:
        return {}
    managers = select(Stakeholder.reports_to_id).where(in_ids(Stakeholder.account_id, account_ids),
                                                       Stakeholder.reports_to_id.is_not(None))
    rows = risk_facts.read_rows(
        select(Stakeholder.id, Stakeholder.reports_to_id, Stakeholder.attitude)
        .where(in_ids(Stakeholder.account_id, account_ids), Stakeholder.archived_at.is_(None),
               or_(Stakeholder.attitude == Attitude.SUPPORT, Stakeholder.id.in_(managers))))
    return {sid: (boss, attitude) for sid, boss, attitude in rows}


def _supported_near(stakeholder: Stakeholder, chain: dict[int, tuple[int | None, Attitude]],
                    supportive_under: Mapping[int, set[int]]) -> bool:
    """Someone supportive above `stakeholder` (reports-to chain, cycles cut) or beside (same manager;
    `supportive_under`: manager id → ids of the supportive people reporting to them)."""
    seen = {stakeholder.id}
    boss = stakeholder.reports_to_id
    while boss is not None and boss in chain and boss not in seen:
        seen.add(boss)
        if chain[boss][1] == Attitude.SUPPORT:
            return True
        boss = chain[boss][0]
    if stakeholder.reports_to_id is None:
        return False
    return bool(supportive_under.get(stakeholder.reports_to_id, set()) - {stakeholder.id})


def owner_gone(owner: StakeholderOwner, team: set[int]) -> bool:
    """The one rule for an owner who has left: their user is inactive or off the account's team (`team`:
    user ids on it, kb.policy.team_user_ids). Pictures and pages flag such owners by this rule too."""
    return not (owner.user.active and owner.user_id in team)


def gone_owners(*, stakeholders: Sequence[Stakeholder], today: date,
                teams: Mapping[int, set[int]] | None = None) -> dict[int, set[int]]:
    """{stakeholder id: user ids of its owners who count as gone (`owner_gone`) on `today`} — one statement
    (the teams, unless `teams` — kb.policy.team_user_ids of their accounts — is given), provided owners and
    their users are loaded. Raises nothing."""
    people = list(stakeholders)
    if teams is None:
        teams = policy.team_user_ids(sorted({s.account_id for s in people}), today) if people else {}
    return {s.id: {o.user_id for o in s.owners if owner_gone(o, teams.get(s.account_id, set()))}
            for s in people}


#: A risk found by the rule, before it is put in words: (code, parameters of its message).
Found = tuple[str, dict[str, Any]]


def _owner_risks(stakeholder: Stakeholder, team: set[int], key: bool) -> list[Found]:
    """The owner half of the rule; `key`: is_key_person(stakeholder), worked out once by the caller."""
    owners = stakeholder.owners
    if not owners:
        return [("no_owner", {})]
    for o in owners:
        if not owner_gone(o, team):
            break
    else:
        return [("owners_gone", {"names": ", ".join(o.user.name for o in owners)})]
    if key:
        for o in owners:
            if not o.is_primary:
                return []
        return [("no_backup", {})]
    return []


def _contact_risk(last: date | None, today: date, days: int) -> Found | None:
    """The contact half of the rule; `days`: the person's limit (key_days or other_days)."""
    if last is None:
        return ("not_contacted", {})
    if (today - last).days > days:
        return ("not_contacted", {"days": days})
    return None


def _message(code: str, params: dict[str, Any]) -> str:
    """The reason of a risk in the user's language."""
    if code == "no_owner":
        return _("No owner of ours: nobody holds this relationship.")
    if code == "owners_gone":
        return _("Every owner has left the account team or is inactive: %(names)s.", names=params["names"])
    if code == "no_backup":
        return _("No backup owner for a decision-maker or high-influence person.")
    if code == "not_contacted":
        # No date in the words: the last meeting may be a team-only interaction the reader may not see.
        return (_("Not met for more than %(days)d days.", days=params["days"]) if "days" in params
                else _("Never met in a recorded interaction."))
    if code == "opposed_high":
        return _("Opposes us and has high influence.")
    return _("Decision-maker with nobody supportive above or beside them.")


def _found(people: list[Stakeholder], today: date, key_days: int, other_days: int,
           teams: Mapping[int, set[int]] | None) -> dict[int, list[Found]]:
    """{stakeholder id: the risks the rule finds, not yet in words}: three statements (see
    stakeholder_risks)."""
    account_ids = sorted({s.account_id for s in people})
    if teams is None:
        teams = policy.team_user_ids(account_ids, today)
    last = _last_contacts(people, today, max(key_days, other_days))
    # Reporting lines only of the accounts where a decision-maker may lack support (a reports-to stays in
    # its account: kb.services.stakeholders checks it): the rule reads no other (issue 9).
    chain = _chains(sorted({s.account_id for s in people if s.decision_role == DecisionRole.DECISION_MAKER
                            and s.attitude != Attitude.SUPPORT}))
    # Supportive people per manager, once (the "beside" half of no_support_near).
    supportive_under: dict[int, set[int]] = {}
    for sid, (boss, attitude) in chain.items():
        if boss is not None and attitude == Attitude.SUPPORT:
            supportive_under.setdefault(boss, set()).add(sid)
    result: dict[int, list[Found]] = {}
    nobody: set[int] = set()
    for s in people:
        # The person's facts read once (issue 9: this loop runs over every person of a page's accounts).
        role, influence, attitude = s.decision_role, s.influence, s.attitude
        key = role == DecisionRole.DECISION_MAKER or influence == Influence.HIGH  # = is_key_person(s)
        found = _owner_risks(s, teams.get(s.account_id, nobody), key)
        contact = _contact_risk(last.get(s.id), today, key_days if key else other_days)
        if contact is not None:
            found.append(contact)
        if attitude == Attitude.OPPOSE and influence == Influence.HIGH:
            found.append(("opposed_high", {}))
        if (role == DecisionRole.DECISION_MAKER and attitude != Attitude.SUPPORT
                and not _supported_near(s, chain, supportive_under)):
            found.append(("no_support_near", {}))
        result[s.id] = found
    return result


def stakeholder_risks(*, stakeholders: Sequence[Stakeholder], today: date, key_days: int = DEFAULT_KEY_DAYS,
                      other_days: int = DEFAULT_OTHER_DAYS,
                      teams: Mapping[int, set[int]] | None = None) -> dict[int, list[Risk]]:
    """{stakeholder id: [Risk, …]} for every given stakeholder (an empty list: not at risk).

    `today` is the user's day (kb.clock.today()); `key_days` / `other_days` are the settings
    RISK_CONTACT_DAYS_KEY / RISK_CONTACT_DAYS_OTHER (days, > 0). Three statements whatever the number of
    stakeholders (team members, last contacts, the accounts' reporting lines), provided owners and their
    users are loaded; `teams` (kb.policy.team_user_ids of their accounts) saves the first. Raises nothing.
    """
    found = risk_findings(stakeholders=stakeholders, today=today, key_days=key_days, other_days=other_days,
                          teams=teams)
    return {sid: in_words(risks) for sid, risks in found.items()}


def risk_findings(*, stakeholders: Sequence[Stakeholder], today: date, key_days: int = DEFAULT_KEY_DAYS,
                  other_days: int = DEFAULT_OTHER_DAYS,
                  teams: Mapping[int, set[int]] | None = None) -> dict[int, list[Found]]:
    """What `stakeholder_risks` finds, not yet put in words: {stakeholder id: [(code, message parameters),
    …]} (empty: not at risk). Same arguments, statements and rule; a caller that lists only some of the
    people at risk (the dashboard: LIST_LIMIT of up to RISK_SCAN_LIMIT) words only those with `in_words`
    (issue 9: translating every reason of every person checked was a large part of the home page)."""
    people = list(stakeholders)
    if not people:
        return {}
    return _found(people, today, key_days, other_days, teams)


def in_words(found: Sequence[Found], memo: dict[tuple[str, str], Risk] | None = None) -> list[Risk]:
    """The risks of one person (from `risk_findings`) with their reasons in the user's language.

    `memo` (an empty dict the caller keeps for one request and language, passed for each person of a list)
    translates each distinct reason once (issue 9: a list of 20 people said the same few reasons 50 times,
    each a gettext call)."""
    if memo is None:
        return [Risk(code, _message(code, params)) for code, params in found]
    risks = []
    for code, params in found:
        key = (code, repr(sorted(params.items())))
        if key not in memo:
            memo[key] = Risk(code, _message(code, params))
        risks.append(memo[key])
    return risks


def account_risks(*, account_id: int, today: date, key_days: int = DEFAULT_KEY_DAYS,
                  other_days: int = DEFAULT_OTHER_DAYS) -> list[tuple[Stakeholder, list[Risk]]]:
    """Every active stakeholder of the account (by name) with their risks: six statements in all."""
    people = list(session.scalars(
        select(Stakeholder).where(Stakeholder.account_id == account_id, Stakeholder.archived_at.is_(None))
        .options(*chain_options()).order_by(Stakeholder.name, Stakeholder.id)
    ))
    risks = stakeholder_risks(stakeholders=people, today=today, key_days=key_days, other_days=other_days)
    return [(s, risks[s.id]) for s in people]


def at_risk_counts(*, account_ids: Sequence[int], today: date, key_days: int = DEFAULT_KEY_DAYS,
                   other_days: int = DEFAULT_OTHER_DAYS) -> dict[int, int]:
    """{account id: how many of its active stakeholders are at risk} for the accounts (e.g. a page of a
    group's): four statements whatever the number of accounts and stakeholders (the people and their owners
    read as plain rows, kb.services.risk_facts, never put in words)."""
    ids = list(account_ids)
    if not ids:
        return {}
    people = account_facts(ids)
    return count_at_risk(account_ids=ids, people=people,
                         found=_found(people, today, key_days, other_days, None))  # type: ignore[arg-type]


def account_facts(account_ids: Sequence[int]) -> list[risk_facts.StakeholderFacts]:
    """Every active stakeholder of the accounts as the rule reads them (kb.services.risk_facts): one
    statement. What at_risk_counts counts over."""
    return risk_facts.load_facts(where=(in_ids(Stakeholder.account_id, account_ids),
                                        Stakeholder.archived_at.is_(None)))


def count_at_risk(*, account_ids: Sequence[int], people: Sequence[Any],
                  found: Mapping[int, Sequence[Found]]) -> dict[int, int]:
    """{account id: how many of `people` (their active stakeholders, account_facts) have a risk in `found`
    (risk_findings of at least those people; more is fine)}: at_risk_counts' figures from a run of the rule
    that a page shares with another panel (the group page's dashboard, issue 9). Raises KeyError for a
    person missing from `found`."""
    counts = {account_id: 0 for account_id in account_ids}
    for s in people:
        if found[s.id]:
            counts[s.account_id] += 1
    return counts
