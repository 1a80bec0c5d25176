"""Which household events a member may tell, and the documents each asks, come from the member's plan
(``family_changes``): the French plan's PACS and cohabitation, the international plan's registered
partnership under any law. A kind the plan does not take is refused, by the form and by the service."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engine.plan_sections import FAMILY_CHANGE_KINDS
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.contracts.models import ChangeRequest, ContractPlan, Relationship
from mutua.contracts.services import change_request_decide, change_request_submit
from mutua.contracts.views.portal import DOCUMENTS_BY_EVENT
from mutua.core.tests.helpers import member_login
from mutua.documents.tests.pdfs import blank_pdf

pytestmark = pytest.mark.django_db

FAMILY_CHANGE = "/portal/contract/family-change/"


def international_member_user(language="en"):
    """A member of the international plan, reading the pages in ``language``."""
    user = MemberUserFactory(language=language)
    ContractPlan.objects.filter(contract=user.member.contract).update(plan_code="intl-staff", tiers=["main"])
    return user


def page(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_every_kind_a_plan_may_list_is_a_change_request_with_its_documents():
    assert set(FAMILY_CHANGE_KINDS) <= set(ChangeRequest.Kind.values)
    assert set(FAMILY_CHANGE_KINDS) <= set(DOCUMENTS_BY_EVENT)


def test_the_french_plan_keeps_pacs_and_cohabitation_with_their_french_documents(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    body = page(client, FAMILY_CHANGE, "en")
    for words in (
        "the PACS registration certificate",
        "a sworn statement of cohabitation and a proof of common address",
        "the divorce judgment or the PACS dissolution certificate",
    ):
        assert words in body
    assert "registered partnership" not in body
    assert "Tell us about a family change (marriage, PACS, cohabitation, birth" in page(
        client, "/portal/contract/", "en"
    )


@pytest.mark.parametrize(
    ("language", "partnership", "certificate", "divorce", "link"),
    [
        (
            "en",
            "Registered partnership",
            "the official certificate of the registered partnership",
            "the divorce judgment or the certificate dissolving the partnership",
            "Tell us about a family change (marriage, registered partnership, birth, adoption, divorce or separation, "
            "death of a beneficiary)",
        ),
        (
            "fr",
            "Partenariat enregistré",
            "le certificat officiel d’enregistrement du partenariat",
            "le jugement de divorce ou le certificat de dissolution du partenariat",
            "Déclarer un changement de situation de famille (mariage, partenariat enregistré, naissance",
        ),
    ],
)
def test_an_international_member_is_offered_plan_neutral_changes_and_documents(
    client, language, partnership, certificate, divorce, link
):
    user = international_member_user(language)
    member_login(client, user.username, PASSWORD)
    body = page(client, FAMILY_CHANGE, language)
    assert partnership in body and certificate in body and divorce in body
    assert "PACS" not in body and 'value="cohabitation"' not in body and "concubinage" not in body
    contract_page = page(client, "/portal/contract/", language)
    assert link in contract_page and "PACS" not in contract_page


@pytest.mark.parametrize("kind", ["pacs", "cohabitation"])
def test_a_change_the_plan_does_not_take_is_refused_in_clear_words(client, kind):
    user = international_member_user()
    member_login(client, user.username, PASSWORD)
    today = timezone.localdate()
    response = client.post(
        FAMILY_CHANGE,
        {
            "kind": kind,
            "event_date": today.isoformat(),
            "first_name": "Sam",
            "last_name": "Otieno",
            "birth_date": "1985-04-02",
            "documents": [SimpleUploadedFile("certificate.pdf", blank_pdf())],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Your plan does not take this change from your space: choose one of the list." in response.content.decode()
    assert not ChangeRequest.objects.exists()
    with pytest.raises(ValidationError) as refused:
        change_request_submit(
            member=user.member,
            kind=ChangeRequest.Kind(kind),
            event_date=today,
            received_on=today,
            details={},
            uploads=[SimpleUploadedFile("certificate.pdf", blank_pdf())],
            by=user,
        )
    assert refused.value.code == "kind_not_offered"


def test_a_registered_partnership_adds_the_partner_who_counts_as_the_spouse(django_capture_on_commit_callbacks):
    user = international_member_user()
    today = timezone.localdate()
    change = change_request_submit(
        member=user.member,
        kind=ChangeRequest.Kind.PARTNERSHIP,
        event_date=today,
        received_on=today,
        details={"first_name": "Sam", "last_name": "Otieno", "birth_date": "1985-04-02", "has_income": False},
        uploads=[SimpleUploadedFile("certificate.pdf", blank_pdf())],
        by=user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        change_request_decide(change_request=change, accept=True, by=user, reason="Certificate checked")
    assert user.member.beneficiaries.get(first_name="Sam").relationship == Relationship.SPOUSE
