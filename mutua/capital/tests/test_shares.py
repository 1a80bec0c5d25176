from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutua.capital.shares import Person, equal_shares, legal_heirs, split

CENTS = st.integers(min_value=1, max_value=10_000_000).map(lambda n: Decimal(n) / 100)


@given(total=CENTS, count=st.integers(min_value=1, max_value=10))
def test_the_parts_add_up_to_the_total_exactly_and_each_is_to_the_cent(total, count):
    parts = split(total, equal_shares(count))
    assert sum(parts) == total
    assert all(part == part.quantize(Decimal("0.01")) for part in parts)


def test_each_share_is_rounded_half_up_and_the_last_takes_the_remainder():
    # 100.01 × 50 % = 50.005 → 50.01 (half up); the last share gets what is left: 50.00.
    assert split(Decimal("100.01"), [Decimal("50"), Decimal("50")]) == [Decimal("50.01"), Decimal("50.00")]


def test_shares_that_do_not_add_up_to_100_are_refused():
    with pytest.raises(ValueError, match="100"):
        split(Decimal("10"), [Decimal("50"), Decimal("49.99")])


def test_legal_order_spouse_first_then_children_then_parents():
    people = [Person("Léa", "child"), Person("Paul", "spouse"), Person("Rose", "ascendant")]
    assert [(r.full_name, r.share) for r in legal_heirs(people)] == [("Paul", Decimal("100"))]
    children = legal_heirs([Person("Léa", "child"), Person("Tom", "partner_child"), Person("Rose", "ascendant")])
    assert [(r.full_name, r.share) for r in children] == [("Léa", Decimal("50.00")), ("Tom", Decimal("50.00"))]
    assert [r.full_name for r in legal_heirs([Person("Rose", "ascendant")])] == ["Rose"]
    assert legal_heirs([]) == []
