import pytest
from django.core import mail

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.contracts.tests.factories import ManagementUnitFactory
from mutua.conversations.models import Conversation
from mutua.core.tests.helpers import member_login, staff_login

pytestmark = pytest.mark.django_db

MESSAGE = {
    "name": "Karim Benali",
    "member_number_given": "MU1000002",
    "email": "karim@example.org",
    "phone": "",
    "message": "I never received the e-mail.",
}


def test_contact_page_shows_the_management_unit_and_reaches_the_one_inbox(
    client, django_capture_on_commit_callbacks, settings
):
    settings.SUPPORT_INBOX_EMAIL = "inbox@mutua.example.org"
    unit = ManagementUnitFactory(phone="+33 1 11 22 33 44")
    page = client.get("/help/contact/")
    assert unit.phone in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/help/contact/", MESSAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    contact = Conversation.objects.get()
    assert contact.reference in response.content.decode()
    assert (contact.kind, contact.status, contact.language, contact.member) == ("contact", "open", "en", None)
    assert (contact.contact_name, contact.contact_email, contact.member_number_given) == (
        "Karim Benali",
        "karim@example.org",
        "MU1000002",
    )
    message = contact.messages.get()
    assert (message.text, message.from_member, message.author) == ("I never received the e-mail.", False, None)
    assert sorted(m.to[0] for m in mail.outbox) == ["inbox@mutua.example.org", "karim@example.org"]

    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    staff_login(client, handler, PASSWORD)
    inbox = client.get("/backoffice/conversations/", {"kind": "contact"})
    assert [row.conversation for row in inbox.context["page"].object_list] == [contact]
    # The old inbox's addresses lead to the one inbox.
    for old in ("/backoffice/inbox/", f"/backoffice/inbox/{contact.pk}/"):
        moved = client.get(old)
        assert (moved.status_code, moved["Location"]) == (301, "/backoffice/conversations/?kind=contact")


def test_missing_fields_get_clear_errors_and_nothing_is_filed(client):
    response = client.post(
        "/help/contact/", {"name": "", "email": "not-an-email", "message": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    errors = response.context["form"].errors
    assert set(errors) == {"name", "email", "message"}
    assert "Enter a valid email address." in errors["email"]
    assert not Conversation.objects.exists()


def test_sign_in_help_is_not_for_finance_nor_the_medical_advisor(client):
    client.post("/help/contact/", MESSAGE)
    contact = Conversation.objects.get()
    staff_login(client, StaffUserFactory(role=Role.FINANCE), PASSWORD)
    assert client.get("/backoffice/inbox/").status_code == 403
    assert client.get(f"/backoffice/conversations/{contact.pk}/").status_code == 403
    client.logout()
    staff_login(client, StaffUserFactory(role=Role.MEDICAL_ADVISOR), PASSWORD)
    assert client.get(f"/backoffice/conversations/{contact.pk}/").status_code == 404  # not medical: not theirs


def test_members_cannot_read_the_inbox(client):
    client.post("/help/contact/", MESSAGE)
    contact = Conversation.objects.get()
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    assert client.get("/backoffice/inbox/").status_code == 403
    assert client.get(f"/backoffice/conversations/{contact.pk}/").status_code == 403


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
    assert Conversation.objects.count() == CONTACTS_PER_HOUR_PER_EMAIL
    assert len(mail.outbox) == CONTACTS_PER_HOUR_PER_EMAIL
    assert "You have already sent several messages" in response.content.decode()
    assert MESSAGE["name"] not in mail.outbox[0].body  # nothing the sender typed is echoed


def test_one_address_cannot_send_many_messages_under_different_emails(client):
    from mutua.support.services import CONTACTS_PER_HOUR_PER_ADDRESS

    for n in range(CONTACTS_PER_HOUR_PER_ADDRESS + 3):
        client.post("/help/contact/", MESSAGE | {"email": f"sender{n}@example.org"})
    assert Conversation.objects.count() == CONTACTS_PER_HOUR_PER_ADDRESS
