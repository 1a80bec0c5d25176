"""Why a care line waits for a handler instead of being decided at once: one table for every channel.

``review_reasons`` is pure: a channel gives the line's facts (what it knows of the line, the documents
and the household's other care) and gets the reasons, in the table's order. A reason a channel cannot
have (documents read by OCR, for an AM file) is simply never true for it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from engine import get_plan
from engine.money import cents
from engine.zones import zone_decision
from mutua.benefits.rules import reviewed_section, time_barred_before
from mutua.core.money import exchange_rate

# The channels, as the claims they make name them.
ONLINE, TELETRANSMISSION, HOSPITAL = "online", "teletransmission", "hospital"
# Channels where someone typed the AM's part (the AM's own file states it).
AM_FIGURES_TYPED = frozenset({ONLINE, HOSPITAL})


@dataclass(frozen=True)
class LineFacts:
    """What a channel knows of a care line when it is to be decided."""

    channel: str
    care_date: date
    amount: Decimal | None  # in the plan's currency; None: no exchange rate known yet
    converted: bool  # paid in another currency
    section: str  # of the plan's benefit
    section_review: bool  # the plan has a handler check every line of this section
    benefit_am: str  # the benefit's AM scheme ("none": the AM does not cover it)
    plan_has_am: bool
    flags: frozenset[str] = frozenset()
    mr: Decimal | None = None
    same_care: bool = False  # the same care already sent, not yet decided
    duplicate_document: bool = False  # a document looks like one already sent
    receipt_mismatch: bool = False  # the amount differs from the one read on the receipt
    zone_declared: bool = False  # only the member's word (urgent, on duty travel) opens a restricted zone
    currency: str = "EUR"  # the plan's, of ``amount``

    @property
    def am_covered(self) -> bool:
        return self.plan_has_am and self.benefit_am != "none"


@dataclass(frozen=True)
class Limits:
    """The management unit's settings the table reads."""

    today: date
    time_barred_before: date
    auto_max: Decimal  # in euros (CLAIMS_AUTO_MAX_EUR)

    def auto_max_in(self, currency: str, on: date) -> Decimal:
        """The automatic limit in ``currency`` at the ECB rate of ``on`` (the care's), as the online limit is;
        the euro figure itself when no rate is known (the stricter reading for a weaker currency)."""
        rate = exchange_rate(currency="EUR", into=currency, on=on) if currency != "EUR" else None
        return self.auto_max if rate is None else cents(self.auto_max * rate.value)


def line_facts(*, plan_code: str, benefit_code: str, **known: object) -> LineFacts:
    """A line's facts, with what its plan says of its benefit (section, AM scheme); ``known``: the
    channel's own (channel, date, amount, flags, AM part…)."""
    plan = get_plan(plan_code)
    benefit = plan.benefit(benefit_code)
    return LineFacts(
        section=benefit.section,
        section_review=reviewed_section(plan_code=plan_code, section=benefit.section),
        benefit_am=benefit.am,
        plan_has_am=plan.has_national_scheme,
        currency=plan.currency,
        **known,
    )


# (reason, when it holds), in the order a handler reads them.
TABLE: tuple[tuple[str, Callable[[LineFacts, Limits], bool]], ...] = (
    # A currency the ECB does not quote (or a day it has no recent rate for): never refused, converted by hand.
    ("no_exchange_rate", lambda line, limits: line.amount is None),
    ("time_barred", lambda line, limits: line.care_date < limits.time_barred_before),
    # Never paid automatically on an estimate of the AM's part: the real one could leave less to pay.
    ("am_part_missing", lambda line, limits: line.am_covered and line.mr is None),
    (
        "am_paid_nothing",
        lambda line, limits: line.am_covered and line.mr == 0 and line.channel in AM_FIGURES_TYPED,
    ),
    # A hospital invoice was authorised beforehand by its guarantee of payment (its own limit).
    (
        "amount_over_auto_limit",
        lambda line, limits: (
            line.channel == ONLINE
            and line.amount is not None
            and line.amount > limits.auto_max_in(line.currency, line.care_date)
        ),
    ),
    ("review_section", lambda line, limits: line.section_review),
    # Under a national scheme, care abroad is the exception (the AM pays it on French tariffs): a handler
    # checks it. A plan without one pays care anywhere, in any currency, at the ECB rate of the care date.
    ("foreign_currency", lambda line, limits: line.converted and line.plan_has_am),
    ("possible_duplicate_document", lambda line, limits: line.duplicate_document),
    ("same_care_claimed", lambda line, limits: line.same_care),
    ("receipt_amount_mismatch", lambda line, limits: line.receipt_mismatch),
    # The engine knows the reduced rate of doctors only: for other care the surcharge must not become a TM.
    ("outside_pathway", lambda line, limits: "outside_pathway" in line.flags and line.benefit_am != "doctor"),
    # The member's word that care in a restricted zone was urgent and on duty travel: a handler checks the travel.
    ("zone_declared", lambda line, limits: line.zone_declared),
)

# The circumstances only the member states (the claim form's boxes), as the zone rule reads them.
DECLARED = frozenset({"urgent", "duty_travel"})


def zone_opened_by_declaration(*, plan_code: str, country: str, duty_station: str, flags: frozenset[str]) -> bool:
    """Whether care in ``country`` is covered only because the member said it was urgent and on duty travel:
    covered with what they said, not without it (their duty station, an approval open it by themselves)."""
    if not country or not flags >= DECLARED:
        return False
    plan = get_plan(plan_code)
    said = zone_decision(plan, country=country, duty_station=duty_station, flags=flags)
    return (
        said.covered
        and not zone_decision(plan, country=country, duty_station=duty_station, flags=flags - DECLARED).covered
    )


def review_reasons(line: LineFacts, limits: Limits) -> list[str]:
    return [reason for reason, holds in TABLE if holds(line, limits)]


def limits_today() -> Limits:
    """The limits in force today, from the settings and the dated legal parameters."""
    today = timezone.localdate()
    return Limits(
        today=today,
        time_barred_before=time_barred_before(today=today),
        auto_max=Decimal(settings.CLAIMS_AUTO_MAX_EUR),
    )


REVIEW_REASONS = {
    "no_exchange_rate": gettext_lazy("no exchange rate known for the currency paid: a handler converts it"),
    "amount_over_auto_limit": gettext_lazy("amount above the automatic limit"),
    "review_section": gettext_lazy("equipment checked by a handler (optical, hearing aids)"),
    "foreign_currency": gettext_lazy("paid in another currency"),
    "possible_duplicate_document": gettext_lazy("a document looks like one already sent"),
    "same_care_claimed": gettext_lazy("the same care was already claimed"),
    "receipt_amount_mismatch": gettext_lazy("the amount differs from the one read on the receipt"),
    "engine_error": gettext_lazy("the rules could not decide automatically (missing BR or detail)"),
    "outside_pathway": gettext_lazy("outside the care pathway: check the part the plan may pay"),
    "am_paid_nothing": gettext_lazy("the Assurance Maladie paid nothing: check its statement"),
    "am_part_missing": gettext_lazy("the Assurance Maladie's part is not stated: check its statement"),
    "over_guarantee": gettext_lazy("above the amount the guarantee of payment covers"),
    "time_barred": gettext_lazy("care more than two years old: time-barred unless an exception applies"),
    "zone_declared": gettext_lazy(
        "care in a restricted zone covered on the member's word that it was urgent and on duty travel: check the travel"
    ),
}
# The same, naming the currency (a handler's page knows the item).
NO_RATE_FOR = gettext_lazy("no exchange rate known for %(currency)s: a handler converts it")
# A handler pays such an item only with the exception that applies (seed 001, limitation period).
JUSTIFIED_REASONS = frozenset({"time_barred"})
