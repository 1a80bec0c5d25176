"""Workflows as transition tables; one service applies any status change."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from mutua.core.models import StatusChange

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Workflow:
    """``transitions`` maps each status to the statuses it may move to."""

    transitions: Mapping[str, frozenset[str]]
    field: str = "status"

    def allowed(self, current: str, target: str) -> bool:
        return target in self.transitions.get(current, frozenset())


def status_change(*, instance: M, workflow: Workflow, to_status: str, by: models.Model | None, reason: str = "") -> M:
    """Move ``instance`` to ``to_status`` under a row lock and record the change.

    Raises ``ValidationError`` when the transition table does not allow it, for example
    when someone else changed the status in the meantime.
    """
    with transaction.atomic():
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        current = getattr(locked, workflow.field)
        if not workflow.allowed(current, to_status):
            labels = dict(locked._meta.get_field(workflow.field).flatchoices)
            raise ValidationError(
                _("This item cannot go from “%(current)s” to “%(target)s”.")
                % {"current": labels.get(current, current), "target": labels.get(to_status, to_status)},
                code="invalid_transition",
            )
        setattr(locked, workflow.field, to_status)
        locked.save(update_fields=[workflow.field])
        StatusChange.objects.create(
            content_type=ContentType.objects.get_for_model(locked),
            object_id=str(locked.pk),
            from_status=current,
            to_status=to_status,
            changed_by=by,
            reason=reason,
        )
    return locked
