"""The member app's conversations with the management unit: the household's only, refusals that write nothing,
a complaint's deadlines, read receipts, and the unit's internal notes never sent."""

from datetime import UTC, datetime

import pytest
import time_machine

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.api.services import api_token_create
from mutua.api.tests.conftest import ApiClient
from mutua.claims.services import claim_create
from mutua.claims.tests.helpers import receipt
from mutua.conversations.models import Conversation, Message
from mutua.conversations.services import conversation_start

pytestmark = pytest.mark.django_db


def fields(**changes):
    return {"subject": "Remboursement", "topic": "claim", "text": "Bonjour, où en est ma demande ?"} | changes


def test_write_read_and_reply_with_files(api, user):
    claim = claim_create(member=user.member, beneficiary=None, name="Kiné")
    response = api.post_multipart("/conversations", fields(claim_id=claim.pk, documents=[receipt()]))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["reference"] == f"M-{created['id']:06d}" and created["claim_id"] == claim.pk
    assert (created["kind"], created["status"], created["complaint"]) == ("message", "open", None)
    [message] = created["messages"]
    assert message["from_member"] and message["read_at"] is None
    [attachment] = message["attachments"]
    assert api.get(f"/documents/{attachment['id']}").status_code == 200

    reply = api.post_multipart(f"/conversations/{created['id']}/messages", {"text": "Et aussi ceci."})
    assert reply.status_code == 201 and len(reply.json()["messages"]) == 2
    [row] = api.get("/conversations").json()["items"]
    assert (row["id"], row["unread"]) == (created["id"], 0)


def test_another_household_does_not_exist_for_the_app(api):
    other_user = MemberUserFactory()
    other = conversation_start(
        member=other_user.member, by=other_user, kind="message", topic="other", subject="Privé", text="x", language="fr"
    )
    assert api.get("/conversations").json()["items"] == []
    assert api.get(f"/conversations/{other.pk}").json() == {"detail": "Not found."}
    assert api.get(f"/conversations/{other.pk}").status_code == 404
    assert api.get("/conversations/99999999999999999999").status_code in {404, 422}
    assert api.post_multipart(f"/conversations/{other.pk}/messages", {"text": "Intrus"}).status_code == 404
    assert other.messages.count() == 1


def test_a_foreign_claim_is_refused_like_an_unknown_one_and_nothing_is_written(api):
    other = claim_create(member=MemberUserFactory().member, beneficiary=None, name="Dentiste")
    foreign = api.post_multipart("/conversations", fields(claim_id=other.pk))
    unknown = api.post_multipart("/conversations", fields(claim_id=other.pk + 1000))
    assert foreign.status_code == unknown.status_code == 422
    assert (
        foreign.json()
        == unknown.json()
        == {
            "detail": ["We cannot find this claim among yours."],
            "code": "unknown_claim",
        }
    )
    assert not Conversation.objects.exists()


def test_bad_input_says_every_problem_and_writes_nothing(api, settings):
    files = [receipt(f"f{n}.pdf", salt=str(n)) for n in range(6)]
    response = api.post_multipart("/conversations", fields(text="", documents=files))
    assert response.status_code == 422
    assert response.json()["detail"] == ["Write your message.", "Attach at most 5 files to one message (here 6)."]
    settings.DOCUMENT_MAX_BYTES = 100
    response = api.post_multipart("/conversations", fields(documents=[receipt("gros.pdf")]))
    assert response.status_code == 422 and response.json()["detail"][0].startswith("gros.pdf: ")
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_too_many_new_conversations_in_an_hour(api):
    for n in range(5):
        assert api.post_multipart("/conversations", fields(subject=f"Question {n}")).status_code == 201
    response = api.post_multipart("/conversations", fields())
    assert response.status_code == 422 and response.json()["code"] == "quota"
    assert response.json()["detail"][0].startswith("You have sent many messages in the last hour.")
    assert Conversation.objects.count() == 5


@time_machine.travel(datetime(2026, 4, 30, 9, tzinfo=UTC), tick=False)
def test_a_complaint_has_its_deadlines(user):
    api = ApiClient(api_token_create(user=user, name="phone")[1])
    complaint = api.post_multipart("/conversations", fields(kind="complaint")).json()["complaint"]
    assert complaint["step"] == "unit" and complaint["mediator"] is None
    assert (complaint["acknowledge_by"], complaint["answer_by"]) == ("2026-05-15", "2026-06-30")


def test_reading_marks_the_units_answer_read_and_internal_notes_are_never_sent(api, user):
    conversation_id = api.post_multipart("/conversations", fields()).json()["id"]
    conversation = Conversation.objects.get(pk=conversation_id)
    Message.objects.create(conversation=conversation, from_member=False, text="Réponse de l'unité")
    Message.objects.create(conversation=conversation, from_member=False, internal=True, text="Note interne")
    assert api.get("/conversations").json()["items"][0]["unread"] == 1
    first = api.get(f"/conversations/{conversation_id}").json()
    assert [m["text"] for m in first["messages"]] == ["Bonjour, où en est ma demande ?", "Réponse de l'unité"]
    assert first["unread"] == 1
    assert "Note interne" not in str(api.get(f"/conversations/{conversation_id}").content)
    assert Message.objects.get(text="Réponse de l'unité").read_at is not None
    assert api.get("/conversations").json()["items"][0]["unread"] == 0


def test_a_refusal_is_said_in_the_requests_language(user):
    api = ApiClient(api_token_create(user=user, name="phone")[1], language="fr")
    response = api.post_multipart("/conversations", fields(claim_id=12345))
    assert response.json()["detail"] == ["Nous ne trouvons pas cette demande de remboursement parmi les vôtres."]
