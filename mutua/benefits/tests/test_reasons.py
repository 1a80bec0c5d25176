"""The reasons a care line waits for a handler: one table, the same answer for every channel."""

from datetime import date
from decimal import Decimal

import pytest

from mutua.benefits.reasons import HOSPITAL, ONLINE, REVIEW_REASONS, TABLE, TELETRANSMISSION, Limits, LineFacts
from mutua.benefits.reasons import review_reasons as reasons_of

LIMITS = Limits(
    today=date(2026, 12, 7),
    time_barred_before=date(2024, 12, 7),
    auto_max=Decimal("200"),
)
GP = LineFacts(
    channel=ONLINE,
    care_date=date(2026, 11, 2),
    amount=Decimal("30.00"),
    converted=False,
    section="soins_courants",
    section_review=False,
    benefit_am="doctor",
    plan_has_am=True,
    mr=Decimal("19.00"),
)


def line(**changes) -> LineFacts:
    return LineFacts(**(GP.__dict__ | changes))


def test_a_plain_line_waits_for_nothing_on_any_channel():
    for channel in (ONLINE, TELETRANSMISSION, HOSPITAL):
        assert reasons_of(line(channel=channel), LIMITS) == []


@pytest.mark.parametrize(
    ("changes", "online", "am_file", "hospital"),
    [
        ({"care_date": date(2024, 12, 6)}, ["time_barred"], ["time_barred"], ["time_barred"]),
        ({"care_date": date(2024, 12, 7)}, [], [], []),  # the last day still claimable
        ({"mr": None}, ["am_part_missing"], ["am_part_missing"], ["am_part_missing"]),
        ({"mr": Decimal("0.00")}, ["am_paid_nothing"], [], ["am_paid_nothing"]),  # the AM's own 0 is its word
        ({"mr": None, "benefit_am": "none"}, [], [], []),  # care the AM does not cover
        ({"mr": None, "plan_has_am": False}, [], [], []),  # a plan without a national scheme
        ({"amount": Decimal("200.01")}, ["amount_over_auto_limit"], [], []),  # a guarantee authorised it
        ({"section_review": True}, ["review_section"], ["review_section"], ["review_section"]),
        ({"converted": True}, ["foreign_currency"], ["foreign_currency"], ["foreign_currency"]),
        # A plan without a national scheme pays care anywhere at the ECB rate: no check for the currency.
        ({"converted": True, "plan_has_am": False, "mr": None}, [], [], []),
        # No rate known: never refused, a handler converts it (the online limit cannot be read either).
        ({"converted": True, "amount": None}, *[["no_exchange_rate", "foreign_currency"]] * 3),
        ({"same_care": True}, ["same_care_claimed"], ["same_care_claimed"], ["same_care_claimed"]),
        ({"flags": frozenset({"outside_pathway"})}, [], [], []),  # a doctor: the engine knows the reduced rate
        (
            {"flags": frozenset({"outside_pathway"}), "benefit_am": "paramedical"},
            ["outside_pathway"],
            ["outside_pathway"],
            ["outside_pathway"],
        ),
    ],
)
def test_each_reason_holds_for_the_channels_it_is_about(changes, online, am_file, hospital):
    assert reasons_of(line(channel=ONLINE, **changes), LIMITS) == online
    assert reasons_of(line(channel=TELETRANSMISSION, **changes), LIMITS) == am_file
    assert reasons_of(line(channel=HOSPITAL, **changes), LIMITS) == hospital


def test_reasons_come_in_the_tables_order_and_every_one_has_words():
    worst = line(
        care_date=date(2020, 1, 1),
        mr=None,
        amount=Decimal("999"),
        section_review=True,
        converted=True,
        duplicate_document=True,
        same_care=True,
        receipt_mismatch=True,
        zone_declared=True,
        flags=frozenset({"outside_pathway"}),
        benefit_am="paramedical",
    )
    found = reasons_of(worst, LIMITS)
    assert found == [reason for reason, _holds in TABLE if reason in found]
    # All but "the AM paid nothing", which needs a figure, and "no exchange rate", which has no amount.
    assert len(found) == len(TABLE) - 2
    assert {reason for reason, _holds in TABLE} <= REVIEW_REASONS.keys()


def test_a_line_without_a_rate_waits_whatever_else_it_is():
    assert reasons_of(line(amount=None, converted=True, plan_has_am=False, mr=None), LIMITS) == ["no_exchange_rate"]


def test_the_plans_say_which_sections_a_handler_checks():
    from mutua.benefits.reasons import line_facts

    facts = {"channel": ONLINE, "care_date": date(2026, 11, 2), "amount": Decimal("80"), "converted": False}
    assert line_facts(plan_code="fr-base-surco", benefit_code="optical.equipment", **facts).section_review
    assert line_facts(plan_code="intl-staff", benefit_code="intl.optical", **facts).section_review
    assert not line_facts(plan_code="intl-staff", benefit_code="intl.consultation", **facts).section_review


def test_the_members_word_alone_opening_a_restricted_zone_goes_to_a_handler():
    from mutua.benefits.reasons import zone_opened_by_declaration

    said = frozenset({"urgent", "duty_travel"})

    def opened(country, station="KE", flags=said):
        return zone_opened_by_declaration(plan_code="intl-staff", country=country, duty_station=station, flags=flags)

    assert opened("US") and opened("ZA")
    assert not opened("KE")  # outside every restricted zone the boxes change nothing
    assert not opened("US", station="US") and not opened("ZA", station="MZ")  # the duty station opens it
    assert not opened("US", flags=said | {"prior_approval"})  # so does the medical advisor's approval
    assert not opened("US", flags=frozenset({"urgent"}))  # not covered at all: nothing to check
    assert not zone_opened_by_declaration(plan_code="fr-base-surco", country="US", duty_station="", flags=said)


def test_the_automatic_limit_in_euros_is_read_in_the_plans_currency_at_the_rate_of_the_care_date():
    """200 € is about 231 US$ on 12 March 2026: a 220-dollar visit under the dollar plan is below it, paid
    at once; 240 dollars is above it. Compared as they were, 220 dollars read as 220 euros."""
    from mutua.core.money import exchange_rate

    day = date(2026, 3, 12)
    rate = exchange_rate(currency="EUR", into="USD", on=day).value
    assert Decimal("220") < Decimal("200") * rate < Decimal("240")
    dollars = {"care_date": day, "currency": "USD", "plan_has_am": False, "benefit_am": "none", "mr": None}
    assert reasons_of(line(**dollars, amount=Decimal("220.00")), LIMITS) == []
    assert reasons_of(line(**dollars, amount=Decimal("240.00")), LIMITS) == ["amount_over_auto_limit"]
    assert reasons_of(line(amount=Decimal("220.00")), LIMITS) == ["amount_over_auto_limit"]  # euros: as before
