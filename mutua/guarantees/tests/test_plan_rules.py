"""The guarantees follow the `hospital:` section of the patient's plan, never settings: its stay costs and
their names, the card and letter days, the answer time and the limits of automatic issue."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from engine import get_plan
from mutua.accounts.tests.factories import MemberUserFactory
from mutua.guarantees.models import Guarantee
from mutua.guarantees.selectors import cost_lines, day_limits
from mutua.guarantees.stays import Cost
from mutua.guarantees.tests.test_services import STAY, emergency, planned
from mutua.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return MemberUserFactory()


@pytest.fixture
def clinic():
    return ProviderFactory(in_network=True)


def _plan_with(monkeypatch, **hospital):
    """The French plan as shipped, but with these values in its hospital section."""
    plan = get_plan("fr-base-surco")
    changed = plan.model_copy(update={"hospital": plan.hospital.model_copy(update=hospital)})
    monkeypatch.setattr(
        "mutua.guarantees.stays.get_plan", lambda code: changed if code == plan.code else get_plan(code)
    )


def test_the_french_plan_states_todays_values_in_its_hospital_section():
    hospital = get_plan("fr-base-surco").hospital
    assert (hospital.card_days, hospital.temporary_letter_days, hospital.network_answer_hours) == (2, 4, 2)
    assert (hospital.auto_max_days, hospital.auto_max_amount) == (30, Decimal("15000"))
    assert [cost.benefit for cost in hospital.costs("psychiatric")][:3] == [
        "hosp.rehab_stay",
        "hosp.surgeon_fees",
        "hosp.rehab_private_room",
    ]


def test_the_automatic_limit_is_the_plans_amount(monkeypatch, user, clinic):
    _plan_with(monkeypatch, auto_max_amount=Decimal("500"))
    guarantee = planned(user, clinic, timezone.localdate(), costs=[STAY])  # 1,000 € guaranteed
    assert guarantee.status == Guarantee.Status.REQUESTED
    assert guarantee.review_reasons == ["high_amount"]


def test_the_card_letter_and_answer_times_are_the_plans(monkeypatch, user, clinic):
    _plan_with(monkeypatch, card_days=3, temporary_letter_days=6, network_answer_hours=1)
    today = timezone.localdate()
    card = emergency(user, clinic, today, card_shown=True, discharge=today + timedelta(days=2))
    assert card.form == Guarantee.Form.CARD and card.valid_until == today + timedelta(days=2)
    other = MemberUserFactory()
    letter = emergency(other, ProviderFactory(in_network=False), today, card_shown=False)
    assert letter.form == Guarantee.Form.TEMPORARY_LETTER and letter.valid_until == today + timedelta(days=5)
    assert letter.deadline - letter.requested_at == timedelta(hours=24)  # outside the network: our own target
    third = MemberUserFactory()
    waiting = planned(third, clinic, today, days=40)  # longer than automatic issue allows
    assert waiting.deadline - waiting.requested_at == timedelta(hours=1)


def test_the_costs_are_named_from_the_plan_in_the_readers_language(user, clinic):
    guarantee = planned(
        user, clinic, timezone.localdate(), costs=[Cost("hosp.private_room", Decimal("360.00"), quantity=3)]
    )
    with translation.override("es"):
        assert [row.label for row in cost_lines(guarantee)] == ["Habitación individual"]
        assert "Cargo diario hospitalario" in [limit.label for limit in day_limits(guarantee)]
    with translation.override("fr"):
        assert [row.label for row in cost_lines(guarantee)] == ["Chambre particulière"]


def test_a_stay_without_a_per_day_cost_is_still_guaranteed(monkeypatch, user, clinic):
    hospital = get_plan("fr-base-surco").hospital
    fees_only = tuple(cost for cost in hospital.costs("medical") if not cost.per_day)
    _plan_with(monkeypatch, stays={**hospital.stays, "medical": fees_only})
    guarantee = emergency(user, clinic, timezone.localdate(), card_shown=False)
    assert guarantee.status == Guarantee.Status.ISSUED
    assert guarantee.day_limits == [] and guarantee.plan_code == "fr-base-surco"
