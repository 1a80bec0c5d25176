"""The weekly figure of complaint deadlines met, which the insurer must be able to give: complaints received in
the week, acknowledgements and answers that fell due in the week (the unit's and the quality cell's) and how many
were in time (the answer's date is the extended one when the member was told of a longer time before the deadline,
and how many were extended), and complaints still past a deadline at its end."""

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation

from mutua.contracts.models import ManagementUnit
from mutua.conversations.models import Conversation, WeeklyReportSent
from mutua.conversations.rounds import ROUNDS, ComplaintRound, complaint_rounds
from mutua.notifications.services import notification_send


@dataclass(frozen=True)
class WeeklyComplaintReport:
    week_start: date  # a Monday
    received: int
    acknowledgements_due: int
    acknowledged_in_time: int
    answers_due: int
    answered_in_time: int
    answers_extended: int  # of the answers due, those whose date was moved past the legal one (the member told)
    past_deadline_at_end: int  # a round with a deadline passed by the week's end and still unmet then

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    def as_context(self) -> dict[str, object]:
        """JSON-serialisable, for the e-mail the worker renders."""
        return {**asdict(self), "week_start": self.week_start.isoformat(), "week_end": self.week_end.isoformat()}


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def last_complete_week(*, today: date | None = None) -> date:
    return week_start_of(today or timezone.localdate()) - timedelta(days=7)


def _day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


def _in_time(done: datetime | None, deadline: date) -> bool:
    return done is not None and _day(done) <= deadline


def _unmet_at(done: datetime | None, day: date) -> bool:
    """Not done by the end of ``day``."""
    return done is None or _day(done) > day


def weekly_complaint_report(*, week_start: date) -> WeeklyComplaintReport:
    """The figures of the week that starts on ``week_start`` (a Monday), as they stand now, both rounds of a
    complaint counted (``conversations.rounds``): the unit's and, when the member went to it, the quality cell's.
    An answer is judged against the date in force (the member was told of each before the one it replaced:
    ``handling.complaint_answer_extend``); ``answers_extended`` says how many of those were past the legal date."""
    week_start = week_start_of(week_start)
    week_end = week_start + timedelta(days=6)
    first_moment = timezone.make_aware(datetime.combine(week_start, datetime.min.time()))
    complaints = Conversation.objects.filter(
        kind=Conversation.Kind.COMPLAINT, created_at__lt=first_moment + timedelta(days=7)
    )
    received = complaints.filter(created_at__gte=first_moment)
    due = Q()
    for fields, _active in ROUNDS:
        due |= Q(**{f"{fields.acknowledge_by}__lte": week_end}) | Q(**{f"{fields.answer_by}__lte": week_end})
    by_complaint = [complaint_rounds(complaint) for complaint in complaints.filter(due)]
    rounds = [each for complaint in by_complaint for each in complaint]
    acknowledgements = [each for each in rounds if _within(each.acknowledge_by, week_start, week_end)]
    answers = [each for each in rounds if _within(each.answer_by, week_start, week_end)]
    late = [complaint for complaint in by_complaint if any(_late_at(each, week_end) for each in complaint)]
    return WeeklyComplaintReport(
        week_start=week_start,
        received=received.count(),
        acknowledgements_due=len(acknowledgements),
        acknowledged_in_time=sum(_in_time(each.acknowledged_at, each.acknowledge_by) for each in acknowledgements),
        answers_due=len(answers),
        answered_in_time=sum(_in_time(each.answered_at, each.answer_by) for each in answers),
        answers_extended=sum(each.extended for each in answers),
        past_deadline_at_end=len(late),
    )


def _late_at(each: ComplaintRound, day: date) -> bool:
    """A deadline of this round passed by the end of ``day`` and not met then."""
    return (_within(each.acknowledge_by, None, day) and _unmet_at(each.acknowledged_at, day)) or (
        _within(each.answer_by, None, day) and _unmet_at(each.answered_at, day)
    )


def _within(day: date | None, start: date | None, end: date) -> bool:
    return day is not None and (start is None or start <= day) and day <= end


def weekly_complaint_report_send(*, today: date | None = None) -> bool:
    """Send last week's figures to the quality address (the management units' when there is none), once a week
    however many workers run the job; False when it was already sent."""
    report = weekly_complaint_report(week_start=last_complete_week(today=today))
    with transaction.atomic():  # the week is marked sent only with its notifications written
        return _report_send(report)


def _report_send(report: WeeklyComplaintReport) -> bool:
    # The week's row, taken under the caller's transaction: another worker waits for it, then finds it; a failure
    # below takes it back with the notifications (a counter outside the database would stay taken).
    _sent, created = WeeklyReportSent.objects.get_or_create(week_start=report.week_start)
    if not created:
        return False
    page = reverse("backoffice:conversation_report") + f"?week={report.week_start.isoformat()}"
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        context = report.as_context() | {
            "week_start": formats.date_format(report.week_start, "SHORT_DATE_FORMAT"),
            "week_end": formats.date_format(report.week_end, "SHORT_DATE_FORMAT"),
            "link": settings.SITE_URL.rstrip("/") + page,
        }
    recipients = [settings.COMPLAINTS_QUALITY_EMAIL] if settings.COMPLAINTS_QUALITY_EMAIL else unit_addresses()
    for address in recipients:
        notification_send(
            to=address, template="conversations/email/unit_weekly_report", context=context, language=language
        )
    return True


def unit_addresses() -> list[str]:
    return sorted(set(ManagementUnit.objects.exclude(email="").values_list("email", flat=True)))
