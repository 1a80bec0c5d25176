"""Reads for contracts (whether a person is covered on a day: ``cover``)."""

from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from engine import get_plan
from mutua.contracts.models import (
    Beneficiary,
    BeneficiarySituation,
    ChangeRequest,
    ManagementUnit,
    Member,
    Teletransmission,
)
from mutua.core.crypto import mask_identifier, search_digest
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


def plan_summary(*, plan_code: str, tiers: tuple[str, ...], language: str) -> PlanSummary:
    """The plan's and tiers' names, from the engine's plan data, in the reader's language."""
    plan = get_plan(plan_code)
    labels = {tier.code: tier.label.get(language) for tier in plan.tiers}
    return PlanSummary(plan_code, plan.label.get(language), tuple(labels[code] for code in tiers))


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    subject: str
    what: str


def household_history(*, member: Member) -> list[HistoryEntry]:
    """Every recorded change of the household's file, newest first: field changes and decisions."""
    beneficiary_ids = [str(pk) for pk in member.beneficiaries.values_list("pk", flat=True)]
    entries = LogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Member), object_pk=str(member.pk))
        | Q(content_type=ContentType.objects.get_for_model(Beneficiary), object_pk__in=beneficiary_ids)
    ).select_related("actor")
    history = [
        HistoryEntry(
            at=entry.timestamp,
            who=entry.actor.get_username() if entry.actor else "",
            subject=entry.object_repr,
            what="; ".join(
                f"{field}: {' → '.join(map(str, values))}" for field, values in entry.changes_display_dict.items()
            ),
        )
        for entry in entries
    ]
    for change in status_history_for(model=ChangeRequest, ids=member.change_requests.values_list("pk", flat=True)):
        history.append(
            HistoryEntry(
                at=change.changed_at,
                who=change.changed_by.get_username() if change.changed_by else "",
                subject=str(change.subject),
                what=f"{change.from_label} → {change.to_label}: {change.reason}",
            )
        )
    labels = dict(Teletransmission.choices)
    people = [
        *status_history_for(model=Member, ids=[member.pk]),
        *status_history_for(model=Beneficiary, ids=beneficiary_ids),
    ]
    for change in people:
        history.append(
            HistoryEntry(
                at=change.changed_at,
                who=change.changed_by.get_username() if change.changed_by else "",
                subject=str(change.subject),
                what=_("teletransmission: %(before)s → %(after)s %(reason)s")
                % {
                    "before": labels.get(change.from_status, change.from_status),
                    "after": labels.get(change.to_status, change.to_status),
                    "reason": change.reason,
                },
            )
        )
    return sorted(history, key=lambda entry: entry.at, reverse=True)


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
