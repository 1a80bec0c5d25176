"""A complaint's legal deadlines in the unit's inbox (overdue first, then the nearest; the time left in the unit's
working days, the acknowledgement's 10 days counted every day but Sundays and public holidays), the job
that alerts before and after a deadline, and the weekly figure of deadlines met."""

from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from mutua.accounts.models import Role, User
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.conversations import alerts, handling, reports, services
from mutua.conversations.deadlines import complaint_deadlines, working_days_left
from mutua.conversations.models import Conversation, WeeklyReportSent
from mutua.conversations.reports import weekly_complaint_report, weekly_complaint_report_send
from mutua.conversations.services import conversation_start
from mutua.core.tests.helpers import staff_login
from mutua.notifications.models import Notification

pytestmark = pytest.mark.django_db


def received(day: str, kind: str = "complaint", **changes) -> Conversation:
    """A complaint (or a message) a new member sent at 10:00 on ``day``: its deadlines run from that day."""
    user = MemberUserFactory()
    with time_machine.travel(f"{day} 10:00", tick=False):
        return conversation_start(
            member=user.member,
            by=user,
            kind=kind,
            topic="claim",
            subject=f"{kind} {day}",
            text="Je conteste.",
            language="fr",
            **changes,
        )


def done(conversation: Conversation, **days: str) -> None:
    """Mark a deadline met on a day (the hand-built facts of a past week)."""
    values = {field: timezone.make_aware(datetime.fromisoformat(f"{day} 11:00")) for field, day in days.items()}
    Conversation.objects.filter(pk=conversation.pk).update(**values)


def test_the_inbox_puts_overdue_complaints_first_then_the_nearest_deadline_then_the_longest_waiting(client):
    older_message = received("2026-02-10", kind="message")
    late_acknowledgement = received("2026-02-16")  # to acknowledge by Friday 27 February (Saturdays count)
    late_answer = received("2026-01-05")  # acknowledged; to answer by 5 March
    done(late_answer, acknowledged_at="2026-01-06")
    just_late = received("2026-03-02")  # to acknowledge by 13 March
    coming = received("2026-03-09")  # to acknowledge by 20 March
    newer_message = received("2026-03-10", kind="message")
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    with time_machine.travel("2026-03-17 09:00", tick=False):
        staff_login(client, handler, PASSWORD)
        page = client.get("/backoffice/conversations/", HTTP_ACCEPT_LANGUAGE="en")
        rows = page.context["page"].object_list
        assert [row.conversation for row in rows] == [
            late_acknowledgement,
            late_answer,
            just_late,
            coming,
            older_message,
            newer_message,
        ]
        assert [row.deadline.days if row.deadline else None for row in rows] == [-12, -8, -2, 3, None, None]
        body = page.content.decode()
        assert "2 working days overdue" in body and "3 working days left" in body
        overdue = client.get("/backoffice/conversations/", {"overdue": "on"}).context["page"].object_list
        assert [row.conversation for row in overdue] == [late_acknowledgement, late_answer, just_late]
        messages = client.get("/backoffice/conversations/", {"kind": "message"}).context["page"].object_list
        assert [row.conversation for row in messages] == [older_message, newer_message]


def alerts_on(day: str) -> int:
    with time_machine.travel(f"{day} 08:00", tick=False):
        return alerts.complaint_deadlines_alert()


def alerted() -> list[str]:
    """To whom the deadline alerts went, the latest first."""
    return list(Notification.objects.filter(template="conversations/email/unit_deadline").values_list("to", flat=True))


def test_the_alert_job_warns_once_before_each_deadline_and_once_more_when_it_is_overdue(
    django_capture_on_commit_callbacks,
):
    complaint = received("2026-03-02")  # acknowledge by Friday 13 March, answer by Saturday 2 May
    unit_email = complaint.member.management_unit.email
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_on("2026-03-10") == 0  # 3 working days left
        assert alerts_on("2026-03-11") == 1  # 2 working days left: the warning
        assert alerts_on("2026-03-11") == 0  # a second run the same day, or another worker: nothing more
        assert alerts_on("2026-03-12") == 0
        assert alerts_on("2026-03-13") == 0  # the day itself is still in time
        assert alerts_on("2026-03-16") == 1  # past: the overdue alert
        assert alerts_on("2026-03-17") == 0
    assert alerted() == [unit_email, unit_email]
    assert mail.outbox[-1].subject == f"Réclamation {complaint.reference} : un délai légal approche ou est dépassé"
    assert complaint.reference in mail.outbox[-1].body and "/backoffice/conversations/" in mail.outbox[-1].body
    assert "Je conteste" not in mail.outbox[-1].body  # nothing of the complaint itself

    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER, email="handler@mutua.example.org")
    handling.conversation_assign(conversation=complaint, to=handler, by=handler)
    with time_machine.travel("2026-03-18 09:00", tick=False):
        handling.staff_reply(conversation=complaint, by=handler, text="Accusé de réception.", acknowledges=True)
    assert alerts_on("2026-04-27") == 0  # the answer is 3 working days away (1 May is a holiday)
    assert alerts_on("2026-04-28") == 1
    assert alerted() == ["handler@mutua.example.org", unit_email, unit_email]  # to the handler now
    complaint.refresh_from_db()
    with time_machine.travel("2026-04-28 10:00", tick=False):
        handling.complaint_answer_extend(
            conversation=complaint, by=handler, new_date=date(2026, 6, 15), reason="Expertise en cours."
        )
    assert alerts_on("2026-04-29") == 0  # the new date is far
    assert alerts_on("2026-05-04") == 0  # the old date has passed: it is no deadline any more
    assert alerts_on("2026-06-11") == 1  # 2 working days before the new date
    handling.staff_reply(conversation=complaint, by=handler, text="Notre réponse.", answers=True)
    assert alerts_on("2026-06-16") == 0  # answered: nothing is late


def test_the_weekly_report_counts_the_deadlines_of_the_week(client, settings):
    # The week from Monday 9 to Sunday 15 March 2026.
    received("2026-03-10")
    received("2026-03-12")
    acknowledged_in_time = received("2026-02-25")  # to acknowledge by 9 March
    done(acknowledged_in_time, acknowledged_at="2026-03-06")
    acknowledged_late = received("2026-02-26")  # by 10 March, acknowledged the 11th: late, not open at the end
    done(acknowledged_late, acknowledged_at="2026-03-11")
    received("2026-02-27")  # by 11 March, never acknowledged: late and still open
    answered_in_time = received("2026-01-12")  # to answer by 12 March
    done(answered_in_time, acknowledged_at="2026-01-13", answered_at="2026-03-12")
    answered_late = received("2026-01-09")  # to answer by 9 March, answered the 16th: still open at the week's end
    done(answered_late, acknowledged_at="2026-01-12", answered_at="2026-03-16")
    extended = received("2026-01-13")  # to answer by 13 March, extended to 31 March: nothing due this week
    done(extended, acknowledged_at="2026-01-14")
    Conversation.objects.filter(pk=extended.pk).update(answer_by=date(2026, 3, 31))
    received("2026-03-11", kind="message")  # not a complaint

    with time_machine.travel("2026-03-20 09:00", tick=False):
        report = weekly_complaint_report(week_start=date(2026, 3, 11))  # any day of the week names it
        assert (report.week_start, report.week_end) == (date(2026, 3, 9), date(2026, 3, 15))
        assert (
            report.received,
            report.acknowledgements_due,
            report.acknowledged_in_time,
            report.answers_due,
            report.answered_in_time,
            report.past_deadline_at_end,
        ) == (2, 3, 1, 2, 1, 2)
        assert report.answers_extended == 0
        extended_week = weekly_complaint_report(week_start=date(2026, 3, 30))  # its date in force, legal 13 March
        assert (extended_week.answers_due, extended_week.answered_in_time, extended_week.answers_extended) == (1, 0, 1)

        staff_login(client, StaffUserFactory(role=Role.ADMINISTRATOR), PASSWORD)
        page = client.get("/backoffice/conversations/report/", {"week": "2026-03-09"}, HTTP_ACCEPT_LANGUAGE="en")
        assert page.context["report"] == report
        assert "Acknowledgement within 10 days (Sundays and public holidays not counted)" in page.content.decode()
        client.logout()
        staff_login(client, StaffUserFactory(role=Role.FINANCE), PASSWORD)
        assert client.get("/backoffice/conversations/report/").status_code == 403

    settings.COMPLAINTS_QUALITY_EMAIL = "qualite@mutua.example.org"
    with time_machine.travel("2026-03-16 06:30", tick=False):
        assert weekly_complaint_report_send() is True
        assert weekly_complaint_report_send() is False  # another worker, or a retry: sent once
    (notification,) = Notification.objects.filter(template="conversations/email/unit_weekly_report")
    assert notification.to == "qualite@mutua.example.org"
    assert notification.context["acknowledgements_due"] == 3 and notification.context["past_deadline_at_end"] == 2


def test_a_saturday_deadline_is_due_on_the_friday_and_overdue_on_the_sunday():
    # Received Monday 1 June 2026: ten days but Sundays later is Friday 12 June; a Tuesday's ends on a Saturday.
    assert complaint_deadlines(date(2026, 6, 1)).acknowledge_by == date(2026, 6, 12)
    saturday = complaint_deadlines(date(2026, 6, 2)).acknowledge_by
    assert saturday == date(2026, 6, 13)
    assert working_days_left(saturday, today=date(2026, 6, 12)) == 0
    assert working_days_left(saturday, today=date(2026, 6, 14)) == -1  # the Sunday after: overdue, not "today"
    assert working_days_left(saturday, today=date(2026, 6, 15)) == -1


def test_the_quality_cell_has_its_own_round_and_the_units_stays_in_the_weekly_report(
    client, django_capture_on_commit_callbacks
):
    complaint = received("2026-09-01")  # the unit acknowledges by Saturday 12 September: it does on the 30th
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    with time_machine.travel("2026-09-30 09:00", tick=False):
        handling.staff_reply(conversation=complaint, by=handler, text="Notre réponse.", answers=True)
    week = date(2026, 9, 7)
    before = weekly_complaint_report(week_start=week)
    assert (before.acknowledgements_due, before.acknowledged_in_time, before.past_deadline_at_end) == (1, 0, 1)

    with time_machine.travel("2026-10-05 09:00", tick=False):
        complaint.refresh_from_db()
        member = User.objects.get(member=complaint.member)
        services.complaint_quality_cell(conversation=complaint, by=member, text="Pas satisfait.")
    assert weekly_complaint_report(week_start=week) == before  # the late acknowledgement is still reported
    complaint.refresh_from_db()
    assert (complaint.qc_acknowledge_by, complaint.qc_answer_by) == (date(2026, 10, 16), date(2026, 12, 5))

    # What is due now is the quality cell's: in the inbox, in the alerts, and what a reply meets.
    with time_machine.travel("2026-10-19 09:00", tick=False):
        staff_login(client, handler, PASSWORD)
        (row,) = client.get("/backoffice/conversations/", {"overdue": "on"}).context["page"].object_list
        assert (row.conversation, row.deadline.deadline, row.deadline.days) == (complaint, date(2026, 10, 16), -1)
        with django_capture_on_commit_callbacks(execute=True):
            assert alerts.complaint_deadlines_alert() == 1
        handling.staff_reply(conversation=complaint, by=handler, text="Accusé de réception.", acknowledges=True)
    complaint.refresh_from_db()
    assert timezone.localdate(complaint.qc_acknowledged_at) == date(2026, 10, 19)
    assert timezone.localdate(complaint.acknowledged_at) == date(2026, 9, 30)  # the unit's, untouched
    quality_cell_week = weekly_complaint_report(week_start=date(2026, 10, 12))
    assert (quality_cell_week.acknowledgements_due, quality_cell_week.acknowledged_in_time) == (1, 0)
    assert weekly_complaint_report(week_start=week) == before


def test_an_unassigned_medical_complaint_alerts_the_medical_advisors_not_the_units_mailbox(
    django_capture_on_commit_callbacks,
):
    complaint = received("2026-03-02", medical=True)  # acknowledge by Friday 13 March
    StaffUserFactory(role=Role.MEDICAL_ADVISOR, email="medecin@mutua.example.org")
    StaffUserFactory(role=Role.MEDICAL_ADVISOR, email="")  # nowhere to write to
    StaffUserFactory(role=Role.CLAIMS_HANDLER, email="handler@mutua.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_on("2026-03-11") == 1
    assert alerted() == ["medecin@mutua.example.org"]
    assert complaint.member.management_unit.email not in alerted()


def test_an_alert_is_marked_sent_only_with_its_notification_written(monkeypatch):
    complaint = received("2026-03-02")

    def broken(**_kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(alerts, "notification_send", broken)
    with pytest.raises(RuntimeError):
        alerts_on("2026-03-11")
    complaint.refresh_from_db()
    assert complaint.deadline_alerted_at is None  # the next run alerts
    monkeypatch.undo()
    assert alerts_on("2026-03-11") == 1


def test_a_weekly_report_that_failed_is_sent_at_the_next_run(monkeypatch, settings):
    settings.COMPLAINTS_QUALITY_EMAIL = "qualite@mutua.example.org"

    def broken(**_kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(reports, "notification_send", broken)
    with time_machine.travel("2026-03-16 06:30", tick=False), pytest.raises(RuntimeError):
        reports.weekly_complaint_report_send()
    assert not WeeklyReportSent.objects.exists()
    monkeypatch.undo()
    with time_machine.travel("2026-03-16 07:30", tick=False):
        assert reports.weekly_complaint_report_send() is True  # the failed run did not mark the week sent
        assert reports.weekly_complaint_report_send() is False
    assert list(WeeklyReportSent.objects.values_list("week_start", flat=True)) == [date(2026, 3, 9)]
    assert Notification.objects.filter(template="conversations/email/unit_weekly_report").count() == 1
