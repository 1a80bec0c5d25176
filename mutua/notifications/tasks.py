from typing import Any

from django_tasks import task

from mutua.notifications.services import notification_email


@task()
def email_notification(*, notification_id: int, context: dict[str, Any] | None = None) -> None:
    notification_email(notification_id=notification_id, context=context)
