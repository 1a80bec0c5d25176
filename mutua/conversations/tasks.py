from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mutua.conversations.alerts import complaint_deadlines_alert
from mutua.conversations.reports import weekly_complaint_report_send


@db_periodic_task(crontab(minute="7", hour="7-18"))
def alert_complaint_deadlines() -> None:
    """A complaint's acknowledgement or answer coming near its legal deadline, or past it, alerts its handler."""
    complaint_deadlines_alert()


@db_periodic_task(crontab(day_of_week="1", hour="6", minute="30"))
def send_weekly_complaint_report() -> None:
    """Each Monday, last week's complaint deadlines met, for the quality cell."""
    weekly_complaint_report_send()
