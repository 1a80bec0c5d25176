"""The engine's own message catalogue (French and English), so explanations can be
rendered without Django. A message is a key plus parameters; ``render`` formats it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from engine.model import LineResult, Message
from engine.money import ZERO, cents
from engine.plan import Plan

LANGUAGES = ("fr", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "am.no_scheme": {
        "fr": "Aucun régime obligatoire ne paie avant ce contrat : il rembourse dès le premier euro ou dollar.",
        "en": "No national scheme pays before this plan: it pays from the first euro or dollar.",
    },
    "am.not_covered": {
        "fr": "Soin non pris en charge par l'Assurance Maladie : elle ne rembourse rien.",
        "en": "Care not covered by the Assurance Maladie: it pays nothing.",
    },
    "other.paid": {
        "fr": "Un autre organisme complémentaire a déjà remboursé {other} : "
        "le contrat paie au plus ce qui reste, {remains}.",
        "en": "Another complementary insurer already paid {other}: the plan pays at most what remains, {remains}.",
    },
    "am.given": {
        "fr": "L'Assurance Maladie a remboursé {mr} (base de remboursement {br}, ticket modérateur {tm}).",
        "en": "The Assurance Maladie paid {mr} (reimbursement base {br}, ticket modérateur {tm}).",
    },
    "am.estimated": {
        "fr": "Remboursement de l'Assurance Maladie estimé : {rate} × {br} = {gross}, "
        "moins {deductions} de participation forfaitaire et franchises = {mr} ; "
        "ticket modérateur {tm}.",
        "en": "Assurance Maladie reimbursement estimated: {rate} × {br} = {gross}, "
        "less {deductions} of flat-rate contribution and deductibles = {mr}; "
        "ticket modérateur {tm}.",
    },
    "am.br_charged": {
        "fr": "Base de remboursement non fournie : acte au tarif conventionnel, base = montant payé {br}.",
        "en": "No reimbursement base given: care at the regulated tariff, base = amount paid {br}.",
    },
    "am.br_default": {
        "fr": "Base de remboursement non fournie : tarif conventionnel {br} ({parameter}).",
        "en": "No reimbursement base given: regulated tariff {br} ({parameter}).",
    },
    "am.heavy_act": {
        "fr": "Acte lourd (tarif ≥ {threshold}) : l'Assurance Maladie paie la base moins le "
        "forfait de {forfait}, qui devient le ticket modérateur.",
        "en": "Heavy act (tariff ≥ {threshold}): the Assurance Maladie pays the base less the "
        "{forfait} flat charge, which becomes the ticket modérateur.",
    },
    "am.outside_pathway": {
        "fr": "Hors parcours de soins : taux de {rate} ; la majoration de {majoration} n'est jamais remboursée.",
        "en": "Outside the care pathway: rate {rate}; the {majoration} surcharge is never reimbursed.",
    },
    "line.non_reimbursable": {
        "fr": "{amount} de participation forfaitaire, franchises ou majoration restent à "
        "votre charge : la loi interdit de les rembourser.",
        "en": "{amount} of flat-rate contribution, deductibles or surcharge stay with you: "
        "the law forbids reimbursing them.",
    },
    "limit.reduced": {
        "fr": "{units} sur {quantity} dans la limite de {count} par {period} ({counter} : {used} déjà utilisé(s)).",
        "en": "{units} of {quantity} within the limit of {count} per {period} ({counter}: {used} already used).",
    },
    "limit.exhausted": {
        "fr": "Limite atteinte : {count} par {period} ({counter} : {used} déjà utilisé(s)) ; "
        "rien n'est payé pour cette ligne.",
        "en": "Limit reached: {count} per {period} ({counter}: {used} already used); nothing is paid for this line.",
    },
    "tier.not_covered": {
        "fr": "{tier} : pas de garantie pour ce soin.",
        "en": "{tier}: no cover for this care.",
    },
    "tier.rule": {
        "fr": "{tier} : garantie « {benefit} »{condition}, formule {formula} = {detail} = {value}.",
        "en": "{tier}: benefit “{benefit}”{condition}, formula {formula} = {detail} = {value}.",
    },
    "tier.limit": {
        "fr": "Dans la limite de {formula} = {detail} = {value}.",
        "en": "Within the limit of {formula} = {detail} = {value}.",
    },
    "tier.minimum": {
        "fr": "Au minimum {formula} = {value}.",
        "en": "At least {formula} = {value}.",
    },
    "tier.average": {
        "fr": "Équipement mixant deux catégories de verres : moyenne de {values} = {value}.",
        "en": "Equipment mixing two lens categories: average of {values} = {value}.",
    },
    "tier.cap": {
        "fr": "Plafond {counter} de {cap} par {period} : {used} déjà utilisé(s), reste {left}.",
        "en": "Cap {counter} of {cap} per {period}: {used} already used, {left} left.",
    },
    "tier.cap_beyond": {
        "fr": "Au-delà du plafond : {formula} = {value}.",
        "en": "Beyond the cap: {formula} = {value}.",
    },
    "tier.cap_waived": {
        "fr": "Plafond {counter} non appliqué ({condition}).",
        "en": "Cap {counter} not applied ({condition}).",
    },
    "tier.part_limit": {
        "fr": "{part} compte dans la limite de {value} : {excess} au-delà ne sont pas pris en charge par ce niveau.",
        "en": "{part} counted up to {value}: {excess} above it is not covered by this tier.",
    },
    "tier.remaining": {
        "fr": "Limité à ce qui reste à votre charge après l'Assurance Maladie et les niveaux précédents : {remaining}.",
        "en": "Limited to what you still pay after the Assurance Maladie and the previous tiers: {remaining}.",
    },
    "tier.remaining_no_scheme": {
        "fr": "Limité à ce qui reste à votre charge : {remaining}.",
        "en": "Limited to what you still pay: {remaining}.",
    },
    "tier.paid": {
        "fr": "{tier} rembourse {paid}.",
        "en": "{tier} pays {paid}.",
    },
    "counter.amount": {
        "fr": "Compté pour « {counter} » : {amount}.",
        "en": "Counted towards “{counter}”: {amount}.",
    },
    "counter.count": {
        "fr": "Compté pour « {counter} » : {count}.",
        "en": "Counted towards “{counter}”: {count}.",
    },
    "line.out_of_pocket": {
        "fr": "Reste à votre charge : {amount}.",
        "en": "You pay: {amount}.",
    },
    # Plans without a national scheme (seed 000): deductible, coinsurance, overall limit, zones.
    "line.deductible": {
        "fr": "Franchise par acte à votre charge : {amount}.",
        "en": "Deductible per event, paid by you: {amount}.",
    },
    "line.coinsurance": {
        "fr": "Participation de {share} à votre charge sur le reste : {amount}.",
        "en": "Your coinsurance of {share} on the rest: {amount}.",
    },
    "plan.annual_limit": {
        "fr": "Plafond annuel global de {cap} par {period} : {used} déjà remboursé, reste {left}.",
        "en": "Overall limit of {cap} per {period}: {used} already paid, {left} left.",
    },
    "zone.opened": {
        "fr": "Zone « {zone} » : soin couvert parce que {opened_by}.",
        "en": "Zone “{zone}”: care covered because {opened_by}.",
    },
    "zone.excluded": {
        "fr": "Zone « {zone} » : les soins n'y sont couverts que si {conditions}. Rien n'est remboursé sur cet acte.",
        "en": "Zone “{zone}”: care there is covered only if {conditions}. Nothing is paid on this care.",
    },
    # Death and disability capital (engine.capital).
    "capital.death": {
        "fr": "Capital décès : {amount}.",
        "en": "Death capital: {amount}.",
    },
    "capital.death_reduced": {
        "fr": "Décès de cause naturelle à {age} ans, au-delà de {over} ans : {share} du capital décès est versé.",
        "en": "Death by natural causes at {age}, over the age of {over}: {share} of the death capital is paid.",
    },
    "capital.repatriation_limit": {
        "fr": "Préparation et rapatriement du corps pris en charge dans la limite de {limit}.",
        "en": "Preparation and repatriation of the body covered up to {limit}.",
    },
    "capital.ceiling": {
        "fr": "Capital décès et rapatriement ensemble dans la limite du plafond global de {ceiling}.",
        "en": "Death capital and repatriation together within the overall ceiling of {ceiling}.",
    },
    "capital.disability_total": {
        "fr": "Invalidité totale et permanente ({degree}) : capital de {amount}.",
        "en": "Total and permanent disability ({degree}): capital of {amount}.",
    },
    "capital.disability_partial": {
        "fr": "Invalidité partielle de {degree} : {degree} du capital de {total} = {amount}.",
        "en": "Partial disability of {degree}: {degree} of the {total} capital = {amount}.",
    },
}

PERIODS = {
    "calendar_year": {"fr": "année civile", "en": "calendar year"},
    "lifetime": {"fr": "vie du contrat", "en": "lifetime of the contract"},
}

FACTS = {
    "age_under": {"fr": "moins de {} ans", "en": "under {}"},
    "age_from": {"fr": "{} ans et plus", "en": "aged {} or more"},
    "dptm": {
        "fr": "médecin à honoraires maîtrisés (secteur 1 ou OPTAM)",
        "en": "doctor with controlled fees (secteur 1 or OPTAM)",
    },
    "conventionne": {"fr": "conventionné", "en": "contracted (conventionné)"},
    "network": {"fr": "réseau de soins", "en": "care network"},
    "ald": {"fr": "ALD", "en": "long-term illness (ALD)"},
    "accident": {"fr": "accident", "en": "accident"},
    "psychiatry": {"fr": "psychiatrie", "en": "psychiatry"},
    "vision_change": {"fr": "évolution de la vue", "en": "change of sight"},
    "suicide": {"fr": "suicide ou tentative", "en": "suicide or attempt"},
    "single_am_device": {"fr": "un seul appareil pris en charge par l'AM", "en": "only one device covered by the AM"},
    "maternity": {"fr": "maternité", "en": "maternity"},
    "outside_pathway": {"fr": "hors parcours de soins", "en": "outside the care pathway"},
    "basket": {"fr": "panier {}", "en": "basket {}"},
    "lens_class": {"fr": "verres {}", "en": "lenses {}"},
    "side": {"fr": "côté {}", "en": "side {}"},
    "vision": {"fr": "vision {}", "en": "vision {}"},
    "first_of": {"fr": "premier ({})", "en": "first ({})"},
}
NOT = {"fr": "non {}", "en": "not {}"}

# The conditions that open a restricted zone (engine.zones), as a sentence continues them.
ZONE_CONDITIONS = {
    "duty_station_in_zone": {
        "fr": "votre lieu d'affectation s'y trouve",
        "en": "your duty station is there",
    },
    "duty_station_listed": {
        "fr": "votre lieu d'affectation est dans un pays voisin que le contrat nomme",
        "en": "your duty station is in a neighbouring country the plan names",
    },
    "urgent_duty_travel": {
        "fr": "le soin était urgent et non programmé, pendant une mission",
        "en": "the care was urgent and unplanned, while on duty travel",
    },
    "prior_approval": {
        "fr": "le médecin-conseil l'a approuvé au préalable, faute de traitement adapté ailleurs",
        "en": "the medical advisor approved it beforehand, as no adequate treatment exists elsewhere",
    },
    "life_threatening_approved": {
        "fr": "le pronostic vital était engagé et le médecin-conseil l'a approuvé",
        "en": "your life was in danger and the medical advisor approved it",
    },
}
OR = {"fr": "\u00a0; ou ", "en": "; or "}  # between conditions, with French typography

# Words used inside sentences: attribute values, units of "per", parts of a charge.
WORDS = {
    "100_sante": {"fr": "100 % Santé", "en": "100 % Santé"},
    "maitrise": {"fr": "tarifs maîtrisés", "en": "controlled prices"},
    "libre": {"fr": "tarifs libres", "en": "free prices"},
    "simple": {"fr": "simples", "en": "simple"},
    "complex": {"fr": "complexes", "en": "complex"},
    "very_complex": {"fr": "très complexes", "en": "very complex"},
    "left": {"fr": "gauche", "en": "left"},
    "right": {"fr": "droit(e)", "en": "right"},
    "near": {"fr": "de près", "en": "near"},
    "far": {"fr": "de loin", "en": "far"},
    "frame": {"fr": "La monture", "en": "The frame"},
    "day": {"fr": "jour", "en": "day"},
    "session": {"fr": "séance", "en": "session"},
    "act": {"fr": "acte", "en": "act"},
    "implant": {"fr": "implant", "en": "implant"},
    "ear": {"fr": "oreille", "en": "ear"},
    "eye": {"fr": "œil", "en": "eye"},
    "prosthesis": {"fr": "prothèse", "en": "prosthesis"},
    "child": {"fr": "enfant", "en": "child"},
    "vaccination": {"fr": "vaccination", "en": "vaccination"},
    "semester": {"fr": "semestre", "en": "six months"},
    "box": {"fr": "boîte", "en": "box"},
    "equipment": {"fr": "équipement", "en": "equipment"},
    "transport": {"fr": "transport", "en": "transport"},
    "test": {"fr": "test", "en": "test"},
}
PER = {"fr": "{formula} par {unit}", "en": "{formula} per {unit}"}


def word(value: str, lang: str) -> str:
    return WORDS.get(value, {}).get(lang, value)


# French typography, as the portal's amounts (babel) write it: a narrow no-break space between
# thousands, a no-break space before "€", "%", ":", ";", "?", "!" and inside « ».
NBSP, NNBSP = "\u00a0", "\u202f"


def french_typography(template: str) -> str:
    for before, after in ((" :", ":"), (" ;", ";"), (" ?", "?"), (" !", "!"), (" »", "»")):
        template = template.replace(before, NBSP + after)
    return template.replace("« ", "«" + NBSP)


def money(value: Decimal, lang: str, currency: str = "EUR") -> str:
    amount = cents(value)
    text = f"{amount:,.2f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
        return f"{text}{NBSP}{'€' if currency == 'EUR' else currency}"
    return f"€{text}" if currency == "EUR" else f"{text} {currency}"


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
    return ", ".join(words)


def percent(value: Decimal, lang: str) -> str:
    """A percentage given in percent (50 → "50 %"), as the rates are written."""
    text = format(value.normalize(), "f")
    return f"{text.replace('.', ',')}{NBSP}%" if lang == "fr" else f"{text} %"


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
        return str(value.get(lang, next(iter(value.values()), "")))
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
        return text.replace(".", ",") if lang == "fr" else text
    if name == "part" and isinstance(value, str):
        return word(value, lang)
    if name == "opened_by" and isinstance(value, str):
        return ZONE_CONDITIONS[value][lang]
    if name == "conditions" and isinstance(value, tuple):
        return OR[lang].join(ZONE_CONDITIONS[condition][lang] for condition in value)
    if name in {"detail", "values"} and lang == "fr":
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


COUNTER_LABELS = {
    "am.participation_forfaitaire": {
        "fr": "participation forfaitaire retenue par l'AM",
        "en": "flat-rate contribution withheld by the AM",
    },
    "am.franchises": {"fr": "franchises retenues par l'AM", "en": "deductibles withheld by the AM"},
}


def _counter_messages(result: LineResult, plan: Plan | None) -> list[Message]:
    out = []
    for usage in result.usages:
        label: object = COUNTER_LABELS.get(usage.counter, usage.counter)
        if plan is not None and usage.counter in plan.counters:
            label = plan.counters[usage.counter].label.words()
        kept_by = [value for value in usage.slot.split("/") if value]
        if kept_by:  # the attribute values the counter is kept by ("near", "left"), in words, never as stored
            label = {
                lang: f"{param_text('counter', label, lang, '')} ({', '.join(word(v, lang) for v in kept_by)})"
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


for _sentence in CATALOGUE.values():
    _sentence["fr"] = french_typography(_sentence["fr"])
