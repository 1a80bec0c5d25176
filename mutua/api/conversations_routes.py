"""The member's conversations with the management unit, for the mobile app. Scoped to the token's household:
another household's conversation does not exist. The unit's internal notes are never part of a thread."""

from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import File, Form, Router, Status, UploadedFile
from ninja.pagination import paginate

from mutua.accounts.models import User
from mutua.api.conversations_schemas import ConversationIn, ConversationOut, ConversationSummaryOut, ReplyIn
from mutua.api.pagination import Pages
from mutua.api.schemas import NOT_FOUND, UNPROCESSABLE
from mutua.conversations import services
from mutua.conversations.models import Conversation, Message
from mutua.conversations.rounds import active_round
from mutua.conversations.selectors import (
    ComplaintStep,
    complaint_step,
    conversation_of_household,
    conversations_of_household,
)

router = Router()


def _user(request: HttpRequest) -> User:
    return request.auth.user


def _own(request: HttpRequest, conversation_id: int) -> Conversation:
    """The conversation if it is this household's; 404 otherwise, exactly as for one that does not exist."""
    conversation = conversation_of_household(member=_user(request).member, conversation_id=conversation_id)
    if conversation is None:
        raise Http404
    return conversation


def conversation_summary(conversation: Conversation) -> dict[str, object]:
    """A row of the list (``conversations_of_household`` counts its unread messages and dates its activity)."""
    return _summary(conversation, unread=conversation.unread, last_activity=conversation.activity)


def _summary(conversation: Conversation, *, unread: int, last_activity: datetime) -> dict[str, object]:
    return {
        "id": conversation.pk,
        "reference": conversation.reference,
        "kind": conversation.kind,
        "kind_label": str(conversation.get_kind_display()),
        "topic": conversation.topic,
        "topic_label": str(conversation.get_topic_display()),
        "subject": conversation.subject,
        "status": conversation.status,
        "status_label": str(conversation.get_status_display()),
        "medical": conversation.medical,
        "unread": unread,
        "last_activity": last_activity,
        "claim_id": conversation.claim_id,
        "quote_id": conversation.quote_id,
        "guarantee_id": conversation.guarantee_id,
    }


def _message(message: Message) -> dict[str, object]:
    return {
        "id": message.pk,
        "from_member": message.from_member,
        "text": message.text,
        "created_at": message.created_at,
        "read_at": message.read_at,
        "attachments": [
            {
                "id": document.pk,
                "name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
            }
            for document in message.attachments.all()
        ],
    }


def _complaint(conversation: Conversation) -> dict[str, object] | None:
    if conversation.kind != Conversation.Kind.COMPLAINT:
        return None
    step, now = complaint_step(conversation), active_round(conversation)  # the unit's or the quality cell's
    return {
        "step": step,
        "acknowledge_by": now.acknowledge_by,
        "acknowledged_at": now.acknowledged_at,
        "answer_by": now.answer_by,
        "answered_at": now.answered_at,
        "answer_extended_because": now.answer_extended_because,
        "quality_cell_at": conversation.quality_cell_at,
        "quality_cell_email": settings.COMPLAINTS_QUALITY_EMAIL,
        "mediator": {"name": settings.MEDIATOR_NAME, "url": settings.MEDIATOR_URL}
        if step == ComplaintStep.MEDIATOR
        else None,
    }


def conversation_out(conversation: Conversation) -> dict[str, object]:
    thread = conversation.thread
    return _summary(
        conversation,
        unread=sum(1 for message in thread if not message.from_member and message.read_at is None),
        last_activity=conversation.last_message_at or conversation.created_at,
    ) | {
        "complaint": _complaint(conversation),
        "messages": [_message(message) for message in thread],
    }


@router.get("/conversations", response=list[ConversationSummaryOut], summary="List the household's conversations")
@paginate(Pages, page_size=20, present=conversation_summary)
def conversation_list(request: HttpRequest):
    """The latest activity first, with the number of the management unit's messages not read yet."""
    return conversations_of_household(member=_user(request).member)


@router.post(
    "/conversations",
    response={201: ConversationOut, **UNPROCESSABLE},
    summary="Write to the management unit: a message or a complaint, with up to 5 files",
)
def conversation_create(
    request: HttpRequest, data: Form[ConversationIn], documents: File[list[UploadedFile] | None] = None
):
    """Form fields (multipart/form-data with up to 5 files named ``documents``, PDF, JPEG or PNG; or a plain
    urlencoded form without files). A linked claim, quote or guarantee that is not the household's is refused as
    an unknown one. A few new conversations per hour per member."""
    user = _user(request)
    conversation = services.conversation_start(
        member=user.member,
        by=user,
        kind=data.kind,
        topic=data.topic,
        subject=data.subject,
        text=data.text,
        uploads=list(documents or []),
        medical=data.medical,
        claim_id=data.claim_id,
        quote_id=data.quote_id,
        guarantee_id=data.guarantee_id,
        language=get_language(),
    )
    return Status(201, conversation_out(_own(request, conversation.pk)))


@router.get("/conversations/{conversation_id}", response={200: ConversationOut, **NOT_FOUND}, summary="Read one")
def conversation_read(request: HttpRequest, conversation_id: int):
    """The thread, and for a complaint its deadlines and next step. Reading it marks the management unit's
    messages read: their ``read_at`` is the unit's read receipt (``unread`` counts them before this read)."""
    conversation = _own(request, conversation_id)
    shown = conversation_out(conversation)
    services.unit_messages_mark_read(conversation=conversation)
    return shown


@router.post(
    "/conversations/{conversation_id}/messages",
    response={201: ConversationOut, **NOT_FOUND, **UNPROCESSABLE},
    summary="Write again, with up to 5 files",
)
def conversation_reply(
    request: HttpRequest,
    conversation_id: int,
    data: Form[ReplyIn],
    documents: File[list[UploadedFile] | None] = None,
):
    """Form fields as for a new conversation. An answered or closed conversation opens again."""
    conversation = _own(request, conversation_id)
    services.member_reply(conversation=conversation, by=_user(request), text=data.text, uploads=list(documents or []))
    return Status(201, conversation_out(_own(request, conversation_id)))
