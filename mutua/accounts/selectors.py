from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from mutua.core.models import SecurityEvent


@dataclass(frozen=True)
class Lockout:
    """A login locked at one address, or (``username`` empty) an address throttled for every login."""

    username: str
    ip_address: str
    failures: int
    last_attempt: datetime


def _recent_attempts() -> QuerySet[AccessAttempt]:
    """The attempt rows that still count: those of the last cool-off period, as django-axes reads them."""
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)


def login_failures_from_address(*, ip_address: str) -> int:
    """Failures from one address over the cool-off period, whatever login they tried."""
    total = _recent_attempts().filter(ip_address=ip_address).aggregate(failures=Sum("failures_since_start"))
    return total["failures"] or 0


def lockouts_current() -> list[Lockout]:
    """What is refused right now (see ``mutua.accounts.lockouts``), counted across attempt rows
    (one per browser): logins locked at an address, then addresses throttled for every login."""
    recent = _recent_attempts().exclude(ip_address__isnull=True)
    totals = {"failures": Sum("failures_since_start"), "last_attempt": Max("attempt_time")}
    logins = (
        recent.exclude(username__isnull=True)
        .values("username", "ip_address")
        .annotate(**totals)
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    addresses = (
        recent.values("ip_address").annotate(**totals).filter(failures__gte=settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    )
    lockouts = [Lockout(row["username"], row["ip_address"], row["failures"], row["last_attempt"]) for row in logins]
    lockouts += [Lockout("", row["ip_address"], row["failures"], row["last_attempt"]) for row in addresses]
    return sorted(lockouts, key=lambda lockout: lockout.last_attempt, reverse=True)


def lockouts_recently_lifted() -> QuerySet[SecurityEvent]:
    return SecurityEvent.objects.filter(action=SecurityEvent.Action.LOCKOUT_LIFTED).select_related("by")[:20]
