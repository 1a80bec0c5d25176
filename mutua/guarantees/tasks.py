from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/5"))
def check_guarantee_deadlines() -> None:
    """Requests past their 2-hour (or negotiated) deadline raise an alert; guarantees never invoiced close."""
    from mutua.guarantees.settlement import guarantees_deadlines_check

    guarantees_deadlines_check()
