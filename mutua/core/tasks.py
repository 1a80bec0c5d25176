from typing import Any

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mutua.core.emails import email_send
from mutua.core.quotas import quota_windows_purge
from mutua.core.task_backend import run_django_task  # noqa: F401  (registers it with the Huey consumer)


@task()
def send_email(*, to: str, template: str, context: dict[str, Any], language: str) -> None:
    email_send(to=to, template=template, context=context, language=language)


@db_periodic_task(crontab(minute="17"))
def purge_quota_windows() -> None:
    """Hourly: without Redis, every address that used the simulator leaves a row behind."""
    quota_windows_purge()
