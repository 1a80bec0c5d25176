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
    review_sections=frozenset({"optique"}),
)
GP = LineFacts(
    channel=ONLINE,
    care_date=date(2026, 11, 2),
    amount=Decimal("30.00"),
    converted=False,
    section="soins_courants",
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
        ({"section": "optique"}, ["review_section"], ["review_section"], ["review_section"]),
        ({"converted": True}, ["foreign_currency"], ["foreign_currency"], ["foreign_currency"]),
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
        section="optique",
        converted=True,
        duplicate_document=True,
        same_care=True,
        receipt_mismatch=True,
        flags=frozenset({"outside_pathway"}),
        benefit_am="paramedical",
    )
    found = reasons_of(worst, LIMITS)
    assert found == [reason for reason, _holds in TABLE if reason in found]
    assert len(found) == len(TABLE) - 1  # all but "the AM paid nothing", which needs a figure
    assert {reason for reason, _holds in TABLE} <= REVIEW_REASONS.keys()
