"""What the member reads about a decided claim: the handler's own words for a refusal, a suspension
that counts claims, plain sentences before the exact calculation, and a hospital paid directly."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.benefits.models import Claim, RejectionReason, Statement
from mutua.claims.models import ClaimsSuspension
from mutua.claims.review import claim_item_decide
from mutua.claims.statements import statement_document
from mutua.claims.tests.helpers import GLASSES, GP_VISIT, submitted_claim
from mutua.core.tests.helpers import member_login
from mutua.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

WORDS = "Une seule paire de lunettes est remboursée tous les deux ans."


@pytest.fixture
def user(client):
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1))
    member_login(client, user.username, PASSWORD)
    return user


def refused(user, run_tasks, reason, text=""):
    claim = run_tasks(submitted_claim, user, [GLASSES])
    run_tasks(claim_item_decide, item=claim.items.get(), by=StaffUserFactory(), accept=False, reason=reason, text=text)
    return Claim.objects.get(pk=claim.pk)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_refusal_for_another_reason_reads_as_the_handlers_words(client, user, run_tasks, language):
    claim = refused(user, run_tasks, RejectionReason.OTHER, WORDS)
    page = client.get(f"/portal/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert WORDS in page
    assert "autre motif" not in page and "other reason" not in page
    document = statement_document(statement=claim.statement, language=language)
    assert document.lines[0].reason == WORDS


def test_a_refusal_for_a_named_reason_says_it_then_the_handlers_words(client, user, run_tasks):
    claim = refused(user, run_tasks, RejectionReason.ILLEGIBLE, "La date est illisible.")
    with translation.override("en"):
        assert claim.items.get().rejection_words == "the supporting document is illegible — La date est illisible."
    page = client.get(f"/portal/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Refused: the supporting document is illegible — La date est illisible." in page


@override_settings(CLAIMS_SUSPENSION_REJECTIONS=2)
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "2 demandes dont un justificatif a été refusé comme illisible ou altéré en 12 mois."),
        ("en", "2 claims with a supporting document refused as illegible or altered within 12 months."),
    ],
)
def test_a_suspension_counts_claims_in_the_members_language(client, user, run_tasks, language, expected):
    user.member.preferred_language = language
    user.member.save(update_fields=["preferred_language"])
    for n in range(2):
        claim = run_tasks(submitted_claim, user, [GLASSES | {"care_date": date(2026, 3, 5) + timedelta(days=n)}])
        run_tasks(
            claim_item_decide,
            item=claim.items.get(),
            by=StaffUserFactory(),
            accept=False,
            reason=RejectionReason.ILLEGIBLE,
        )
    with translation.override("fr" if language == "en" else "en"):  # whoever decides, in their own language
        suspension = ClaimsSuspension.objects.get(member=user.member)
    assert suspension.reason == expected
    assert expected in client.get("/portal/claims/", HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_tracking_page_says_it_plainly_and_keeps_the_calculation_one_click_away(client, user, run_tasks):
    claim = run_tasks(submitted_claim, user, [GP_VISIT])
    page = client.get(f"/portal/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    plain, _, detail = page.partition("<details>")
    assert "The Assurance Maladie paid €19.00." in plain
    assert "under the benefit “General practitioner”" in plain
    assert "BR" not in plain.split('class="plain"', 1)[1]
    assert "formula" in detail and "BR" in detail


def test_a_hospital_paid_directly_is_not_reimbursed_to_the_member(client, user, run_tasks):
    clinic = ProviderFactory(name="Clinique des Lilas")
    paid = run_tasks(submitted_claim, user, [GP_VISIT])
    Claim.objects.filter(pk=paid.pk).update(paid_to=clinic)  # as a hospital's invoice against a guarantee
    own = run_tasks(submitted_claim, user, [GP_VISIT | {"care_date": date(2026, 3, 9)}])
    assert Statement.objects.filter(claim__in=[paid, own], total_paid__gt=Decimal("0")).count() == 2
    for language, hospital, member in (
        ("en", "paid to Clinique des Lilas", "reimbursed to your account"),
        ("fr", "versé à Clinique des Lilas", "remboursé sur votre compte"),
    ):
        page = client.get("/portal/claims/statements/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert page.count(hospital) == 1 and page.count(member) == 1, page
        assert "Reimbursed<" not in page and "Remboursé<" not in page


def test_a_statement_paid_to_a_hospital_says_paid_not_reimbursed(user, run_tasks):
    clinic = ProviderFactory(name="Clinique des Lilas")
    claim = run_tasks(submitted_claim, user, [GP_VISIT])
    Claim.objects.filter(pk=claim.pk).update(paid_to=clinic)
    statement = Statement.objects.get(claim=claim)
    for language, paid, reimbursed in (
        ("en", "Paid by your plan to the hospital", ("Reimbursed by your", "Reimbursed —")),
        ("fr", "Payé par votre contrat à l’établissement", ("Remboursé par votre", "Remboursé —")),
    ):
        document = statement_document(statement=statement, language=language)
        with translation.override(language):
            html = render_to_string("claims/statement_pdf.html", {"doc": document})
        assert paid in html and "Clinique des Lilas" in html
        assert not [words for words in reimbursed if words in html]
