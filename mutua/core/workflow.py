"""Workflows as transition tables; one service applies any status change."""

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from mutua.core.bulk import insert_rows
from mutua.core.models import StatusChange

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Workflow:
    """``transitions`` maps each status to the statuses it may move to."""

    transitions: Mapping[str, frozenset[str]]
    field: str = "status"

    def allowed(self, current: str, target: str) -> bool:
        return target in self.transitions.get(current, frozenset())


def _refusal(model: type[models.Model], workflow: Workflow, current: str, target: str) -> ValidationError:
    labels = dict(model._meta.get_field(workflow.field).flatchoices)
    return ValidationError(
        _("This item cannot go from “%(current)s” to “%(target)s”.")
        % {"current": labels.get(current, current), "target": labels.get(target, target)},
        code="invalid_transition",
    )


def status_change(*, instance: M, workflow: Workflow, to_status: str, by: models.Model | None, reason: str = "") -> M:
    """Move ``instance`` to ``to_status`` under a row lock and record the change.

    Raises ``ValidationError`` when the transition table does not allow it, for example
    when someone else changed the status in the meantime.
    """
    with transaction.atomic():
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        current = getattr(locked, workflow.field)
        if not workflow.allowed(current, to_status):
            raise _refusal(type(instance), workflow, current, to_status)
        setattr(locked, workflow.field, to_status)
        locked.save(update_fields=[workflow.field])
        _history(ContentType.objects.get_for_model(locked), locked.pk, current, to_status, by, reason).save()
    return locked


def status_change_many(
    *,
    queryset: models.QuerySet[M],
    workflow: Workflow,
    to_status: str,
    by: models.Model | None,
    reason: str = "",
    values: Mapping[str, object] | None = None,
) -> list[int]:
    """Move every row of ``queryset`` to ``to_status`` at once: the batch form of ``status_change``.

    The rows are locked, each is checked against the transition table (one row that may not move
    refuses the whole batch), then one UPDATE sets the status with ``values`` and one history row
    is written per row. Returns the primary keys moved.
    """
    model = queryset.model
    with transaction.atomic():
        rows = list(queryset.select_for_update(of=("self",)).order_by("pk").values_list("pk", workflow.field))
        refused = [current for _pk, current in rows if not workflow.allowed(current, to_status)]
        if refused:
            raise _refusal(model, workflow, refused[0], to_status)
        pks = [pk for pk, _current in rows]
        model._default_manager.filter(pk__in=pks).update(**{workflow.field: to_status}, **(values or {}))
        content_type = ContentType.objects.get_for_model(model)
        insert_rows(
            StatusChange,
            HISTORY_FIELDS,
            [(content_type.pk, str(pk), current, to_status, getattr(by, "pk", None), reason) for pk, current in rows],
        )
    return pks


def status_history_record(
    *,
    model: type[models.Model],
    workflow: Workflow,
    paths: Iterable[tuple[object, Sequence[str], str]],
    by: models.Model | None,
) -> None:
    """History rows for rows the caller inserted or moved in bulk under its own lock (decided care
    lines, written at once): each of ``paths`` is (primary key, the statuses from the one it had, or
    its first, to the current one, why), each step checked against the transition table like any other
    change. One refused step refuses the whole batch: call it before writing the rows."""
    content_type = ContentType.objects.get_for_model(model)
    rows = []
    for pk, steps, reason in paths:
        for current, target in itertools.pairwise(steps):
            if not workflow.allowed(current, target):
                raise _refusal(model, workflow, current, target)
            rows.append((content_type.pk, str(pk), current, target, getattr(by, "pk", None), reason))
    insert_rows(StatusChange, HISTORY_FIELDS, rows)


def status_note(*, instance: models.Model, workflow: Workflow, by: models.Model | None, reason: str) -> None:
    """A history row for an action that keeps the status (an assignment, a deadline moved): the object keeps one
    history, its status changes and these notes together."""
    current = getattr(instance, workflow.field)
    _history(ContentType.objects.get_for_model(instance), instance.pk, current, current, by, reason).save()


HISTORY_FIELDS = ("content_type_id", "object_id", "from_status", "to_status", "changed_by_id", "reason")


def _history(
    content_type: ContentType, pk: object, current: str, target: str, by: models.Model | None, reason: str
) -> StatusChange:
    """The history row of one change (who, from, to, why); saved by the caller, alone or in bulk."""
    return StatusChange(
        content_type=content_type,
        object_id=str(pk),
        from_status=current,
        to_status=target,
        changed_by=by,
        reason=reason,
    )
