"""Estimates of quotes: the engine's result, the household's counters, and the workflow around them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from engine import Engine, Household, Member, Usage, get_plan
from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.benefits import adapter
from mutua.benefits.models import Claim, ClaimItem, CounterUsage
from mutua.claims.review import claim_item_decide
from mutua.claims.tests.helpers import GLASSES as GLASSES_CLAIMED
from mutua.claims.tests.helpers import submitted_claim
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.core.selectors import status_history
from mutua.quotes.estimates import LineInput
from mutua.quotes.models import Quote
from mutua.quotes.services import (
    quote_claim_start,
    quote_estimate_refresh,
    quote_lines_replace,
    quote_review,
    quote_review_request,
)
from mutua.quotes.tests.helpers import CROWN, GLASSES, make_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return MemberUserFactory(member__birth_date=date(1985, 4, 1))


def test_the_estimate_is_the_engines_result_for_the_same_lines(user):
    quote = make_quote(user, [GLASSES, CROWN])
    engine = Engine(get_plan("fr-base-surco"))
    household = Household((Member(f"m{user.member.pk}", date(1985, 4, 1), "member"),))
    expected = engine.adjudicate(
        household,
        [
            adapter.care_line_of(
                line_id=f"l{n}",
                person=f"m{user.member.pk}",
                on=date(2026, 12, 15),
                benefit_code=line.benefit_code,
                amount=line.amount,
                br=line.br,
                attributes=line.attributes,
            )
            for n, line in enumerate([GLASSES, CROWN])
        ],
    ).lines
    lines = list(quote.lines.all())
    assert [line.benefit_code for line in lines] == ["optical.equipment", "dental.crown_bridge"]
    for line, result in zip(lines, expected, strict=True):
        assert line.am_paid == result.am_paid and line.out_of_pocket == result.out_of_pocket
        assert line.tiers_paid == {tier.tier: f"{tier.paid:.2f}" for tier in result.tiers}
        assert line.paid_total == result.paid_by_plan and line.explanation["fr"] and line.explanation["en"]
        assert line.rules == [tier.rule for tier in result.tiers if tier.rule]
    assert quote.total_amount == Decimal("1080.00")
    assert quote.total_out_of_pocket == sum(result.out_of_pocket for result in expected)
    assert quote.total_am + quote.total_plan + quote.total_out_of_pocket == quote.total_amount
    assert quote.plan_code == "fr-base-surco" and quote.plan_version_from == date(2020, 1, 1)
    assert quote.tiers == ["base", "surco"] and quote.estimated_at is not None
    assert not CounterUsage.objects.exists()  # an estimate never writes counters


def test_glasses_bought_within_two_years_make_the_optical_estimate_drop(user, django_capture_on_commit_callbacks):
    before = make_quote(user, name="Avant")
    assert before.total_plan > Decimal("300")
    # Glasses claimed and decided in March 2026 (through the claims services, as a handler would).
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(user, [GLASSES_CLAIMED])
    item = claim.items.get()
    assert item.status == ClaimItem.Status.IN_REVIEW
    claim_item_decide(item=item, by=StaffUserFactory(), accept=True)
    assert CounterUsage.objects.filter(counter="optical_equipment").exists()

    refreshed = quote_estimate_refresh(quote=before)
    assert refreshed.total_plan < before.total_plan
    assert refreshed.total_out_of_pocket > before.total_out_of_pocket
    line = refreshed.lines.get()
    assert line.tiers_paid["base"] == "0.00"
    # Two years after the glasses claimed, the renewal period is over: the plan pays again.
    later = make_quote(user, name="Après", planned=date(2028, 3, 6))
    assert later.total_plan == before.total_plan
    assert CounterUsage.objects.filter(line_id__startswith="line-").count() == 0


def test_the_dental_cap_already_used_lowers_the_dental_estimate(user):
    fresh = make_quote(user, [CROWN], name="Couronne")
    person = f"m{user.member.pk}"
    # What an earlier decided prosthesis consumed of the yearly cap, stored as the claims service stores it.
    used = Usage("dental_prosthesis", person, "", date(2026, 2, 1), Decimal("6200.00"), 0, "item-999")
    CounterUsage.objects.bulk_create(adapter.usage_rows(user.member, (used,)))
    capped = make_quote(user, [CROWN], name="Couronne bis")
    assert capped.lines.get().tiers_paid["base"] < fresh.lines.get().tiers_paid["base"]
    assert capped.total_out_of_pocket > fresh.total_out_of_pocket
    # The cap is per calendar year: the same crown in January is estimated as if nothing was used.
    next_year = make_quote(user, [CROWN], name="Couronne 2027", planned=date(2027, 1, 12))
    assert next_year.lines.get().tiers_paid == fresh.lines.get().tiers_paid


def test_out_of_network_glasses_show_what_the_network_would_save(user):
    quote = make_quote(user)
    line = quote.lines.get()
    assert line.network_saving > 0 and quote.network_saving == line.network_saving
    in_network = make_quote(user, [LineInput(**{**GLASSES.__dict__, "flags": ("network",)})], name="Réseau")
    assert in_network.network_saving == 0
    assert in_network.total_out_of_pocket == quote.total_out_of_pocket - line.network_saving


def test_a_beneficiary_is_estimated_with_their_own_age_and_rules(user):
    child = BeneficiaryFactory(member=user.member, birth_date=date(2015, 2, 3))
    quote = make_quote(user, beneficiary=child)
    assert quote.beneficiary == child
    assert quote.lines.get().tiers_paid["surco"] == "20.00"  # the frame top-up for children under 18
    other = BeneficiaryFactory()
    with pytest.raises(ValidationError, match="household"):
        make_quote(user, beneficiary=other, name="Pas à moi")


def test_what_cannot_be_estimated_is_refused_with_a_fixable_reason(user):
    with pytest.raises(ValidationError, match="Line 1: choose the kind of lenses"):
        make_quote(user, [LineInput(benefit_code="optical.equipment", amount=Decimal("300.00"))])
    with pytest.raises(ValidationError, match="Line 1: enter the reimbursement base"):
        make_quote(user, [LineInput(benefit_code="dental.crown_bridge", amount=Decimal("300.00"))])
    with pytest.raises(ValidationError, match="Not covered"):
        make_quote(user, planned=date(2019, 6, 1))
    with pytest.raises(ValidationError, match="tooth"):
        make_quote(user, [LineInput(**{**CROWN.__dict__, "tooth": "99"})])
    assert not Quote.objects.exists()


def test_lines_corrected_give_a_new_estimate_until_a_check_is_asked(user):
    quote = make_quote(user)
    corrected = quote_lines_replace(quote=quote, lines=[LineInput(**{**GLASSES.__dict__, "amount": Decimal("300.00")})])
    assert corrected.total_amount == Decimal("300.00") and corrected.lines.count() == 1
    quote_review_request(quote=quote, by=user, question="Est-ce cohérent ?")
    with pytest.raises(ValidationError):
        quote_lines_replace(quote=quote, lines=[GLASSES])


def test_the_management_unit_reviews_and_the_member_is_told(user, django_capture_on_commit_callbacks):
    user.member.preferred_language = "en"
    user.member.save()
    quote = make_quote(user)
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    with pytest.raises(ValidationError):  # nothing asked yet
        quote_review(quote=quote, by=handler, advice="Bien.")
    quote_review_request(quote=quote, by=user, question="Est-ce cohérent ?")
    line = quote.lines.get()
    with pytest.raises(ValidationError, match="advice"):
        quote_review(quote=quote, by=handler, advice="  ")
    with django_capture_on_commit_callbacks(execute=True):
        reviewed = quote_review(
            quote=quote, by=handler, advice="Le prix est cohérent.", corrections={line.pk: {"br": Decimal("0.09")}}
        )
    assert reviewed.status == Quote.Status.REVIEWED and reviewed.advice == "Le prix est cohérent."
    assert reviewed.reviewed_by == handler and reviewed.lines.get().br == Decimal("0.09")
    assert [(c.from_status, c.to_status, c.changed_by) for c in status_history(instance=quote)] == [
        ("estimated", "review_requested", user),
        ("review_requested", "reviewed", handler),
    ]
    message = mail.outbox[-1]
    assert message.to == [user.member.email] and "has been checked" in message.subject
    assert f"{reviewed.total_out_of_pocket:.2f}" in message.body


def test_a_quote_becomes_a_draft_claim_once_the_care_is_done(user):
    future = make_quote(user)
    with pytest.raises(ValidationError, match="once it is done"):
        quote_claim_start(quote=future, by=user)
    child = BeneficiaryFactory(member=user.member)
    done = make_quote(user, [GLASSES, CROWN], planned=date(2026, 11, 2), beneficiary=child, name="Faits")
    claim = quote_claim_start(quote=done, by=user)
    done.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT and claim.beneficiary == child and claim.name == "Faits"
    assert done.claim == claim and done.status == Quote.Status.CLAIMED
    with pytest.raises(ValidationError):
        quote_claim_start(quote=done, by=user)
