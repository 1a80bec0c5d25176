"""The member's pages: their household's conversations only, a clear refusal that writes nothing, a complaint's
deadlines and next steps each in its turn, read receipts both ways, and the unit's internal notes never shown."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.claims.services import claim_create
from mutua.claims.tests.helpers import receipt
from mutua.conversations.models import Conversation, Message
from mutua.conversations.services import conversation_start
from mutua.core.tests.helpers import member_login

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


@pytest.fixture
def user():
    return MemberUserFactory()


@pytest.fixture
def member(client, user):
    member_login(client, user.member.member_number, PASSWORD)
    return client


def started(user, **changes):
    arguments = {
        "member": user.member,
        "by": user,
        "kind": "message",
        "topic": "payment",
        "subject": "Virement non reçu",
        "text": "Je n'ai pas reçu le virement.",
        "language": "fr",
    } | changes
    return conversation_start(**arguments)


def unit_answers(conversation, text="Voici notre réponse.", **fields):
    Message.objects.create(conversation=conversation, from_member=False, text=text)
    Conversation.objects.filter(pk=conversation.pk).update(status=Conversation.Status.ANSWERED, **fields)


def page(client, url, language="en"):
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_tile_leads_to_the_messages(member):
    assert 'href="/portal/messages/"' in page(member, "/portal/")


def test_the_pages_render_in_every_language(member, user):
    conversation = started(user, kind="complaint")
    for language in ("fr", "en", "ar"):
        for url in ("/portal/messages/", "/portal/messages/new/", f"/portal/messages/{conversation.pk}/"):
            assert f'lang="{language}"' in page(member, url, language)
    assert 'dir="rtl"' in page(member, f"/portal/messages/{conversation.pk}/", "ar")


def test_another_households_conversation_does_not_exist(member, user):
    other = started(MemberUserFactory())
    started(user, subject="Le mien")
    listing = page(member, "/portal/messages/")
    assert "Le mien" in listing and "Virement non reçu" not in listing
    assert member.get(f"/portal/messages/{other.pk}/").status_code == 404
    assert member.get("/portal/messages/999999/").status_code == 404
    assert member.post(f"/portal/messages/{other.pk}/reply/", {"text": "Intrus"}).status_code == 404
    assert member.post(f"/portal/messages/{other.pk}/quality-cell/", {"text": "Intrus"}).status_code == 404
    assert other.messages.count() == 1


def form(**changes):
    return {"subject": "Mes lunettes", "topic": "claim", "kind": "message", "text": "Où en est-elle ?"} | changes


def test_a_new_message_about_one_of_their_claims(member, user):
    claim = claim_create(member=user.member, beneficiary=None, name="Lunettes")
    claim_create(member=MemberUserFactory().member, beneficiary=None, name="Dentiste d'un autre")
    html = page(member, f"/portal/messages/new/?link=claim:{claim.pk}")
    assert f'<option value="claim:{claim.pk}" selected>' in html and "Dentiste d'un autre" not in html
    assert f"Lunettes · {user.member.first_name} (" in html  # whose care: two claims of one day read alike
    response = member.post("/portal/messages/new/", form(link=f"claim:{claim.pk}", documents=[receipt()]))
    conversation = Conversation.objects.get()
    assert response.headers["Location"] == f"/portal/messages/{conversation.pk}/"
    assert conversation.claim == claim and conversation.member == user.member
    html = page(member, response.headers["Location"])
    assert "Où en est-elle ?" in html and f'href="/portal/claims/{claim.pk}/"' in html
    document = conversation.messages.get().attachments.get()
    assert f'href="/documents/{document.pk}/"' in html
    assert member.get(f"/documents/{document.pk}/").status_code == 200


def test_the_claim_page_leads_to_a_message_about_that_claim(member, user, run_tasks):
    from mutua.claims.tests.helpers import GP_VISIT, submitted_claim

    claim = run_tasks(submitted_claim, user, [GP_VISIT])
    claim_page = page(member, f"/portal/claims/{claim.pk}/")
    link = f"/portal/messages/new/?topic=claim&amp;link=claim:{claim.pk}"
    assert f'href="{link}">A question about this claim? Write to your management unit</a>' in claim_page
    html = page(member, link.replace("&amp;", "&"))
    assert f'<option value="claim:{claim.pk}" selected>' in html and '<option value="claim" selected>' in html


def test_a_foreign_or_unknown_claim_is_refused_alike_and_nothing_is_written(member):
    other = claim_create(member=MemberUserFactory().member, beneficiary=None, name="Dentiste")
    for link in (f"claim:{other.pk}", f"claim:{other.pk + 100}"):
        response = member.post("/portal/messages/new/", form(link=link), headers=EN)
        assert response.status_code == 422
        assert "We cannot find this claim among yours." in response.content.decode()
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_bad_input_on_the_page_says_what_is_wrong_and_writes_nothing(member, settings):
    response = member.post(
        "/portal/messages/new/", form(text="", documents=[receipt(salt=str(n)) for n in range(6)]), headers=EN
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Write your message." in html and "Attach at most 5 files to one message (here 6)." in html
    settings.DOCUMENT_MAX_BYTES = 100
    response = member.post("/portal/messages/new/", form(documents=[receipt("gros.pdf")]), headers=EN)
    assert response.status_code == 422 and "gros.pdf: " in response.content.decode()
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_the_allowance_is_said_on_the_page(member, user):
    conversation = started(user)
    for _n in range(20):
        assert member.post(f"/portal/messages/{conversation.pk}/reply/", {"text": "Relance"}).status_code == 302
    response = member.post(f"/portal/messages/{conversation.pk}/reply/", {"text": "Relance"}, headers=EN)
    assert response.status_code == 422
    assert "You have sent many messages in the last hour." in response.content.decode()
    response = member.post(
        f"/portal/messages/{conversation.pk}/reply/", {"text": "Relance"}, headers={"Accept-Language": "fr"}
    )
    assert "Vous avez envoyé beaucoup de messages au cours de la dernière heure." in response.content.decode()
    assert conversation.messages.count() == 21


@time_machine.travel(datetime(2026, 4, 30, 9, tzinfo=UTC), tick=False)
def test_a_complaint_shows_its_deadlines_in_the_readers_language(member):
    member.post("/portal/messages/new/", form(kind="complaint"))
    url = f"/portal/messages/{Conversation.objects.get().pk}/"
    english = page(member, url, "en")
    assert "by 15 May 2026 at the latest" in english and "by 30 June 2026 at the latest" in english
    french = page(member, url, "fr")
    assert "15 mai 2026" in french and "30 juin 2026" in french
    # Acknowledged only: the member does not read "Answered" while the answer is still due.
    Conversation.objects.filter(pk=url.split("/")[-2]).update(
        status=Conversation.Status.ANSWERED, acknowledged_at=timezone.now()
    )
    for html in (page(member, url, "en"), page(member, "/portal/messages/", "en")):
        assert "Acknowledged: answer due by 30 June 2026" in html and ">Answered<" not in html


def test_the_quality_cell_then_the_mediator_appear_each_in_its_turn(member, user, settings):
    settings.MEDIATOR_NAME = "Médiateur Exemple"
    complaint = started(user, kind="complaint")
    url = f"/portal/messages/{complaint.pk}/"
    button, mediator = "Send my complaint to the quality cell", "Médiateur Exemple"
    html = page(member, url)
    assert button not in html and mediator not in html
    assert member.post(f"{url}quality-cell/", {"text": "Trop tôt"}, headers=EN).status_code == 422

    unit_answers(complaint, answered_at=timezone.now())
    html = page(member, url)
    assert button in html and mediator not in html
    response = member.post(f"{url}quality-cell/", {"text": "La réponse ne me satisfait pas."})
    assert response.status_code == 302

    html = page(member, url)
    assert button not in html and mediator not in html and "Sent to the quality cell on" in html
    unit_answers(complaint, text="Réponse de la cellule qualité", qc_answered_at=timezone.now())
    html = page(member, url)
    assert button not in html and mediator in html and settings.MEDIATOR_URL in html


def test_read_receipts_both_ways(member, user):
    conversation = started(user)
    url = f"/portal/messages/{conversation.pk}/"
    assert "Not read yet" in page(member, url)
    Message.objects.filter(from_member=True).update(read_at=datetime(2026, 5, 4, 14, 30, tzinfo=UTC))
    assert "Read on 4 May 2026" in page(member, url)

    unit_answers(conversation)
    assert "1 new answer" in page(member, "/portal/messages/")
    html = page(member, url)
    assert "Voici notre réponse." in html and '<strong class="status new">new</strong>' in html
    assert Message.objects.get(from_member=False).read_at is not None  # the unit sees it was read
    assert "status new" not in page(member, url) and "new answer" not in page(member, "/portal/messages/")


def test_internal_notes_are_never_shown_to_the_member(member, user):
    conversation = started(user)
    Message.objects.create(conversation=conversation, from_member=False, internal=True, text="Note interne secrète")
    assert "Note interne secrète" not in page(member, f"/portal/messages/{conversation.pk}/")
    assert "new answer" not in page(member, "/portal/messages/")  # nor counted as an answer
