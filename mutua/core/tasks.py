import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mutua.core.quotas import quota_windows_purge
from mutua.core.rates import rates_refresh
from mutua.core.task_backend import run_django_task  # noqa: F401  (registers it with the Huey consumer)

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="17"))
def purge_quota_windows() -> None:
    """Hourly: without Redis, every address that used the simulator leaves a row behind."""
    quota_windows_purge()


@db_periodic_task(crontab(day_of_week="1-5", hour=str(settings.ECB_RATES_HOUR), minute="30"))
def refresh_exchange_rates() -> None:
    """Every working day after the ECB publishes: a failure (offline, a bad file) keeps yesterday's rates and is
    logged; the next day's run catches up, since the file is the whole history."""
    try:
        rates_refresh()
    except (OSError, ValueError):
        logger.exception("ECB rates not refreshed")
