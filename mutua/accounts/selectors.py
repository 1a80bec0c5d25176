from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from mutua.core.models import SecurityEvent


@dataclass(frozen=True)
class Lockout:
    kind: str  # "username" or "ip_address", the two things django-axes locks
    value: str
    failures: int
    last_attempt: datetime


def lockouts_current() -> list[Lockout]:
    """Login names and addresses locked out right now, counted as django-axes counts them:
    the failures of every attempt row of the last cool-off period, added up."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    lockouts = []
    for kind in ("username", "ip_address"):
        rows = (
            recent.exclude(**{f"{kind}__isnull": True})
            .values(kind)
            .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        )
        lockouts += [Lockout(kind, row[kind], row["failures"], row["last_attempt"]) for row in rows]
    return sorted(lockouts, key=lambda lockout: lockout.last_attempt, reverse=True)


def lockouts_recently_lifted() -> QuerySet[SecurityEvent]:
    return SecurityEvent.objects.filter(action=SecurityEvent.Action.LOCKOUT_LIFTED).select_related("by")[:20]
