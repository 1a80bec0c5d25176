import pytest
from django.core import mail

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.contracts.tests.factories import ManagementUnitFactory
from mutua.core.tests.helpers import member_login, staff_login
from mutua.support.models import ContactRequest

pytestmark = pytest.mark.django_db

MESSAGE = {
    "name": "Karim Benali",
    "member_number_given": "MU1000002",
    "email": "karim@example.org",
    "phone": "",
    "message": "I never received the e-mail.",
}


def test_contact_page_shows_the_management_unit_and_reaches_the_inbox(
    client, django_capture_on_commit_callbacks, settings
):
    settings.SUPPORT_INBOX_EMAIL = "inbox@mutua.example.org"
    unit = ManagementUnitFactory(phone="+33 1 11 22 33 44")
    page = client.get("/help/contact/")
    assert unit.phone in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/help/contact/", MESSAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    contact = ContactRequest.objects.get()
    assert contact.status == "new" and contact.language == "en"
    assert sorted(m.to[0] for m in mail.outbox) == ["inbox@mutua.example.org", "karim@example.org"]

    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    staff_login(client, handler, PASSWORD)
    inbox = client.get("/backoffice/inbox/")
    assert contact in inbox.context["open_requests"]
    client.post(f"/backoffice/inbox/{contact.pk}/status/", {"status": "closed", "reason": "Link re-sent"})
    contact.refresh_from_db()
    assert contact.status == "closed"
    detail = client.get(f"/backoffice/inbox/{contact.pk}/")
    assert "Link re-sent" in detail.content.decode()


def test_missing_fields_get_clear_errors_and_nothing_is_filed(client):
    response = client.post(
        "/help/contact/", {"name": "", "email": "not-an-email", "message": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    errors = response.context["form"].errors
    assert set(errors) == {"name", "email", "message"}
    assert "Enter a valid email address." in errors["email"]
    assert not ContactRequest.objects.exists()


@pytest.mark.parametrize("role", [Role.FINANCE, Role.MEDICAL_ADVISOR])
def test_inbox_is_for_handlers_and_administrators(client, role):
    staff_login(client, StaffUserFactory(role=role), PASSWORD)
    assert client.get("/backoffice/inbox/").status_code == 403


def test_members_cannot_read_the_inbox(client):
    contact = ContactRequest.objects.create(name="A", email="a@example.org", message="m", language="fr")
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    assert client.get(f"/backoffice/inbox/{contact.pk}/").status_code == 403


def test_help_page_answers_the_seed_questions(client):
    body = client.get("/help/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for question in ("First time logging on?", "What is my login?", "I have forgotten my password", "I still can"):
        assert question in body
    assert "Index Number" in body


def test_the_public_form_cannot_flood_a_mailbox_or_the_inbox(client, django_capture_on_commit_callbacks):
    from mutua.support.services import CONTACTS_PER_HOUR_PER_EMAIL

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(CONTACTS_PER_HOUR_PER_EMAIL + 2):
            response = client.post("/help/contact/", MESSAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert ContactRequest.objects.count() == CONTACTS_PER_HOUR_PER_EMAIL
    assert len(mail.outbox) == CONTACTS_PER_HOUR_PER_EMAIL
    assert "You have already sent several messages" in response.content.decode()
    assert MESSAGE["name"] not in mail.outbox[0].body  # nothing the sender typed is echoed


def test_one_address_cannot_send_many_messages_under_different_emails(client):
    from mutua.support.services import CONTACTS_PER_HOUR_PER_ADDRESS

    for n in range(CONTACTS_PER_HOUR_PER_ADDRESS + 3):
        client.post("/help/contact/", MESSAGE | {"email": f"sender{n}@example.org"})
    assert ContactRequest.objects.count() == CONTACTS_PER_HOUR_PER_ADDRESS
