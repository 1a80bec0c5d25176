"""A complaint's legal deadlines (seed 001: "accuser réception de votre réclamation sous 10 jours et … une réponse
… au plus tard avant 2 mois, sauf si la complexité nécessite un délai supplémentaire").

Our reading, stated to the member and the unit alike: the 10 days are "jours ouvrables" as the ACPR's
recommendation 2022-R-01 counts its own 10 days: every day but Sundays and French public holidays (Saturdays
count: ``core.calendar``), from the day after the complaint is received; the 2 months are calendar months from the
day it is received (the same day two months later, or that month's last day). A complaint received on a day the
unit does not work is received on that day: its deadlines run from it all the same. The unit counts the time it
has left in its own working days (Monday to Friday): a deadline falling on a Saturday is met by the Friday."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from mutua.core.calendar import months_after, ouvrable_days_after, working_days_between

ACKNOWLEDGE_OUVRABLE_DAYS = 10
ANSWER_MONTHS = 2
# The deadline job alerts the unit this many working days before a deadline that is not met yet.
ALERT_WORKING_DAYS_BEFORE = 2


@dataclass(frozen=True)
class ComplaintDeadlines:
    acknowledge_by: date
    answer_by: date


def complaint_deadlines(received: date) -> ComplaintDeadlines:
    return ComplaintDeadlines(
        acknowledge_by=ouvrable_days_after(received, ACKNOWLEDGE_OUVRABLE_DAYS),
        answer_by=months_after(received, ANSWER_MONTHS),
    )


def working_days_left(deadline: date, *, today: date | None = None) -> int:
    """Working days from today to ``deadline``: 0 on the day itself, negative on any day after it (at least one
    day overdue, even on the Sunday after a Saturday deadline), as the inbox's "overdue" filter reads it."""
    today = today or timezone.localdate()
    if deadline >= today:
        return working_days_between(today, deadline)
    return -max(1, working_days_between(deadline, today))
