from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@task()
def load_am_file(*, am_file_id: int) -> None:
    from mutua.teletransmission.services import am_file_enqueue_workers, am_file_load

    am_file = am_file_load(am_file_id=am_file_id)
    if am_file.status == am_file.Status.PROCESSING:
        am_file_enqueue_workers(am_file=am_file)


@task()
def drain_am_file(*, am_file_id: int) -> None:
    from mutua.teletransmission.services import am_file_drain

    am_file_drain(am_file_id=am_file_id)


@task()
def send_am_file_digests(*, am_file_id: int) -> None:
    from mutua.teletransmission.digests import am_file_digests_send

    am_file_digests_send(am_file_id=am_file_id)


@db_periodic_task(crontab(minute="*/5"))
def resume_stalled_am_files() -> None:
    """Workers may die (deploy, crash): a file still waiting to be checked, or whose chunks stopped
    moving, gets workers again."""
    from mutua.teletransmission.models import AmFile
    from mutua.teletransmission.services import am_file_enqueue_workers

    stalled_since = timezone.now() - timedelta(minutes=settings.TELETRANSMISSION_STALLED_MINUTES)
    for am_file_id in (
        AmFile.objects.filter(status=AmFile.Status.RECEIVED, received_at__lt=stalled_since)
        .exclude(staged="")
        .values_list("pk", flat=True)
    ):
        load_am_file.enqueue(am_file_id=am_file_id)
    files = AmFile.objects.filter(status=AmFile.Status.PROCESSING).annotate(last=Max("chunks__processed_at"))
    for am_file in files:
        if (am_file.last or am_file.received_at) < stalled_since:
            am_file_enqueue_workers(am_file=am_file)
    # Households not told yet of a file done a while ago: the task that tells them stopped.
    untold = AmFile.objects.filter(
        status=AmFile.Status.DONE, digests_up_to__isnull=False, finished_at__lt=stalled_since
    ).values_list("pk", flat=True)
    for am_file_id in untold:
        send_am_file_digests.enqueue(am_file_id=am_file_id)
