"""The member app asks a person to review a decision the rules made alone: the household's items only, one
request per item, never on an item a person decided, and where the request stands once answered."""

from datetime import date
from decimal import Decimal

import pytest

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.api.services import api_token_create
from mutua.api.tests.conftest import ApiClient
from mutua.claims.review import claim_item_decide
from mutua.claims.tests.helpers import GP_VISIT, receipt, submitted_claim
from mutua.conversations import reviews
from mutua.conversations.models import Conversation

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return MemberUserFactory(member__cover_start=date(2020, 1, 1))


@pytest.fixture
def item(user, run_on_commit):
    return run_on_commit(submitted_claim, user, [GP_VISIT]).items.get()


def path(item) -> str:
    return f"/claims/{item.claim_id}/items/{item.pk}/review"


def test_ask_then_read_where_the_review_stands(api, user, item):
    assert api.get(path(item)).json() == {"can_ask": True, "request": None}

    response = api.post_multipart(path(item), {"text": "The AM paid 15.00.", "documents": [receipt()]})

    assert response.status_code == 201, response.content
    state = response.json()
    review = Conversation.objects.get()
    assert state["can_ask"] is False
    assert state["request"]["reference"] == review.reference and state["request"]["status"] == "open"
    assert state["request"]["outcome"] == "" and state["request"]["answered_at"] is None
    assert review.claim_item_id == item.pk and review.kind == Conversation.Kind.REVIEW
    assert review.messages.get().attachments.count() == 1

    again = api.post_multipart(path(item), {"text": "Again."})
    assert again.status_code == 422 and again.json()["code"] == "already_asked"
    assert review.reference in again.json()["detail"][0]

    reviews.review_decide(
        conversation=review,
        by=StaffUserFactory(role=Role.CLAIMS_HANDLER),
        outcome="changed",
        reason="The AM statement shows 15.00.",
        facts={"mr": Decimal("15.00")},
    )
    answered = api.get(path(item)).json()["request"]
    assert (answered["status"], answered["outcome"], answered["outcome_text"]) == (
        "answered",
        "changed",
        "decision changed",
    )
    assert answered["reason"] == "The AM statement shows 15.00." and answered["answered_at"]
    claim = api.get(f"/claims/{item.claim_id}").json()
    assert claim["items"][0]["paid_total"] == "13.00"


def test_an_empty_reason_writes_nothing(api, item):
    response = api.post_multipart(path(item), {"text": " "})
    assert response.status_code == 422 and response.json()["detail"] == ["Write your message."]
    assert not Conversation.objects.exists()


def test_another_households_item_does_not_exist(item):
    other = ApiClient(api_token_create(user=MemberUserFactory(), name="phone")[1])
    for response in (
        other.get(path(item)),
        other.post_multipart(path(item), {"text": "Mine?"}),
        other.get(f"/claims/{item.claim_id + 1}/items/{item.pk}/review"),
    ):
        assert response.status_code == 404
    assert not Conversation.objects.exists()


def test_an_item_a_person_decided_cannot_be_asked(api, user, run_on_commit):
    item = run_on_commit(submitted_claim, user, [GP_VISIT | {"amount": Decimal("250.00")}]).items.get()
    run_on_commit(claim_item_decide, item=item, by=StaffUserFactory(role=Role.CLAIMS_HANDLER), accept=True)

    assert api.get(path(item)).json() == {"can_ask": False, "request": None}
    response = api.post_multipart(path(item), {"text": "Please."})
    assert response.status_code == 422 and response.json()["code"] == "decided_by_person"
    assert not Conversation.objects.exists()
