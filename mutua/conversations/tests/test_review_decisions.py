"""A handler answers a review request: the decision confirmed (no money moves) or changed on corrected facts the
engine computes again (the ledger follows); the member reads the reason in their language, is told without any
health detail, and the claim's page shows the new amount and who reviewed it. Management unit roles only."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.benefits.models import ClaimItem
from mutua.benefits.payables import item_owed
from mutua.claims.tests.helpers import GP_VISIT, submitted_claim
from mutua.conversations import handling, reviews
from mutua.conversations.models import Conversation
from mutua.core.models import StatusChange
from mutua.core.tests.helpers import member_login, staff_login
from mutua.notifications.models import Notification

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


@pytest.fixture
def member():
    return MemberUserFactory(
        member__cover_start=date(2020, 1, 1), member__first_name="Léa", member__preferred_language="fr"
    )


@pytest.fixture
def review(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(member, [GP_VISIT])
    item = claim.items.get()
    return reviews.review_request(
        member=member.member, item=item, text="The AM paid 15.00.", uploads=[], by=member, language="fr"
    )


@pytest.fixture
def handler(client):
    user = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    staff_login(client, user, PASSWORD)
    return user


def answer(client, review, **fields):
    return client.post(f"/backoffice/reviews/{review.pk}/", fields, headers=EN)


def test_the_handlers_page_shows_the_item_the_engines_explanation_and_the_members_reasons(client, review, handler):
    page = client.get(f"/backoffice/reviews/{review.pk}/", headers=EN).content.decode()
    assert "General practitioner" in page and "How the rules decided" in page
    assert review.claim_item.explanation["plain"]["en"][0].replace("'", "&#x27;") in page
    assert "The AM paid 15.00." in page
    assert 'name="outcome"' in page and 'name="mr"' in page and 'name="amount"' in page
    assert 'name="paid_total"' not in page  # never an amount to pay typed in


@pytest.mark.parametrize("role", [Role.MEDICAL_ADVISOR, Role.FINANCE])
def test_only_the_management_unit_answers(review, role):
    client = Client()
    staff_login(client, StaffUserFactory(role=role), PASSWORD)
    assert client.get(f"/backoffice/reviews/{review.pk}/").status_code == 403
    assert answer(client, review, outcome="confirmed", reason="Fine").status_code == 403
    member_client = Client()
    member_login(member_client, review.member.member_number, PASSWORD)
    assert member_client.get(f"/backoffice/reviews/{review.pk}/").status_code in (302, 403)
    review.refresh_from_db()
    assert review.review_outcome == "" and review.status == Conversation.Status.OPEN


def test_a_changed_decision_is_computed_again_paid_and_told_to_the_member_in_their_language(
    client, review, handler, member, django_capture_on_commit_callbacks
):
    item = review.claim_item
    with django_capture_on_commit_callbacks(execute=True):
        response = answer(
            client,
            review,
            outcome="changed",
            reason="Le relevé de l'Assurance Maladie indique 15,00 €.",
            decision="accept",
            amount="30.00",
            br="",
            mr="15.00",
            quantity="1",
        )

    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.paid_total == Decimal("13.00") and item_owed(item=item) == Decimal("13.00")
    assert item.decided_by == handler
    review.refresh_from_db()
    assert review.status == Conversation.Status.ANSWERED and review.review_outcome == "changed"
    assert review.reviewed_by == handler and review.answered_at is not None
    assert StatusChange.objects.filter(object_id=str(review.pk), to_status="answered", changed_by=handler).exists()
    reply = review.messages.filter(from_member=False).get()
    assert reply.text.startswith("Une personne a réexaminé cette décision et l’a modifiée")
    assert "13,00\xa0€" in reply.text and "15,00 €." in reply.text
    # It paid 9.00 before: the member is told the 4.00 difference follows with the next reimbursements.
    assert "La différence, 4,00\xa0€, vous est versée avec vos prochains remboursements." in reply.text
    notification = Notification.objects.get(member=member.member, template="conversations/email/review_answered")
    assert notification.link == f"/portal/claims/{item.claim_id}/"
    (email,) = [message for message in mail.outbox if message.to == [member.email]][-1:]
    assert "Généraliste" not in email.body and "15,00" not in email.body and "13,00" not in email.body
    assert review.reference in email.body

    member_client = Client()
    member_login(member_client, member.username, PASSWORD)
    page = member_client.get(f"/portal/claims/{item.claim_id}/", headers=EN).content.decode()
    assert "€13.00" in page and "Reviewed by a person on" in page and "decision changed" in page
    assert "Ask a person to review this decision</button>" not in page


def test_a_confirmed_decision_moves_no_money(client, review, handler, django_capture_on_commit_callbacks):
    item = review.claim_item
    payables = list(item.payables.values_list("pk", "amount"))
    with django_capture_on_commit_callbacks(execute=True):
        response = answer(client, review, outcome="confirmed", reason="The AM statement shows 19.00.")

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.paid_total == Decimal("9.00") and item.decided_by is None and item.status == ClaimItem.Status.ACCEPTED
    assert list(item.payables.values_list("pk", "amount")) == payables
    review.refresh_from_db()
    assert (review.review_outcome, review.status) == ("confirmed", Conversation.Status.ANSWERED)
    assert "a réexaminé cette décision et l’a confirmée" in review.messages.filter(from_member=False).get().text
    assert client.get(f"/backoffice/reviews/{review.pk}/", headers=EN).status_code == 200
    assert answer(client, review, outcome="changed", reason="again").status_code == 200  # answered: no form
    review.refresh_from_db()
    assert review.review_outcome == "confirmed"


def test_bad_answers_come_back_with_their_message_and_nothing_moves(client, review, handler):
    item = review.claim_item
    response = answer(client, review, outcome="changed", reason="", decision="accept", amount="30.00", mr="19.00")
    assert response.status_code == 422
    assert "Give the reason for the decision: the member reads it." in response.content.decode()
    response = answer(client, review, outcome="changed", reason="x", decision="accept", amount="30.00", mr="19.00")
    assert response.status_code == 422
    assert "Correct at least one fact the decision rests on, or confirm the decision." in response.content.decode()
    response = answer(client, review, outcome="changed", reason="x", decision="reject", amount="30.00", mr="19.00")
    assert response.status_code == 422 and "Choose the reason for the refusal." in response.content.decode()
    item.refresh_from_db()
    review.refresh_from_db()
    assert item.paid_total == Decimal("9.00") and item.payables.count() == 1
    assert review.status == Conversation.Status.OPEN and not review.messages.filter(from_member=False).exists()


def test_a_paid_item_refused_on_review_takes_the_payment_back(client, review, handler):
    item = review.claim_item
    response = answer(
        client, review, outcome="changed", reason="Claimed twice.", decision="reject", refusal="duplicate"
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ClaimItem.Status.REJECTED and item_owed(item=item) == Decimal("0.00")
    reply = review.messages.filter(from_member=False).get()
    assert "Les 9,00\xa0€ payés en trop sont déduits de vos prochains remboursements" in reply.text


def test_a_review_answered_first_by_a_plain_reply_can_still_be_decided(review, member):
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    handling.staff_reply(conversation=review, by=handler, text="Could you send the AM statement?")
    review.refresh_from_db()
    assert review.status == Conversation.Status.ANSWERED

    reviews.review_decide(conversation=review, by=handler, outcome="confirmed", reason="The AM paid 15.00.")

    review.refresh_from_db()
    assert (review.review_outcome, review.status) == ("confirmed", Conversation.Status.ANSWERED)
    assert StatusChange.objects.filter(object_id=str(review.pk), to_status="answered").count() == 2


def test_a_review_nobody_decided_cannot_be_closed(review):
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    with pytest.raises(ValidationError) as refused:
        handling.conversation_close(conversation=review, by=handler, reason="done")
    assert refused.value.code == "undecided"
    review.refresh_from_db()
    assert review.status == Conversation.Status.OPEN

    reviews.review_decide(conversation=review, by=handler, outcome="confirmed", reason="Right.")
    closed = handling.conversation_close(conversation=review, by=handler, reason="done")
    assert closed.status == Conversation.Status.CLOSED
