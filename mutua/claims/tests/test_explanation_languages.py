"""A decided line's explanation in the member's language: stored in the four languages the engine speaks
and shown as such on the claim page; a line decided before the engine spoke Spanish and Arabic (French and
English only) is shown in English, never in French."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.benefits.models import ClaimItem
from mutua.claims.tests.helpers import submitted_claim
from mutua.contracts.models import ContractPlan
from mutua.core.tests.helpers import member_login

pytestmark = pytest.mark.django_db

NAIROBI_VISIT = {
    "benefit_code": "intl.consultation",
    "care_date": date(2026, 3, 2),
    "amount": Decimal("200.00"),
    "currency": "USD",
    "provider": "Nairobi Hospital",
    "care_country": "KE",
}


@pytest.fixture
def intl_member():
    user = MemberUserFactory(member__duty_station="KE")
    ContractPlan.objects.filter(contract=user.member.contract).update(plan_code="intl-staff", tiers=["main"])
    return user


def claim_page(client, user, claim, language: str) -> str:
    member_login(client, user.username, PASSWORD)
    response = client.get(f"/portal/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_a_decided_line_is_explained_in_spanish_and_in_arabic(client, run_tasks, intl_member):
    claim = run_tasks(submitted_claim, intl_member, [NAIROBI_VISIT])
    item = ClaimItem.objects.get(claim=claim)
    assert item.paid_total == Decimal("140.00")  # 200.00 less the 25.00 deductible, less 20 % of the rest
    assert set(item.explanation) == {"fr", "en", "es", "ar", "plain"}
    assert set(item.explanation["plain"]) == {"fr", "en", "es", "ar"}

    spanish = claim_page(client, intl_member, claim, "es")
    for sentence in (
        "Franquicia por acto, a su cargo: 25,00\u00a0USD.",
        "Su coaseguro del 20\u00a0% sobre el resto: 35,00\u00a0USD.",
        "Plan reembolsa 140,00\u00a0USD en concepto de la prestación «Consulta médica».",  # plain words
        "Plan: prestación «Consulta médica», fórmula 100% FR = 100% × 200,00 = 200,00\u00a0USD.",  # the detail
        "A su cargo: 60,00\u00a0USD.",
    ):
        assert sentence in spanish, sentence
    assert "You pay" not in spanish and "Reste à votre charge" not in spanish

    arabic = claim_page(client, intl_member, claim, "ar")
    for sentence in (
        "مبلغ التحمّل عن كل إجراء، على عاتقك: \u200f25.00\u00a0USD.",
        "نسبة مشاركتك في التكلفة، 20% من الباقي: \u200f35.00\u00a0USD.",
        "المبلغ المدفوع من الخطة: \u200f140.00\u00a0USD، بموجب الميزة «استشارة طبية».",
        "المبلغ المتبقي على عاتقك: \u200f60.00\u00a0USD.",
    ):
        assert sentence in arabic, sentence
    assert "You pay" not in arabic


def test_a_line_explained_in_french_and_english_only_reaches_a_spanish_reader_in_english(
    client, run_tasks, intl_member
):
    claim = run_tasks(submitted_claim, intl_member, [NAIROBI_VISIT])
    item = ClaimItem.objects.get(claim=claim)
    said = item.explanation
    item.explanation = {
        "fr": said["fr"],
        "en": said["en"],
        "plain": {"fr": said["plain"]["fr"], "en": said["plain"]["en"]},
    }
    item.save(update_fields=["explanation"])
    page = claim_page(client, intl_member, claim, "es")
    assert "You pay: 60.00 USD." in page
    assert "A su cargo: 60,00" not in page and "Reste à votre charge" not in page
