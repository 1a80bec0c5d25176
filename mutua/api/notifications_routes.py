"""The member's notifications (every message Mutua sent them, e-mailed or not), for the mobile app."""

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from mutua.api.pagination import Pages
from mutua.api.schemas import MessageOut
from mutua.core.ids import MAX_ID
from mutua.notifications.models import Notification
from mutua.notifications.selectors import notifications_for_member, unread_count
from mutua.notifications.services import notifications_mark_read

router = Router()


class NotificationOut(Schema):
    id: int
    subject: str
    body: str = Field(description="The message, in the language it was written in for the member.")
    link: str = Field(description="The page of the member space it is about (a path); empty when none.")
    created_at: datetime
    read: bool


class UnreadOut(Schema):
    unread: int


def notification_out(notification: Notification) -> dict[str, object]:
    return {
        "id": notification.pk,
        "subject": notification.subject,
        "body": notification.body,
        "link": notification.link,
        "created_at": notification.created_at,
        "read": not notification.unread,
    }


@router.get("/notifications", response=list[NotificationOut], summary="List the member's notifications")
@paginate(Pages, page_size=20, present=notification_out)
def notification_list(request: HttpRequest):
    return notifications_for_member(member=request.auth.user.member)


@router.get("/notifications/unread", response=UnreadOut, summary="How many notifications are not read yet")
def notification_unread(request: HttpRequest):
    return {"unread": unread_count(member=request.auth.user.member)}


@router.post(
    "/notifications/{notification_id}/read",
    response={204: None, 404: MessageOut},
    summary="Mark one notification read",
)
def notification_read(request: HttpRequest, notification_id: int):
    member = request.auth.user.member
    own = 0 < notification_id <= MAX_ID and notifications_for_member(member=member).filter(pk=notification_id)
    if not own or not own.exists():
        raise Http404
    notifications_mark_read(member=member, ids=[notification_id])
    return Status(204, None)
