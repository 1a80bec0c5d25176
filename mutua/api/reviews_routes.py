"""A member asks a person to review an automatic decision, for the mobile app. Scoped to the token's household:
another household's item answers exactly as a missing one."""

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Schema, Status, UploadedFile
from pydantic import Field

from mutua.api.presenters import language
from mutua.api.schemas import NOT_FOUND, UNPROCESSABLE
from mutua.benefits.models import ClaimItem
from mutua.conversations import reviews
from mutua.conversations.models import Conversation
from mutua.conversations.review_selectors import review_item_automatic, review_item_for_member, review_of_item
from mutua.core.ids import MAX_ID

router = Router()


class ReviewIn(Schema):
    text: str = Field(default="", description="Why a person should look at the decision again (5,000 characters).")


class ReviewRequestOut(Schema):
    id: int
    reference: str = Field(description="The request's reference, as the member's messages show it (M-000123).")
    status: str = Field(description="open, answered or closed.")
    status_text: str
    asked_at: datetime
    outcome: str = Field(description="Empty while unanswered; confirmed or changed.")
    outcome_text: str
    reason: str = Field(description="The person's reason for the outcome, empty while unanswered.")
    answered_at: datetime | None


class ReviewOut(Schema):
    can_ask: bool = Field(description="The decision was made by the rules alone and no review was asked yet.")
    request: ReviewRequestOut | None


def _own_item(request: HttpRequest, claim_id: int, item_id: int) -> ClaimItem:
    item = None
    if 0 < item_id <= MAX_ID and 0 < claim_id <= MAX_ID:
        item = review_item_for_member(member=request.auth.user.member, item_id=item_id)
    if item is None or item.claim_id != claim_id:
        raise Http404
    return item


def _review_out(item: ClaimItem) -> dict[str, object]:
    conversation = review_of_item(item=item)
    return {
        "can_ask": conversation is None and review_item_automatic(item),
        "request": None if conversation is None else _request_out(conversation),
    }


def _request_out(conversation: Conversation) -> dict[str, object]:
    return {
        "id": conversation.pk,
        "reference": conversation.reference,
        "status": conversation.status,
        "status_text": str(conversation.get_status_display()),
        "asked_at": conversation.created_at,
        "outcome": conversation.review_outcome,
        "outcome_text": str(conversation.get_review_outcome_display()) if conversation.review_outcome else "",
        "reason": conversation.review_reason,
        "answered_at": conversation.answered_at,
    }


@router.get(
    "/claims/{claim_id}/items/{item_id}/review",
    response={200: ReviewOut, **NOT_FOUND},
    summary="Where the review of an item's decision stands",
)
def review_read(request: HttpRequest, claim_id: int, item_id: int):
    return _review_out(_own_item(request, claim_id, item_id))


@router.post(
    "/claims/{claim_id}/items/{item_id}/review",
    response={201: ReviewOut, **NOT_FOUND, **UNPROCESSABLE},
    summary="Ask a person to review a decision the rules made alone",
)
def review_ask(
    request: HttpRequest,
    claim_id: int,
    item_id: int,
    data: Form[ReviewIn],
    documents: File[list[UploadedFile] | None] = None,
):
    """Multipart form: ``text`` and up to 5 files (PDF, JPEG or PNG) named ``documents``. One request per item:
    a second one answers 422 ``already_asked`` with the first one's reference; an item a person decided answers
    422 ``decided_by_person``."""
    item = _own_item(request, claim_id, item_id)
    reviews.review_request(
        member=request.auth.user.member,
        item=item,
        text=data.text,
        uploads=list(documents or []),
        by=request.auth.user,
        language=language(),
    )
    return Status(201, _review_out(item))
