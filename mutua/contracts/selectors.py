"""Reads for contracts (whether a person is covered on a day: ``cover``)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    BooleanField,
    DateField,
    DateTimeField,
    Field,
    ForeignKey,
    JSONField,
    Model,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from engine import get_plan
from mutua.contracts.cover import subscriber_coverage_on
from mutua.contracts.models import (
    TELETRANSMISSION_WORKFLOW,
    Beneficiary,
    BeneficiarySituation,
    ChangeRequest,
    ManagementUnit,
    Member,
    Teletransmission,
)
from mutua.core.countries import country_name
from mutua.core.crypto import mask_identifier, search_digest
from mutua.core.fields import CountryField
from mutua.core.selectors import status_history_for


def normalize_member_number(raw: str) -> str:
    """Member numbers are typed from a card: ignore spaces, dashes and letter case."""
    return "".join(ch for ch in raw if ch.isalnum()).upper()


def normalize_nir(raw: str) -> str:
    return "".join(ch for ch in raw if ch.isalnum()).upper()


def member_get_by_number(*, member_number: str) -> Member | None:
    return (
        Member.objects.select_related("management_unit")
        .filter(member_number=normalize_member_number(member_number))
        .first()
    )


def management_unit_for_contact(*, member: Member | None = None) -> ManagementUnit | None:
    """The unit to show on help pages: the member's own when known, else the main one."""
    if member is not None:
        return member.management_unit
    return ManagementUnit.objects.order_by("pk").first()


def household_beneficiaries(*, member: Member) -> QuerySet[Beneficiary]:
    return member.beneficiaries.prefetch_related(
        Prefetch("situations", queryset=BeneficiarySituation.objects.order_by("valid_from"))
    )


def member_find(*, query: str) -> QuerySet[Member]:
    """Back-office search by member number, name, or NIR (through its keyed hash)."""
    query = query.strip()
    if not query:
        return Member.objects.none()
    nir = normalize_nir(query)
    if len(nir) == 15 and nir[:1] in "12":
        digest = search_digest(nir)
        return Member.objects.filter(nir_digest=digest) | Member.objects.filter(beneficiaries__nir_digest=digest)
    number = normalize_member_number(query)
    by_number = Member.objects.filter(member_number=number)
    by_name = Member.objects.filter(last_name__icontains=query) | Member.objects.filter(
        beneficiaries__last_name__icontains=query
    )
    return (by_number | by_name).distinct().order_by("last_name", "first_name")


@dataclass(frozen=True)
class PlanSummary:
    code: str
    label: str
    tier_labels: tuple[str, ...]
    # A national scheme pays first (the French plan): its statements can be teletransmitted to us.
    national_scheme: bool = True
    plan_tiers: int = 1  # how many tiers the plan has: with one, "tiers, in the order they pay" says nothing


def family_change_kinds(*, member: Member, day: date) -> tuple[ChangeRequest.Kind, ...]:
    """The household events the member's plan takes from the members' space on ``day``, in the plan's
    order (its ``family_changes``); none without a plan, or when the plan takes none."""
    plan_code = subscriber_coverage_on(member=member, day=day).plan_code
    changes = get_plan(plan_code).family_changes if plan_code else None
    return tuple(ChangeRequest.Kind(kind) for kind in changes.kinds) if changes is not None else ()


def plan_summary(*, plan_code: str, tiers: tuple[str, ...], language: str) -> PlanSummary:
    """The plan's and tiers' names, from the engine's plan data, in the reader's language."""
    plan = get_plan(plan_code)
    labels = {tier.code: tier.label.get(language) for tier in plan.tiers}
    return PlanSummary(
        plan_code,
        plan.label.get(language),
        tuple(labels[code] for code in tiers),
        plan.has_national_scheme,
        len(plan.tiers),
    )


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    text: str  # a sentence: who did what to whom


# Never shown, even masked: that they changed is what a handler needs.
SENSITIVE_FIELDS = frozenset({"nir", "iban"})
STATUS_FIELD = TELETRANSMISSION_WORKFLOW.field


def household_history(*, member: Member, others: Iterable[tuple[str, QuerySet[Model]]] = ()) -> list[HistoryEntry]:
    """Every recorded change of the household's file, newest first, each a sentence a handler reads:
    changed details by their names with the old and new values in words, and status changes (the
    people's teletransmission, change requests). ``others``: the status changes of other things of the
    household, each a sentence naming it (``"Guarantee %(name)s"``, its objects)."""
    people: dict[tuple[type[Model], str], str] = {(Member, str(member.pk)): member.full_name}
    beneficiaries = list(member.beneficiaries.all())
    people |= {(Beneficiary, str(b.pk)): b.full_name for b in beneficiaries}
    beneficiary_ids = [str(b.pk) for b in beneficiaries]
    entries = LogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Member), object_pk=str(member.pk))
        | Q(content_type=ContentType.objects.get_for_model(Beneficiary), object_pk__in=beneficiary_ids)
    ).select_related("actor", "content_type")
    history = [
        HistoryEntry(entry.timestamp, _said_by(what, entry.actor))
        for entry in entries
        if (what := _logged(entry, people))
    ]
    teletransmission = dict(Teletransmission.choices)
    for change in [
        *status_history_for(model=Member, ids=[member.pk]),
        *status_history_for(model=Beneficiary, ids=beneficiary_ids),
    ]:
        what = _("Teletransmission of %(name)s: %(before)s → %(after)s") % {
            "name": people.get((change.content_type.model_class(), change.object_id), ""),
            "before": teletransmission.get(change.from_status, change.from_status),
            "after": teletransmission.get(change.to_status, change.to_status),
        }
        history.append(HistoryEntry(change.changed_at, _said_by(_with_reason(what, change.reason), change.changed_by)))
    requests = {str(change.pk): change for change in member.change_requests.all()}
    for change in status_history_for(model=ChangeRequest, ids=requests):
        request = requests[change.object_id]
        what = _("Request “%(kind)s” of %(day)s: %(before)s → %(after)s") % {
            "kind": request.get_kind_display(),
            "day": date_format(request.event_date, "SHORT_DATE_FORMAT"),
            "before": change.from_label,
            "after": change.to_label,
        }
        history.append(HistoryEntry(change.changed_at, _said_by(_with_reason(what, change.reason), change.changed_by)))
    for noun, objects in others:
        named = {str(thing.pk): str(thing) for thing in objects}
        for change in status_history_for(model=objects.model, ids=named):
            what = _("%(thing)s: %(before)s → %(after)s") % {
                "thing": noun % {"name": named[change.object_id]},
                "before": change.from_label,
                "after": change.to_label,
            }
            history.append(
                HistoryEntry(change.changed_at, _said_by(_with_reason(what, change.reason), change.changed_by))
            )
    return sorted(history, key=lambda entry: entry.at, reverse=True)


def _said_by(what: str, user: object) -> str:
    if user is None:
        return _("%(what)s, by Mutua (automatic)") % {"what": what}
    return _("%(what)s, by %(who)s") % {"what": what, "who": user.get_full_name() or user.get_username()}


def _with_reason(what: str, reason: str) -> str:
    return _("%(what)s (%(reason)s)") % {"what": what, "reason": reason} if reason.strip() else what


def _logged(entry: LogEntry, people: dict[tuple[type[Model], str], str]) -> str:
    """A logged creation, change or removal of a person of the file, in words; "" when it only moved
    the teletransmission, whose status changes are told with who made them and why."""
    model = entry.content_type.model_class()
    name = people.get((model, entry.object_pk), entry.object_repr)
    if entry.action == LogEntry.Action.CREATE:
        if model is Beneficiary:
            return _("%(name)s added as a beneficiary") % {"name": name}
        return _("File of %(name)s opened") % {"name": name}
    if entry.action == LogEntry.Action.DELETE:
        return _("%(name)s removed from the file") % {"name": name}
    changed = {field: values for field, values in (entry.changes_dict or {}).items() if field != STATUS_FIELD}
    if not changed:
        return ""
    # In the form's order, whatever order the database kept them in (PostgreSQL's jsonb sorts its keys).
    order = {field.name: index for index, field in enumerate(model._meta.get_fields())}
    changes = [
        _field_change(model, field, values)
        for field, values in sorted(changed.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    ]
    return _("Details of %(name)s changed: %(changes)s") % {"name": name, "changes": " · ".join(changes)}


def _field_change(model: type[Model], name: str, values: object) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return _("%(field)s changed") % {"field": name}
    label = str(field.verbose_name)
    if name in SENSITIVE_FIELDS or isinstance(field, JSONField) or not isinstance(values, list) or len(values) != 2:
        return _("%(field)s changed") % {"field": label}
    before, after = (_in_words(field, value) for value in values)
    if before is None and after is None:
        return _("%(field)s changed") % {"field": label}
    if before is None:
        return _("%(field)s set to %(after)s") % {"field": label, "after": after}
    if after is None:
        return _("%(field)s removed (was %(before)s)") % {"field": label, "before": before}
    return _("%(field)s: %(before)s → %(after)s") % {"field": label, "before": before, "after": after}


def _in_words(field: Field, value: object) -> str | None:
    """A logged value (the log keeps text) as a reader says it; None when there was none."""
    if value in (None, "", "None"):
        return None
    text = str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(text, text))
    if isinstance(field, BooleanField):
        return str(_("yes") if text == "True" else _("no"))
    if isinstance(field, CountryField):
        return country_name(text)
    try:
        if isinstance(field, DateTimeField):
            return date_format(timezone.localtime(datetime.fromisoformat(text)), "SHORT_DATETIME_FORMAT")
        if isinstance(field, DateField):
            return date_format(date.fromisoformat(text), "SHORT_DATE_FORMAT")
    except ValueError:
        return text
    if isinstance(field, ForeignKey):
        related = field.related_model.objects.filter(pk=text).first()
        return str(related) if related is not None else text
    return " ".join(text.split())  # an address on one line


def change_request_details(*, change_request: ChangeRequest) -> list[tuple[str, str]]:
    """The request's details as (label, value) lines for a handler, in the reader's language."""
    labels = {
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "birth_date": _("Date of birth"),
        "has_income": _("Has an income"),
        "postal_address": _("Postal address"),
        "nir": _("Social security number"),
    }
    lines = []
    for key, value in change_request.details.items():
        if key == "beneficiary_id":
            person = change_request.member.beneficiaries.filter(pk=value).first()
            lines.append((str(_("Person concerned")), person.full_name if person else "—"))
        elif key == "has_income":
            lines.append((str(labels[key]), str(_("yes") if value else _("no"))))
        elif key == "nir":
            lines.append((str(labels[key]), mask_identifier(value)))
        else:
            lines.append((str(labels.get(key, key)), str(value)))
    return lines
