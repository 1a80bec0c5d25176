"""Who opens the unit's inbox: the handlers and administrators; a medical conversation for the medical advisor
alone (404 for anyone else, as for one that does not exist); members and finance never."""

import pytest

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.conversations import handling
from mutua.conversations.models import Conversation
from mutua.conversations.services import conversation_start
from mutua.core.models import SecurityEvent
from mutua.core.tests.helpers import member_login, staff_login

pytestmark = pytest.mark.django_db


def start(user, **changes):
    arguments = {
        "member": user.member,
        "by": user,
        "kind": "message",
        "topic": "claim",
        "subject": "Remboursement",
        "text": "Où en est mon remboursement ?",
        "language": "fr",
    } | changes
    return conversation_start(**arguments)


def pages(conversation_id):
    base = f"/backoffice/conversations/{conversation_id}/"
    return {
        "get": ["/backoffice/conversations/", "/backoffice/conversations/report/", base],
        "post": [base, base + "note/", base + "extend/", base + "assign/", base + "close/"],
    }


@pytest.mark.parametrize("role", [Role.FINANCE])
def test_finance_is_refused_every_inbox_page(client, role):
    conversation = start(MemberUserFactory())
    staff_login(client, StaffUserFactory(role=role), PASSWORD)
    urls = pages(conversation.pk)
    assert {client.get(url).status_code for url in urls["get"]} == {403}
    assert {client.post(url, {"text": "x"}).status_code for url in urls["post"]} == {403}
    assert not conversation.messages.filter(from_member=False).exists()


def test_a_member_is_refused_every_inbox_page_even_their_own_conversation(client):
    user = MemberUserFactory()
    conversation = start(user)
    member_login(client, user.username, PASSWORD)
    urls = pages(conversation.pk)
    assert {client.get(url).status_code for url in urls["get"]} == {403}
    assert {client.post(url, {"text": "x"}).status_code for url in urls["post"]} == {403}


def test_someone_not_signed_in_is_sent_to_the_back_office_login(client):
    response = client.get("/backoffice/conversations/")
    assert response.status_code == 302 and response["Location"].startswith("/backoffice/login/")


def test_a_medical_conversation_is_the_medical_advisors_alone(client):
    member = MemberUserFactory()
    medical = start(member, subject="Mon traitement", text="Résultats d'analyse joints.", medical=True)
    plain = start(member, subject="Mon adresse")
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    staff_login(client, handler, PASSWORD)
    urls = pages(medical.pk)
    assert {client.get(url).status_code for url in urls["get"][2:]} == {404}
    assert {client.post(url, {"text": "Vu."}).status_code for url in urls["post"]} == {404}
    assert client.get("/backoffice/conversations/999999/").status_code == 404  # a missing one answers alike
    listed = [row.conversation for row in client.get("/backoffice/conversations/").context["page"].object_list]
    assert listed == [plain]
    assert not medical.messages.filter(from_member=False).exists()

    advisor = StaffUserFactory(role=Role.MEDICAL_ADVISOR)
    client.logout()
    staff_login(client, advisor, PASSWORD)
    page = client.get(f"/backoffice/conversations/{medical.pk}/")
    assert page.status_code == 200 and "Résultats d&#x27;analyse joints." in page.content.decode()
    # Each reading of a medical conversation is recorded, as a medical document's is; a plain one's is not.
    readings = SecurityEvent.objects.filter(action=SecurityEvent.Action.MEDICAL_CONVERSATION_READ)
    assert list(readings.values_list("target", "by")) == [(f"conversation={medical.pk}", advisor.pk)]
    listed = [row.conversation for row in client.get("/backoffice/conversations/").context["page"].object_list]
    assert listed == [medical]  # the advisor reads the medical ones, not the unit's other mail
    assert client.get(f"/backoffice/conversations/{plain.pk}/").status_code == 404
    response = client.post(f"/backoffice/conversations/{medical.pk}/", {"text": "Je regarde vos résultats."})
    # Back to the top, where "Reply sent" is said: not to the empty form the #reply anchor would land on.
    assert response.status_code == 302 and response["Location"] == f"/backoffice/conversations/{medical.pk}/#main"
    assert medical.messages.filter(author=advisor).exists()


def test_the_services_check_the_role_themselves():
    from django.core.exceptions import PermissionDenied

    medical = start(MemberUserFactory(), medical=True)
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    for call, arguments in [
        (handling.staff_reply, {"text": "Bonjour"}),
        (handling.note_add, {"text": "Note"}),
        (handling.conversation_assign, {"to": handler}),
        (handling.conversation_close, {}),
    ]:
        with pytest.raises(PermissionDenied):
            call(conversation=medical, by=handler, **arguments)
    with pytest.raises(PermissionDenied):
        handling.staff_reply(conversation=start(MemberUserFactory()), by=StaffUserFactory(role=Role.FINANCE), text="x")


def test_internal_notes_never_reach_the_members_page(client):
    user = MemberUserFactory()
    conversation = start(user)
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    handling.note_add(conversation=conversation, by=handler, text="Membre déjà relancé deux fois, vérifier le RIB.")
    handling.staff_reply(conversation=conversation, by=handler, text="Votre remboursement part demain.")
    member_login(client, user.username, PASSWORD)
    body = client.get(f"/portal/messages/{conversation.pk}/").content.decode()
    assert "Votre remboursement part demain." in body
    assert "vérifier le RIB" not in body
    conversation.refresh_from_db()
    assert conversation.status == "answered"  # the note moved nothing, the reply did


def test_a_review_request_in_the_inbox_links_to_its_review_page(client):
    member = MemberUserFactory().member
    review = Conversation.objects.create(
        kind="review", member=member, subject="Revoir la décision", language="fr", topic="claim"
    )
    staff_login(client, StaffUserFactory(role=Role.CLAIMS_HANDLER), PASSWORD)
    (row,) = client.get("/backoffice/conversations/", {"kind": "review"}).context["page"].object_list
    assert row.conversation == review and row.review_link == f"/backoffice/reviews/{review.pk}/"
    assert row.review_link in client.get(f"/backoffice/conversations/{review.pk}/").content.decode()
