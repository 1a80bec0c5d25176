"""A member asks a person to review a decision the rules made alone: the button under each such item of the
claim's page, a short page with the engine's explanation, one open request per item, the household's items
only, nothing half-written on bad input."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.benefits.models import ClaimItem
from mutua.claims.review import claim_item_decide
from mutua.claims.tests.helpers import GP_VISIT, submitted_claim
from mutua.conversations import reviews
from mutua.conversations.models import Conversation, Message
from mutua.core.tests.helpers import member_login
from mutua.documents.tests.pdfs import blank_pdf

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}
ABOVE_LIMIT = GP_VISIT | {"amount": Decimal("250.00")}  # waits for a handler: a person decides it


@pytest.fixture
def member(client):
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1))
    member_login(client, user.username, PASSWORD)
    return user


@pytest.fixture
def item(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(member, [GP_VISIT])
    item = claim.items.get()
    assert item.status == ClaimItem.Status.ACCEPTED and item.decided_by is None
    return item


def ask(client, item, text="The AM paid 15.00, not 19.00: see its statement.", **files):
    return client.post(f"/portal/messages/review/items/{item.pk}/", {"text": text, **files}, headers=EN)


def test_the_claims_page_offers_the_review_under_an_automatic_decision_and_the_page_shows_the_explanation(client, item):
    page = client.get(f"/portal/claims/{item.claim_id}/", headers=EN).content.decode()
    assert f'action="/portal/messages/review/items/{item.pk}/"' in page
    assert "Ask a person to review this decision" in page

    page = client.get(f"/portal/messages/review/items/{item.pk}/", headers=EN).content.decode()
    assert "How the rules decided" in page
    for sentence in item.explanation["plain"]["en"]:
        assert sentence.replace("'", "&#x27;") in page
    assert "Why should a person look at this decision again?" in page


def test_a_request_opens_a_review_conversation_with_the_members_words_and_files(client, item):
    document = SimpleUploadedFile("statement.pdf", blank_pdf("am"), content_type="application/pdf")

    response = ask(client, item, documents=document)

    assert response.status_code == 302 and response["Location"] == f"/portal/claims/{item.claim_id}/#item-{item.pk}"
    review = Conversation.objects.get()
    assert (review.kind, review.topic, review.claim_id, review.claim_item_id) == (
        Conversation.Kind.REVIEW,
        Conversation.Topic.CLAIM,
        item.claim_id,
        item.pk,
    )
    assert review.member == item.claim.member and review.language == "en" and review.status == "open"
    (message,) = review.messages.all()
    assert message.from_member and message.text == "The AM paid 15.00, not 19.00: see its statement."
    assert [document.original_name for document in message.attachments.all()] == ["statement.pdf"]
    assert "How the rules decided" not in message.text  # the explanation is the item's, never copied
    page = client.get(f"/portal/claims/{item.claim_id}/", headers=EN).content.decode()
    assert "You asked a person to review this decision on" in page
    assert "Ask a person to review this decision</button>" not in page


def test_a_second_request_points_to_the_open_one(client, item):
    ask(client, item)
    review = Conversation.objects.get()

    page = client.get(f"/portal/messages/review/items/{item.pk}/", headers=EN).content.decode()
    assert f"(request {review.reference})" in page and f"/portal/messages/{review.pk}/" in page
    assert "<form" not in page.split("<main", 1)[1].split("review-earlier", 1)[1]
    response = ask(client, item, text="Again")
    assert response.status_code == 200
    assert Conversation.objects.count() == 1 and Message.objects.count() == 1


def test_an_empty_reason_or_a_sixth_file_is_refused_and_nothing_is_written(client, item):
    response = ask(client, item, text="  ")
    assert response.status_code == 422 and "Write your message." in response.content.decode()
    files = [SimpleUploadedFile(f"f{n}.pdf", blank_pdf(f"s{n}"), content_type="application/pdf") for n in range(6)]
    response = ask(client, item, documents=files)
    assert response.status_code == 422
    assert "Attach at most 5 files to one message (here 6)." in response.content.decode()
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_another_households_item_is_not_found(item, django_capture_on_commit_callbacks):
    other = MemberUserFactory(member__cover_start=date(2020, 1, 1))
    client = Client()
    member_login(client, other.username, PASSWORD)

    assert client.get(f"/portal/messages/review/items/{item.pk}/").status_code == 404
    assert ask(client, item).status_code == 404
    assert client.get("/portal/messages/review/items/999999/").status_code == 404
    assert not Conversation.objects.exists()


def test_an_item_a_person_decided_has_no_button_and_no_review_page(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(member, [ABOVE_LIMIT])
    item = claim.items.get()
    assert item.status == ClaimItem.Status.IN_REVIEW
    assert "Ask a person to review" not in client.get(f"/portal/claims/{claim.pk}/", headers=EN).content.decode()
    assert client.get(f"/portal/messages/review/items/{item.pk}/").status_code == 404  # not decided yet

    with django_capture_on_commit_callbacks(execute=True):
        claim_item_decide(item=item, by=StaffUserFactory(role=Role.CLAIMS_HANDLER), accept=True)

    assert "Ask a person to review" not in client.get(f"/portal/claims/{claim.pk}/", headers=EN).content.decode()
    assert client.get(f"/portal/messages/review/items/{item.pk}/").status_code == 404
    assert ask(client, item).status_code == 404
    assert not Conversation.objects.exists()


def test_requests_are_limited_per_household(client, member, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("mutua.conversations.reviews.REQUESTS_PER_DAY", 1)
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(member, [GP_VISIT, GP_VISIT | {"care_date": date(2026, 3, 9)}])
    first, second = claim.items.order_by("pk")
    assert ask(client, first).status_code == 302

    response = ask(client, second)

    assert response.status_code == 422 and "You sent many review requests today" in response.content.decode()
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "day"), [("fr", "2 mars 2026"), ("en", "2 March 2026"), ("es", "2 de marzo de 2026")]
)
def test_the_requests_subject_writes_the_care_date_as_the_members_language_does(member, item, language, day):
    conversation = reviews.review_request(
        member=member.member, item=item, text="Please look again.", uploads=[], by=member, language=language
    )
    assert conversation.subject.endswith(day)
