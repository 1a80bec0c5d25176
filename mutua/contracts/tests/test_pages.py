"""Member and back-office journeys for the household file, and who may see what."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.contracts.models import ChangeRequest
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.core.tests.helpers import member_login, staff_login
from mutua.documents.tests.pdfs import blank_pdf

pytestmark = pytest.mark.django_db

PDF = blank_pdf()


def birth_request(client, event_date: date, files=None):
    return client.post(
        "/portal/contract/family-change/",
        {
            "kind": "birth",
            "event_date": event_date.isoformat(),
            "first_name": "Zoé",
            "birth_date": event_date.isoformat(),
            "documents": files if files is not None else [SimpleUploadedFile("acte.pdf", PDF)],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_my_contract_shows_the_plan_the_household_and_the_unit(client):
    user = MemberUserFactory()
    child = BeneficiaryFactory(member=user.member, first_name="Léa", birth_date=date(2016, 1, 1))
    member_login(client, user.username, PASSWORD)
    body = client.get("/portal/contract/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Complementary health plan" in body and "Base + Top-up" in body
    assert child.full_name in body and "Covered as a child under 18." in body
    assert user.member.management_unit.phone in body


def test_birth_told_in_time_takes_effect_on_the_event_date_and_is_accepted_by_a_handler(
    client, django_capture_on_commit_callbacks
):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    born = timezone.localdate() - timedelta(days=10)
    assert birth_request(client, born).status_code == 302
    change = ChangeRequest.objects.get(member=user.member)
    assert change.effective_date == born and change.documents.count() == 1

    handler_client = client.__class__()
    staff_login(handler_client, StaffUserFactory(role=Role.CLAIMS_HANDLER), PASSWORD)
    page = handler_client.get(f"/backoffice/members/{user.member.pk}/")
    assert "acte.pdf" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        handler_client.post(f"/backoffice/change-requests/{change.pk}/decide/", {"decision": "accept", "reason": "OK"})
    change.refresh_from_db()
    assert change.status == "accepted"
    baby = user.member.beneficiaries.get(first_name="Zoé")
    assert baby.cover_start == born and baby.last_name == user.member.last_name
    assert mail.outbox[-1].subject == "Votre demande a été acceptée"  # in the member's language
    history = handler_client.get(f"/backoffice/members/{user.member.pk}/", HTTP_ACCEPT_LANGUAGE="en").context["history"]
    decided = [entry.text for entry in history if entry.text.startswith("Request “birth” of ")]
    assert decided and "→ accepted (OK), by " in decided[0]
    assert any(entry.text.startswith(f"{baby.full_name} added as a beneficiary") for entry in history)


def test_birth_told_late_takes_effect_on_the_first_of_the_next_month(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    today = timezone.localdate()
    birth_request(client, today - timedelta(days=45))
    change = ChangeRequest.objects.get(member=user.member)
    assert change.effective_date == (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def test_family_change_needs_a_document_and_a_real_file(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    today = timezone.localdate()
    response = birth_request(client, today, files=[])
    assert "Attach the supporting document" in response.content.decode()
    response = birth_request(client, today, files=[SimpleUploadedFile("acte.pdf", b"MZ\x90\x00 not a pdf")])
    assert "Only PDF, JPEG and PNG" in response.content.decode()
    response = birth_request(client, today + timedelta(days=3))
    assert "cannot be in the future" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_refusal_needs_a_reason(client):
    user = MemberUserFactory()
    change = ChangeRequest.objects.create(
        member=user.member,
        kind="address",
        event_date=date(2024, 1, 1),
        received_on=date(2024, 1, 2),
        effective_date=date(2024, 1, 1),
        details={"postal_address": "x"},
    )
    staff_login(client, StaffUserFactory(role=Role.CLAIMS_HANDLER), PASSWORD)
    client.post(f"/backoffice/change-requests/{change.pk}/decide/", {"decision": "refuse", "reason": " "})
    change.refresh_from_db()
    assert change.status == "submitted"


def test_contact_details_update(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    client.post(
        "/portal/contract/contact-details/", {"phone": "06 00 00 00 00", "postal_address": "1 rue X\n75001 Paris"}
    )
    user.member.refresh_from_db()
    assert user.member.postal_address == "1 rue X\n75001 Paris"
    assert user.member.phone == "+33 6 00 00 00 00"


def test_bank_details_page_asks_for_the_password(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    response = client.post(
        "/portal/contract/bank-details/",
        {"iban": "FR1420041010050500013M02606", "password": "nope"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.context["form"].errors["password"] == ["The password is not correct."]
    response = client.post(
        "/portal/contract/bank-details/", {"iban": "FR1420041010050500013M02606", "password": PASSWORD}
    )
    assert response.status_code == 302


# --- isolation: a member never sees another household --------------------------------------


def test_a_member_cannot_reach_another_households_data(client):
    mine, theirs = MemberUserFactory(), MemberUserFactory()
    their_child = BeneficiaryFactory(member=theirs.member, first_name="Secret")
    their_change = ChangeRequest.objects.create(
        member=theirs.member,
        kind="address",
        event_date=date(2024, 1, 1),
        received_on=date(2024, 1, 2),
        effective_date=date(2024, 1, 1),
        details={"postal_address": "x"},
    )
    member_login(client, mine.username, PASSWORD)
    for url in ("/portal/contract/", "/portal/", "/portal/my-details/"):
        body = client.get(url).content.decode()
        assert their_child.full_name not in body and theirs.member.member_number not in body
    for url in (
        f"/backoffice/members/{theirs.member.pk}/",
        f"/backoffice/change-requests/{their_change.pk}/decide/",
        f"/backoffice/members/?q={theirs.member.member_number}",
    ):
        assert client.get(url).status_code in {403, 405}
        assert client.post(url, {"decision": "accept", "reason": "x"}).status_code == 403
    # A divorce naming another household's beneficiary is refused.
    response = client.post(
        "/portal/contract/family-change/",
        {
            "kind": "divorce",
            "event_date": "2024-01-01",
            "beneficiary": their_child.pk,
            "documents": [SimpleUploadedFile("j.pdf", PDF)],
        },
    )
    their_child.refresh_from_db()
    assert response.status_code == 200 and their_child.removed_on is None
    assert not ChangeRequest.objects.filter(member=mine.member).exists()


@pytest.mark.parametrize("role", [Role.FINANCE])
def test_finance_does_not_browse_households(client, role):
    member = MemberUserFactory().member
    staff_login(client, StaffUserFactory(role=role), PASSWORD)
    assert client.get(f"/backoffice/members/{member.pk}/").status_code == 403


def test_medical_advisor_reads_but_cannot_decide(client):
    user = MemberUserFactory()
    change = ChangeRequest.objects.create(
        member=user.member,
        kind="address",
        event_date=date(2024, 1, 1),
        received_on=date(2024, 1, 2),
        effective_date=date(2024, 1, 1),
        details={"postal_address": "x"},
    )
    staff_login(client, StaffUserFactory(role=Role.MEDICAL_ADVISOR), PASSWORD)
    assert client.get(f"/backoffice/members/{user.member.pk}/").status_code == 200
    assert (
        client.post(
            f"/backoffice/change-requests/{change.pk}/decide/", {"decision": "accept", "reason": "x"}
        ).status_code
        == 403
    )


def test_no_file_is_left_behind_when_a_request_fails(client, settings, monkeypatch):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)

    def broken_set(self, objs, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ChangeRequest.documents.related_manager_cls, "set", broken_set)
    with pytest.raises(RuntimeError):
        birth_request(client, timezone.localdate())
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))
    assert not ChangeRequest.objects.exists()


def test_guessing_the_password_before_a_bank_change_signs_the_member_out_everywhere(client):
    from mutua.accounts.services import PASSWORD_RECHECK_LIMIT

    user = MemberUserFactory()
    phone = client.__class__()
    member_login(phone, user.username, PASSWORD)
    member_login(client, user.username, PASSWORD)
    for _ in range(PASSWORD_RECHECK_LIMIT - 1):
        response = client.post(
            "/portal/contract/bank-details/", {"iban": "FR1420041010050500013M02606", "password": "x"}
        )
        assert response.status_code == 200
    response = client.post("/portal/contract/bank-details/", {"iban": "FR1420041010050500013M02606", "password": "x"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/portal/").status_code == 302 and phone.get("/portal/").status_code == 302
    user.member.refresh_from_db()
    assert user.member.iban == ""
