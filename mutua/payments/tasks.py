from contextlib import suppress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mutua.payments.selectors import due_currencies
from mutua.payments.services import run_create


@db_periodic_task(crontab(hour=settings.PAYMENTS_NIGHTLY_HOUR, minute="0"))
def propose_nightly_run() -> None:
    """Prepare a draft run of what is due each night, one per currency. It is never approved automatically."""
    for currency in due_currencies():
        with suppress(ValidationError):  # nothing due tonight in this currency
            run_create(by=None, execution_date=timezone.localdate(), currency=currency)
