"""The engine's explanations, rendered without Django in each language of ``engine.catalogue``.
A message is a key plus parameters; ``render`` formats it in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from engine.catalogue import LANGUAGES, NBSP, SECTIONS
from engine.model import LineResult, Message
from engine.money import ZERO, cents
from engine.plan import Plan

CATALOGUE = SECTIONS["explain"]
PERIODS = SECTIONS["periods"]
FACTS = SECTIONS["facts"]
ZONE_CONDITIONS = SECTIONS["zone_conditions"]  # what opens a restricted zone (engine.zones)
WORDS = SECTIONS["words"]  # attribute values, units of "per", parts of a charge
COUNTER_LABELS = SECTIONS["counter_labels"]
NOT, LIST, OR, PER = (SECTIONS["grammar"][name] for name in ("not", "list", "or", "per"))


def word(value: str, lang: str) -> str:
    return WORDS.get(value, {}).get(lang, value)


# Amounts as the portal's (babel) write them: French groups thousands with a narrow no-break space,
# Spanish with a dot, both with a decimal comma; Arabic keeps Western digits, after a right-to-left mark.
NNBSP, RLM = "\u202f", "\u200f"
DECIMAL_COMMA = frozenset({"fr", "es"})
SEPARATORS = {"fr": str.maketrans(",.", NNBSP + ","), "es": str.maketrans(",.", ".,")}  # from "1,234.56"


def money(value: Decimal, lang: str, currency: str = "EUR") -> str:
    text = f"{cents(value):,.2f}"
    unit = "€" if currency == "EUR" else currency
    if lang == "en":
        return f"€{text}" if currency == "EUR" else f"{text} {currency}"
    if lang in SEPARATORS:
        text = text.translate(SEPARATORS[lang])
    return f"{RLM if lang == 'ar' else ''}{text}{NBSP}{unit}"


def describe_condition(pairs: Iterable[tuple[str, object]], lang: str) -> str:
    words = []
    for name, expected in pairs:
        template = FACTS.get(name, {}).get(lang, name + " {}")
        if isinstance(expected, bool):
            text = template.replace(" {}", "").replace("{}", "")
            words.append(text if expected else NOT[lang].format(text))
        elif isinstance(expected, str):
            words.append(template.format("/".join(word(v, lang) for v in expected.split("/"))))
        else:
            words.append(template.format(expected))
    return LIST[lang].join(words)


def percent(value: Decimal, lang: str) -> str:
    """A percentage given in percent (50 → "50 %"), as the rates are written; Arabic as babel's "50%"."""
    text = format(value.normalize(), "f")
    if lang in DECIMAL_COMMA:
        return f"{text.replace('.', ',')}{NBSP}%"
    return f"{text}%" if lang == "ar" else f"{text} %"


def in_language(words: dict[str, str], lang: str) -> str:
    """A label in ``lang``; English when the plan does not name things in it (its labels have fr
    and en, es and ar only when given), never French by accident."""
    return words.get(lang) or words.get("en") or next(iter(words.values()), "")


# Parameters given in percent (a share of a capital, a degree of disability), not as an amount.
PERCENT_PARAMS = frozenset({"share", "degree"})


def param_text(name: str, value: object, lang: str, currency: str) -> str:
    if name == "rate" and isinstance(value, Decimal):
        return percent(value * 100, lang)
    if name in PERCENT_PARAMS and isinstance(value, Decimal):
        return percent(value, lang)
    if isinstance(value, Decimal):
        return money(value, lang, currency)
    if isinstance(value, dict):
        return in_language(value, lang)
    if name == "period" and isinstance(value, str) and value in PERIODS:
        return PERIODS[value][lang]
    if name == "condition" and isinstance(value, tuple):
        text = describe_condition(value, lang)
        return f" ({text})" if text else ""
    if name == "formula":
        text = (
            value
            if isinstance(value, str)
            else PER[lang].format(formula=value[0], unit=word(value[1], lang))
            if isinstance(value, tuple)
            else ""
        )
        return text.replace(".", ",") if lang in DECIMAL_COMMA else text
    if name == "part" and isinstance(value, str):
        return word(value, lang)
    if name == "opened_by" and isinstance(value, str):
        return ZONE_CONDITIONS[value][lang]
    if name == "conditions" and isinstance(value, tuple):
        return OR[lang].join(ZONE_CONDITIONS[condition][lang] for condition in value)
    if name in {"detail", "values"} and lang in DECIMAL_COMMA:
        return str(value).replace(".", ",")
    return str(value)


def render(message: Message, lang: str = "fr", currency: str = "EUR") -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}' (use {', '.join(LANGUAGES)})")
    template = CATALOGUE[message.key][lang]
    params = {name: param_text(name, value, lang, currency) for name, value in message.params}
    return template.format(**params)


def am_summary(result: LineResult) -> Message | None:
    if result.am_basis == "no_scheme":
        return Message("am.no_scheme")
    if result.am_basis == "not_covered":
        return Message("am.not_covered")
    if result.am_basis == "given":
        return Message("am.given", (("mr", result.am_paid), ("br", result.br), ("tm", result.tm)))
    return None  # estimated: the engine recorded the detailed estimate


def _counter_messages(result: LineResult, plan: Plan | None) -> list[Message]:
    out = []
    for usage in result.usages:
        label: object = COUNTER_LABELS.get(usage.counter, usage.counter)
        if plan is not None and usage.counter in plan.counters:
            label = plan.counters[usage.counter].label.words()
        kept_by = [value for value in usage.slot.split("/") if value]
        if kept_by:  # the attribute values the counter is kept by ("near", "left"), in words, never as stored
            label = {
                lang: f"{param_text('counter', label, lang, '')} ({LIST[lang].join(word(v, lang) for v in kept_by)})"
                for lang in LANGUAGES
            }
        if usage.count:
            out.append(Message("counter.count", (("counter", label), ("count", usage.count))))
        if usage.amount:
            out.append(Message("counter.amount", (("counter", label), ("amount", usage.amount))))
    return out


def explain(result: LineResult, lang: str = "fr", plan: Plan | None = None) -> list[str]:
    """Every explanation sentence of a line: AM part, each tier, counters, what is left.

    The engine records only what it decided (rules, caps, limits, estimates); sentences
    that restate the result's amounts are derived here. Give the plan to name counters
    with their labels.
    """
    currency = result.currency
    messages: list[Message] = []
    summary = am_summary(result)
    if summary is not None:
        messages.append(summary)
    messages.extend(result.explanation)
    if result.non_reimbursable > 0:
        messages.append(Message("line.non_reimbursable", (("amount", result.non_reimbursable),)))
    remaining = (
        result.charged
        - result.am_paid
        - result.other_paid
        - result.non_reimbursable
        - result.deductible
        - result.coinsurance
    )
    remaining_key = "tier.remaining_no_scheme" if result.am_basis == "no_scheme" else "tier.remaining"
    for tier in result.tiers:
        messages.extend(tier.explanation)
        if tier.rule is not None:
            # What remains limited the tier (an overall limit or a part's limit say so themselves).
            if tier.paid < tier.maximum and tier.paid == max(remaining, ZERO):
                messages.append(Message(remaining_key, (("remaining", max(remaining, ZERO)),)))
            messages.append(Message("tier.paid", (("tier", tier.label), ("paid", tier.paid))))
        remaining -= tier.paid
    messages.extend(_counter_messages(result, plan))
    messages.append(Message("line.out_of_pocket", (("amount", result.out_of_pocket),)))
    return [render(m, lang, currency) for m in messages]
