from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from mutua.core.models import StatusChange


def status_history(*, instance: models.Model) -> models.QuerySet[StatusChange]:
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
    ).select_related("changed_by")


def status_history_for(*, model: type[models.Model], ids: Iterable[object]) -> models.QuerySet[StatusChange]:
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
    ).select_related("changed_by")
