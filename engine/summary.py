"""What a member reads first of a line, in plain words: what each payer paid, under which benefit, and
what limited it. The formulas (TM, BR, counters) stay in ``engine.messages.explain``, one click away on
the pages."""

from __future__ import annotations

from engine.messages import LANGUAGES, am_summary, french_typography, param_text, render
from engine.model import LineResult, Message

PLAIN: dict[str, dict[str, str]] = {
    "am.given": {"fr": "L'Assurance Maladie a remboursé {mr}.", "en": "The Assurance Maladie paid {mr}."},
    "am.estimated": {
        "fr": "L'Assurance Maladie devrait rembourser {mr} (estimation).",
        "en": "The Assurance Maladie should pay {mr} (an estimate).",
    },
    "limit.reduced": {
        "fr": "Seuls {units} sur {quantity} sont pris en charge : la limite est de {count} par {period}.",
        "en": "Only {units} of {quantity} are covered: the limit is {count} per {period}.",
    },
    "limit.exhausted": {
        "fr": "La limite de {count} par {period} est déjà atteinte : ce soin n'est pas remboursé.",
        "en": "The limit of {count} per {period} is already reached: this care is not reimbursed.",
    },
    "tier.not_covered": {"fr": "{tier} ne couvre pas ce soin.", "en": "{tier} does not cover this care."},
    "tier.paid": {
        "fr": "{tier} rembourse {paid} au titre de la garantie « {benefit} ».",
        "en": "{tier} pays {paid} under the benefit “{benefit}”.",
    },
    "tier.nothing": {"fr": "{tier} ne rembourse rien pour ce soin.", "en": "{tier} pays nothing for this care."},
    "tier.nothing_left": {
        "fr": "{tier} ne rembourse rien : il ne restait rien à payer (la garantie allait jusqu'à {maximum}).",
        "en": "{tier} pays nothing: nothing remained to pay (the benefit went up to {maximum}).",
    },
    "tier.remaining": {
        "fr": "C'est tout ce qui restait à payer : la garantie allait jusqu'à {maximum}.",
        "en": "That is all that remained to pay: the benefit went up to {maximum}.",
    },
    "tier.cap": {
        "fr": "Plafond « {counter} » de {cap} par {period} : il restait {left}.",
        "en": "The “{counter}” cap is {cap} per {period}: {left} was left.",
    },
}
# Sentences already plain: said the same way in both.
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


for _sentence in PLAIN.values():
    _sentence["fr"] = french_typography(_sentence["fr"])


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
