"""The deadline job: a complaint's acknowledgement or answer coming near its legal deadline, or past it, alerts
whoever handles it: the handler it is assigned to; else the medical advisors for a medical complaint (nobody else
may read it), the member's management unit for the others. The alert names the reference only."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from mutua.accounts.models import Role, User
from mutua.conversations.deadlines import ALERT_WORKING_DAYS_BEFORE, working_days_left
from mutua.conversations.models import Conversation
from mutua.conversations.rounds import next_deadline_expression, unmet_deadlines
from mutua.notifications.services import notification_send


def complaint_deadlines_alert(*, today: date | None = None) -> int:
    """Alert the complaint's handler (or the unit) ``ALERT_WORKING_DAYS_BEFORE`` working days before an unmet
    deadline, and once more when it has passed; returns how many alerts were sent.

    ``deadline_alerted_at`` remembers the last alert: an alert is due when a deadline is in a stage (coming,
    overdue) it was not in on the day of the last one, so each stage alerts once, and a deadline moved later
    alerts again when its new date comes near."""
    today = today or timezone.localdate()
    sent = 0
    complaints = Conversation.objects.annotate(next_deadline=next_deadline_expression()).filter(
        next_deadline__isnull=False
    )
    for complaint in complaints.select_related("assigned_to", "member__management_unit"):
        deadlines = _alerts_due(complaint, today)
        if not deadlines:
            continue
        with transaction.atomic():  # marked with its notifications written, or neither
            # Marked on the value read: two workers never send the same alert.
            marked = Conversation.objects.filter(pk=complaint.pk, deadline_alerted_at=complaint.deadline_alerted_at)
            if not marked.update(deadline_alerted_at=timezone.now()):
                continue
            _handler_alert(complaint=complaint, deadlines=deadlines, today=today)
        sent += 1
    return sent


def _stage(deadline: date, day: date) -> str:
    left = working_days_left(deadline, today=day)
    if left < 0:
        return "overdue"
    return "coming" if left <= ALERT_WORKING_DAYS_BEFORE else ""


def _alerts_due(complaint: Conversation, today: date) -> dict[str, date]:
    """The unmet deadlines (``acknowledge``, ``answer``) in a stage they were not in at the last alert."""
    last = timezone.localdate(complaint.deadline_alerted_at) if complaint.deadline_alerted_at else None
    due = {}
    for which, deadline in unmet_deadlines(complaint).items():
        stage = _stage(deadline, today)
        if stage and (last is None or _stage(deadline, last) != stage):
            due[which] = deadline
    return due


def _handler_alert(*, complaint: Conversation, deadlines: dict[str, date], today: date) -> None:
    """To whoever handles it (``_alerted``); no detail of the complaint."""
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "reference": complaint.reference,
            "link": settings.SITE_URL.rstrip("/")
            + reverse("backoffice:conversation", kwargs={"conversation_id": complaint.pk}),
            "deadlines": [
                {
                    "what": which,
                    "date": formats.date_format(deadline, "DATE_FORMAT"),
                    "days_left": working_days_left(deadline, today=today),
                }
                for which, deadline in deadlines.items()
            ],
        }
    for to in _alerted(complaint):
        notification_send(to=to, template="conversations/email/unit_deadline", context=context, language=language)


def _alerted(complaint: Conversation) -> list[str]:
    """The assigned handler; else, for a medical complaint, the medical advisors, the only ones who may read it;
    else the member's management unit."""
    if complaint.assigned_to is not None and complaint.assigned_to.email:
        return [complaint.assigned_to.email]
    if complaint.medical:
        advisors = User.objects.filter(role=Role.MEDICAL_ADVISOR, is_active=True).exclude(email="")
        return sorted(set(advisors.values_list("email", flat=True)))
    unit = complaint.member.management_unit if complaint.member else None
    return [unit.email] if unit is not None and unit.email else []
