from typing import Any

from django_tasks import task

from mutua.core.emails import email_send
from mutua.core.task_backend import run_django_task  # noqa: F401  (registers it with the Huey consumer)


@task()
def send_email(*, to: str, template: str, context: dict[str, Any], language: str) -> None:
    email_send(to=to, template=template, context=context, language=language)
