"""The decision chain as a picture: a server-rendered SVG of the reports-to tree (issue 8 §4).

One box per stakeholder (name, title), laid out by tree level (the boss above the reports); a level wider
than the picture wraps into several rows, so a wide chain stays readable on a phone and on paper. Attitude is
a fill colour *and* a word with a sign (+ support, = neutral, − oppose), so it is not told by colour only;
influence is the border weight; the decision role a badge; our owners' names are listed, an owner who has
left (inactive or off the account team: the risk rule's) struck through and flagged; a relationship at risk (kb.services.relationship_risk, the one
rule) gets a red mark and its reasons in words in the box's title. Private notes are never drawn.

CSP-safe (kb/security_headers.py): no script, no style element or attribute — only SVG presentation
attributes and classes. Every text is escaped. Bounded: at most `max_boxes` boxes, then "and N more".
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from models import Attitude, Influence, Stakeholder

from ..labels import label
from . import text_width, truncate

#: Fill and sign of each attitude; the sign repeats the colour's meaning in text.
ATTITUDE_FILL = {Attitude.SUPPORT: "#e3f4e8", Attitude.NEUTRAL: "#f1f3f5", Attitude.OPPOSE: "#fde4e4"}
ATTITUDE_SIGN = {Attitude.SUPPORT: "+", Attitude.NEUTRAL: "=", Attitude.OPPOSE: "−"}
#: Any other attitude (e.g. a later "unknown" value): white with "?" — never mistaken for a known one.
UNKNOWN_FILL = "#ffffff"
#: Border weight of each influence (px).
INFLUENCE_STROKE = {Influence.HIGH: 3.5, Influence.MEDIUM: 2.0, Influence.LOW: 1.0}


@dataclass(frozen=True)
class Size:
    """Box and picture geometry in SVG user units (px at 100 %)."""

    box_w: int
    box_h: int
    gap_x: int
    gap_y: int
    max_width: int
    font: int


FULL = Size(box_w=210, box_h=84, gap_x=14, gap_y=26, max_width=900, font=12)
#: The brief's picture (who decides): smaller boxes side by side, wrapped, without the tree's levels.
COMPACT = Size(box_w=172, box_h=70, gap_x=8, gap_y=8, max_width=720, font=11)
#: For phones: two boxes a row at most, drawn at about their natural size on a 390 px screen.
NARROW = Size(box_w=170, box_h=80, gap_x=10, gap_y=22, max_width=370, font=11)

PAD = 8


def _levels(people: list[Stakeholder]) -> list[list[Stakeholder]]:
    """People grouped by tree level (`chain_depth` from order_by_hierarchy; missing = 0), order kept."""
    levels: dict[int, list[Stakeholder]] = {}
    for s in people:
        levels.setdefault(int(getattr(s, "chain_depth", 0) or 0), []).append(s)
    return [levels[d] for d in sorted(levels)]


def layout(people: list[Stakeholder], size: Size, *,
           flat: bool = False) -> tuple[dict[int, tuple[int, int]], int, int]:
    """Top-left corner of each person's box by id, and the picture's width and height.

    Each tree level starts a new row (`flat`: one level for all); a level with more boxes than fit in
    `size.max_width` wraps into further rows. Rows are centred.
    """
    per_row = max(1, (size.max_width - 2 * PAD + size.gap_x) // (size.box_w + size.gap_x))
    rows: list[list[Stakeholder]] = []
    for level in ([people] if flat and people else _levels(people)):
        rows += [level[i:i + per_row] for i in range(0, len(level), per_row)]
    widest = max((len(r) for r in rows), default=1)
    width = 2 * PAD + widest * size.box_w + (widest - 1) * size.gap_x
    places: dict[int, tuple[int, int]] = {}
    for r, row in enumerate(rows):
        row_w = len(row) * size.box_w + (len(row) - 1) * size.gap_x
        x0 = (width - row_w) // 2
        y = PAD + r * (size.box_h + size.gap_y)
        for i, s in enumerate(row):
            places[s.id] = (x0 + i * (size.box_w + size.gap_x), y)
    height = 2 * PAD + len(rows) * size.box_h + max(0, len(rows) - 1) * size.gap_y
    return places, width, height


def _text(x: float, y: float, content: str, *, cls: str, size: int, extra: str = "") -> str:
    return (f'<text x="{x:.0f}" y="{y:.0f}" class="{cls}" font-size="{size}"{extra}>'
            f'{escape(content)}</text>')


def _owners(s: Stakeholder, x: int, y: int, size: Size, gone: set[int]) -> list[str]:
    """Our owners' names on one line; an owner who has left (inactive, or a user id in `gone`: off the
    account team) struck through with a "(left)" flag."""
    parts: list[str] = []
    room = size.box_w - 16
    used = text_width(_("Ours:"), size.font - 1) + 4
    parts.append(f'<tspan class="owners-label">{escape(_("Ours:"))}</tspan>')
    if not s.owners:
        parts.append(f' <tspan class="no-owner" fill="#b42318">{escape(_("No owner"))}</tspan>')
    for i, owner in enumerate(s.owners):
        left = not owner.user.active or owner.user_id in gone
        name = owner.user.name + (" " + _("(left)") if left else "")
        if used + text_width(name, size.font - 1) > room:
            parts.append(f' <tspan>{escape(_("+%(num)d", num=len(s.owners) - i))}</tspan>')
            break
        used += text_width(name, size.font - 1) + 6
        if i:
            parts.append('<tspan class="sep">,</tspan>')
        if not left:
            parts.append(f' <tspan class="owner">{escape(owner.user.name)}</tspan>')
        else:
            parts.append(f' <tspan class="owner departed" text-decoration="line-through" fill="#b42318">'
                         f'{escape(owner.user.name)}</tspan><tspan class="departed-flag" fill="#b42318">'
                         f'{escape(" " + _("(left)"))}</tspan>')
    return [f'<text x="{x + 8}" y="{y}" class="owners" font-size="{size.font - 1}">{"".join(parts)}</text>']


def _box(s: Stakeholder, x: int, y: int, size: Size, reasons: list[str], compact: bool,
         href: str | None, gone: set[int] = frozenset()) -> str:
    """One stakeholder's box, with an accessible <title> saying everything the box shows (risks in words)."""
    risky = bool(reasons)
    w, h, f = size.box_w, size.box_h, size.font
    stroke = INFLUENCE_STROKE.get(s.influence, 1.0)
    risk_word = (_("Relationship at risk") + ": " + " ".join(reasons)) if risky else ""
    summary = " · ".join(p for p in (
        s.name, s.title, str(label(s.decision_role)), str(label(s.attitude)),
        _("Influence: %(level)s", level=label(s.influence)), risk_word) if p)
    out = [f'<g class="sh att-{s.attitude.value} inf-{s.influence.value}{" at-risk" if risky else ""}" '
           f'data-id="{s.id}">', f'<title>{escape(summary)}</title>']
    if href:
        out.append(f'<a href="{escape(href)}">')
    fill = ATTITUDE_FILL.get(s.attitude, UNKNOWN_FILL)
    out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="{fill}" '
               f'stroke="{"#b42318" if risky else "#344054"}" stroke-width="{stroke}"/>')
    badge = str(label(s.decision_role))
    badge_w = min(w // 2, text_width(badge, f - 2) + 10)
    out.append(f'<rect x="{x + w - badge_w - 4}" y="{y + 4}" width="{badge_w}" height="{f + 3}" rx="3" '
               f'class="role-badge role-{s.decision_role.value}" fill="#1d3557"/>')
    out.append(_text(x + w - badge_w / 2 - 4, y + f + 3, truncate(badge, badge_w - 6, f - 2),
                     cls="role", size=f - 2, extra=' text-anchor="middle" fill="#ffffff"'))
    name_room = w - badge_w - 20 - (14 if risky else 0)
    out.append(_text(x + 8, y + f + 6, truncate(s.name, name_room, f + 1), cls="name", size=f + 1,
                     extra=' font-weight="700" fill="#101828"'))
    if risky:
        out.append(_text(x + 8 + text_width(truncate(s.name, name_room, f + 1), f + 1) + 4, y + f + 6, "⚠",
                         cls="risk-mark", size=f + 1, extra=' fill="#b42318"'))
    if s.title:
        out.append(_text(x + 8, y + 2 * f + 10, truncate(s.title, w - 16, f), cls="title", size=f,
                         extra=' fill="#344054"'))
    attitude = f"{ATTITUDE_SIGN.get(s.attitude, '?')} {label(s.attitude)}"
    if s.influence == Influence.HIGH:
        attitude += " · " + _("high influence")
    out.append(_text(x + 8, y + 3 * f + 13, truncate(attitude, w - 16, f - 1), cls="attitude", size=f - 1,
                     extra=' fill="#344054"'))
    out += _owners(s, x, y + 4 * f + 18, size, gone)
    if href:
        out.append("</a>")
    out.append("</g>")
    return "".join(out)


def _edges(people: list[Stakeholder], places: dict[int, tuple[int, int]], size: Size) -> list[str]:
    """A line from each boss's box to each report's box (both drawn), under the boxes."""
    lines = []
    for s in people:
        if s.reports_to_id in places and s.id in places:
            bx, by = places[s.reports_to_id]
            cx, cy = places[s.id]
            lines.append(f'<line x1="{bx + size.box_w // 2}" y1="{by + size.box_h}" '
                         f'x2="{cx + size.box_w // 2}" y2="{cy}" stroke="#98a2b3" stroke-width="1"/>')
    return lines


def render(*, people: Iterable[Stakeholder], total: int | None = None,
           risk_reasons: Mapping[int, list[str]] | None = None,
           compact: bool = False, max_boxes: int = 40, href: Callable[[int], str] | None = None,
           title: str = "", id_prefix: str = "dc", size: Size | None = None,
           gone_owners: Mapping[int, set[int]] | None = None) -> Markup:
    """The decision-chain picture as an <svg> element (Markup, safe to inline in a page or serve alone).

    `people`: stakeholders in hierarchy order (kb.services.stakeholders.order_by_hierarchy, owners and
    reports_to loaded); `total`: how many the account has (for "and N more"; default len(people));
    `risk_reasons`: {stakeholder id: reasons in words} of those at risk (kb.services.relationship_risk);
    `href(id)`: link of a box. Draws at most `max_boxes` boxes. `gone_owners`: {stakeholder id: user ids
    of owners who have left the team} (kb.services.relationship_risk.gone_owners); inactive owners are
    flagged in any case.
    `id_prefix` keeps the <title>/<desc> ids unique when a page holds several pictures; `size` overrides the
    geometry (NARROW for phones).
    The picture scales to its container (viewBox); its natural size is at most 900 px wide (720 compact).
    Its role is "group", not "img": each box is a link to the stakeholder, and an img's content is hidden
    from assistive technology (axe: nested-interactive).
    """
    size = size or (COMPACT if compact else FULL)
    people = list(people)
    total = len(people) if total is None else total
    shown = people[:max_boxes]
    places, width, height = layout(shown, size, flat=compact)
    more = total - len(shown)
    if more > 0:
        height += size.font + 14
    heading = title or _("Decision chain")
    desc = _("Reports-to tree: boxes show name and title; fill and sign show attitude, border weight "
             "influence, the dark badge the decision role, ⚠ a relationship at risk; struck-through owners "
             "have left.")
    if not shown:
        desc = _("No stakeholders recorded yet.")
        height = 40
    classes = "decision-chain-svg" + (" compact" if compact else "") + (" narrow" if size is NARROW else "")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{classes}" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" '
           f'aria-labelledby="{id_prefix}-title" aria-describedby="{id_prefix}-desc" '
           f'font-family="sans-serif">',
           f'<title id="{id_prefix}-title">{escape(heading)}</title>',
           f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>']
    if not shown:
        out.append(_text(PAD, 26, _("No stakeholders recorded yet."), cls="empty", size=size.font,
                         extra=' fill="#667085"'))
    if not compact:
        out += _edges(shown, places, size)
    reasons = risk_reasons or {}
    gone = gone_owners or {}
    out += [_box(s, x, y, size, reasons.get(s.id, []), compact, href(s.id) if href else None,
                 gone.get(s.id, set())) for s in shown for (x, y) in [places[s.id]]]
    if more > 0:
        out.append(_text(PAD, height - PAD, _("and %(num)d more (see the stakeholder list)", num=more),
                         cls="more", size=size.font, extra=' fill="#344054"'))
    out.append("</svg>")
    return Markup("".join(out))
