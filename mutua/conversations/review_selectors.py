"""Reads of review requests: which items a member may ask a person to review, and where each request stands."""

from typing import cast

from django.db.models import QuerySet

from mutua.benefits.models import Claim, ClaimItem
from mutua.contracts.models import Member
from mutua.conversations.models import Conversation


def review_item_automatic(item: ClaimItem) -> bool:
    """Decided by the rules alone (an online claim or an AM file's line), not by a person."""
    return item.decided_by_id is None and item.status in (ClaimItem.Status.ACCEPTED, ClaimItem.Status.REJECTED)


def review_of_item(*, item: ClaimItem) -> Conversation | None:
    """The item's latest review request, open or answered."""
    return Conversation.objects.filter(kind=Conversation.Kind.REVIEW, claim_item=item).order_by("-pk").first()


def reviews_of_claim(*, claim: Claim) -> dict[int, Conversation]:
    """Each item's latest review request, by the item's primary key."""
    requests = Conversation.objects.filter(kind=Conversation.Kind.REVIEW, claim=claim).order_by("pk")
    return {request.claim_item_id: request for request in requests}


def lines_with_reviews(lines: list[dict[str, object]], *, claim: Claim) -> list[dict[str, object]]:
    """The claim page's lines (``claims.selectors.items_for_display``) with each item's review by a person: the
    one asked (``review``), or whether the member may ask one (``can_ask_review``: the rules decided alone)."""
    reviews = reviews_of_claim(claim=claim)
    for line in lines:
        item = cast(ClaimItem, line["item"])
        line["review"] = reviews.get(item.pk)
        line["can_ask_review"] = item.pk not in reviews and review_item_automatic(item)
    return lines


def review_item_for_member(*, member: Member, item_id: int) -> ClaimItem | None:
    """The item if it belongs to this member's household; None otherwise (the same answer as a missing one)."""
    return (
        ClaimItem.objects.filter(claim__member=member, pk=item_id)
        .exclude(claim__status=Claim.Status.DRAFT)
        .select_related("claim__member", "claim__beneficiary")
        .first()
    )


def review_for_handler(*, conversation_id: int) -> Conversation | None:
    return (
        Conversation.objects.filter(kind=Conversation.Kind.REVIEW, pk=conversation_id, claim_item__isnull=False)
        .select_related("member", "claim", "claim_item__claim__member", "reviewed_by")
        .first()
    )


def review_member_messages(*, conversation: Conversation) -> QuerySet:
    """What the member wrote, with their files (never the unit's internal notes)."""
    return conversation.messages.filter(from_member=True, internal=False).prefetch_related("attachments")
