"""What a member reads first of a line, in plain words: what each payer paid, under which benefit, and
what limited it. The formulas (TM, BR, counters) stay in ``engine.messages.explain``, one click away on
the pages."""

from __future__ import annotations

from engine.catalogue import LANGUAGES, SECTIONS
from engine.messages import am_summary, param_text, render
from engine.model import LineResult, Message

PLAIN = SECTIONS["plain"]
# Sentences already plain: said as "explain" says them.
SAME = {
    "am.no_scheme",
    "am.not_covered",
    "am.outside_pathway",
    "other.paid",
    "tier.part_limit",
    "line.deductible",
    "line.coinsurance",
    "plan.annual_limit",
    "zone.opened",
    "zone.excluded",
}


def _plain(message: Message, lang: str, currency: str) -> str:
    params = {name: param_text(name, value, lang, currency) for name, value in message.params}
    return PLAIN[message.key][lang].format(**params)


def summarise(result: LineResult, lang: str = "fr") -> list[str]:
    """The line in a few plain sentences: the AM's part, what each tier paid under which benefit and
    what limited it, what is left to pay. No formula, counter or code."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}' (use {', '.join(LANGUAGES)})")
    currency = result.currency
    out: list[str] = []
    summary = am_summary(result)
    for message in ((summary,) if summary is not None else ()) + result.explanation:
        if message.key in PLAIN:
            out.append(_plain(message, lang, currency))
        elif message.key in SAME:
            out.append(render(message, lang, currency))
    if result.non_reimbursable > 0:
        out.append(render(Message("line.non_reimbursable", (("amount", result.non_reimbursable),)), lang, currency))
    # What the tiers could still pay: the deductible and coinsurance sentences above say the rest.
    remaining = (
        result.charged
        - result.am_paid
        - result.other_paid
        - result.non_reimbursable
        - result.deductible
        - result.coinsurance
    )
    for tier in result.tiers:
        rule = next((m for m in tier.explanation if m.key == "tier.rule"), None)
        for message in tier.explanation:
            if message.key == "tier.not_covered":
                out.append(_plain(message, lang, currency))
            elif message.key in SAME:
                out.append(render(message, lang, currency))
        if rule is None:
            continue
        if tier.paid <= 0:
            key = "tier.nothing_left" if tier.maximum > 0 else "tier.nothing"
            out.append(_plain(Message(key, (("tier", tier.label), ("maximum", tier.maximum))), lang, currency))
            continue
        paid = (("tier", tier.label), ("paid", tier.paid), ("benefit", dict(rule.params)["benefit"]))
        out.append(_plain(Message("tier.paid", paid), lang, currency))
        if tier.caps_hit:
            out.extend(_plain(m, lang, currency) for m in tier.explanation if m.key == "tier.cap")
        if tier.paid < tier.maximum and tier.paid == remaining and not (result.deductible or result.coinsurance):
            out.append(_plain(Message("tier.remaining", (("maximum", tier.maximum),)), lang, currency))
        remaining -= tier.paid
    out.append(render(Message("line.out_of_pocket", (("amount", result.out_of_pocket),)), lang, currency))
    return out
