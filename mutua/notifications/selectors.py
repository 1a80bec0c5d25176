from django.db.models import QuerySet

from mutua.contracts.models import Member
from mutua.notifications.models import Notification


def notifications_for_member(*, member: Member) -> QuerySet[Notification]:
    """The member's own notifications, newest first (never another household's, nor a staff address's)."""
    return Notification.objects.filter(member=member)


def unread_count(*, member: Member) -> int:
    return Notification.objects.filter(member=member, read_at__isnull=True).count()
