"""Demo loader for interactions (visits, calls, events, executive meetings) and their next steps.

The hand-written key interactions come first; routine ones are generated from templates, more for
bigger accounts, spread over the 18 months before the anchor. A next step is done, overdue (due before
the anchor, not done) or open (due after it).
"""
from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from models import Interaction, InteractionKind, NextStep, Visibility

from .context import ANCHOR, WINDOW_START, DemoContext, at
from .data_interactions import KEY_INTERACTIONS, TEMPLATES

logger = logging.getLogger(__name__)

#: Routine interactions per account, by tier.
PER_TIER = {"strategic": 8, "key": 6, "growth": 4, "standard": 2}
#: How a key interaction says it is the first visit to the people it met.
FIRST_VISIT = "首次"
#: One routine interaction in this many is visible to the account team only.
TEAM_ONLY_EVERY = 4
#: A space between two Chinese characters, left where a placeholder was filled in.
CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[ ](?=[\u4e00-\u9fff])")


def _fill(template: str, words: dict[str, str]) -> str:
    """The template with its placeholders filled; spaces are kept only next to Latin text."""
    return CJK_GAP.sub("", template.format(**words))


def load_interactions(ctx: DemoContext) -> None:
    """Key and routine interactions, ordered by account and date for a stable insertion order."""
    rows = [_key_row(row) for row in KEY_INTERACTIONS]
    first_met = _first_meetings(rows)
    for account_key, data in ctx.account_data.items():
        # each template at most once per account: no visit note repeated word for word on another date
        for i, template in enumerate(ctx.rng.sample(TEMPLATES, k=PER_TIER[data["tier"]])):
            row = _routine_row(ctx, account_key, template, first_met)
            row["visibility"] = "team" if i % TEAM_ONLY_EVERY == 1 else "org"
            rows.append(row)
    rows.sort(key=lambda r: (r["occurred_on"], list(ctx.account_data).index(r["account"]), r["title"]))
    steps = 0
    for row in rows:
        ctx.session.add(_build(ctx, row))
        steps += len(row["steps"])
    ctx.session.flush()
    ctx.counts["interactions"] = len(rows)
    ctx.counts["next steps"] = steps


def _key_row(row: tuple) -> dict:
    account, day, kind, title, summary, people, attendees, visibility, steps = row
    return {"account": account, "occurred_on": day, "kind": kind, "title": title, "summary": summary,
            "people": people, "attendees": attendees, "visibility": visibility,
            "steps": [{"text": t, "owner": o, "due_on": due, "done": done} for t, o, due, done in steps]}


def _first_meetings(rows: list[dict]) -> dict[str, date]:
    """Stakeholder key → the date of the key interaction that calls itself the first visit (首次) to them:
    no routine interaction may meet them before it."""
    first: dict[str, date] = {}
    for row in rows:
        if FIRST_VISIT in row["summary"] or FIRST_VISIT in row["title"]:
            for key in row["people"]:
                first[key] = min(first.get(key, row["occurred_on"]), row["occurred_on"])
    return first


def _routine_row(ctx: DemoContext, account_key: str, template: tuple, first_met: dict[str, date]) -> dict:
    rng, data = ctx.rng, ctx.account_data[account_key]
    start = max(WINDOW_START, data["created"] + timedelta(days=30))
    day = ctx.day_between(start, ctx.end_of(account_key) - timedelta(days=1))
    kind, title, variants, step_texts = template
    summary = rng.choice(variants)
    people = _people_met(ctx, account_key, kind, [k for k, first in first_met.items() if first > day])
    head = ctx.stakeholders[people[0]]
    words = {"short": data["aliases"][0], "topic": rng.choice(data["topics"]), "rival": data["rival"],
             "sh": head.name, "sh_title": head.title,
             "pct": str(rng.randint(3, 15)), "weeks": str(rng.randint(4, 10)), "n": str(rng.randint(6, 30))}
    team = ctx.team(account_key, day)
    attendees = team[:1] + [u for u in team[1:] if rng.random() < 0.5]
    if kind == "executive_meeting":
        attendees.append("liming")
    steps = []
    for text in step_texts[: rng.randint(1, len(step_texts))]:
        due = day + timedelta(days=rng.randint(7, 45))
        steps.append({"text": _fill(text, words), "owner": rng.choice(attendees), "due_on": due,
                      "done": _done(ctx, due)})
    return {"account": account_key, "occurred_on": day, "kind": kind, "title": _fill(title, words),
            "summary": _fill(summary, words), "people": people, "attendees": attendees, "steps": steps}


def _people_met(ctx: DemoContext, account_key: str, kind: str, not_yet_met: list[str]) -> list[str]:
    """Executives for executive meetings; otherwise one to three people below the top — never someone
    in `not_yet_met` (their first visit comes later)."""
    keys = [k for k in ctx.people_of[account_key] if k not in not_yet_met] or ctx.people_of[account_key]
    if kind == "executive_meeting":
        return keys[:2]
    pool = keys[1:] or keys
    return ctx.rng.sample(pool, k=min(len(pool), ctx.rng.randint(1, 3)))


def _done(ctx: DemoContext, due: date) -> bool:
    """Most long-past steps are done; recent ones are often still overdue; future ones are open."""
    if due >= ANCHOR:
        return False
    return ctx.rng.random() < (0.85 if due < ANCHOR - timedelta(days=45) else 0.4)


def _build(ctx: DemoContext, row: dict) -> Interaction:
    day = row["occurred_on"]
    author = ctx.uid(row["attendees"][0])
    created = at(day + timedelta(days=1), 10)
    interaction = Interaction(
        account=ctx.accounts[row["account"]], occurred_on=day, kind=InteractionKind(row["kind"]),
        title=row["title"], summary=row["summary"], visibility=Visibility(row["visibility"]),
        stakeholders=[ctx.stakeholders[k] for k in row["people"]],
        attendees=[ctx.users[k] for k in dict.fromkeys(row["attendees"])],
        created_by_id=author, created_at=created, updated_by_id=author, updated_at=created,
    )
    for position, step in enumerate(row["steps"]):
        done_day = min(step["due_on"] - timedelta(days=ctx.rng.randint(0, 5)), ANCHOR - timedelta(days=1))
        interaction.next_steps.append(NextStep(
            position=position, text=step["text"], owner_id=ctx.uid(step["owner"]), due_on=step["due_on"],
            done=step["done"], done_at=at(max(done_day, day), 16) if step["done"] else None,
        ))
        if step["done"]:
            interaction.updated_at = max(interaction.updated_at, at(max(done_day, day), 16))
            interaction.updated_by_id = ctx.uid(step["owner"])
    return interaction
