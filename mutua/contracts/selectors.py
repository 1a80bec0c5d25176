"""Reads for contracts. ``coverage_on`` answers, for every screen, "is this person covered?"."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from engine import get_plan
from mutua.contracts.messages import REASON_TEXT
from mutua.contracts.models import (
    Beneficiary,
    BeneficiarySituation,
    ChangeRequest,
    ContractPlan,
    ManagementUnit,
    Member,
    SituationKind,
    Teletransmission,
)
from mutua.contracts.rules import BeneficiaryFacts, Kind, Period, Reason, eligibility_on, qualifies_until
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


@dataclass(frozen=True)
class Coverage:
    """Whether a person is covered on a day, under which plan and tiers, and why (not)."""

    covered: bool
    reason: Reason
    plan_code: str | None = None
    tiers: tuple[str, ...] = ()
    plan_version_from: date | None = None  # the contract's plan version in force (its start date)
    optional_cover: bool = False
    until: date | None = None  # last covered day of the current period, when known

    @property
    def explanation(self) -> Promise:
        return REASON_TEXT[self.reason]


def _plan_on(member: Member, day: date) -> ContractPlan | None:
    if member.contract is None:
        return None
    return next(
        (
            plan
            for plan in member.contract.plans.all()
            if plan.valid_from <= day and (plan.valid_to is None or day <= plan.valid_to)
        ),
        None,
    )


def _subscriber_last_day(member: Member) -> date | None:
    ends = [member.cover_end]
    if member.contract is not None and member.contract.termination_date is not None:
        ends.append(member.contract.termination_date - timedelta(days=1))
    known = [end for end in ends if end is not None]
    return min(known) if known else None


def subscriber_coverage_on(*, member: Member, day: date) -> Coverage:
    last_day = _subscriber_last_day(member)
    if member.cover_start is None or day < member.cover_start:
        return Coverage(False, Reason.NOT_YET_COVERED)
    if last_day is not None and day > last_day:
        return Coverage(False, Reason.SUBSCRIBER_NOT_COVERED)
    plan = _plan_on(member, day)
    if plan is None:
        return Coverage(False, Reason.NO_PLAN)
    return Coverage(
        True, Reason.SUBSCRIBER, plan.plan_code, tuple(plan.tiers), plan_version_from=plan.valid_from, until=last_day
    )


def beneficiary_facts(beneficiary: Beneficiary) -> BeneficiaryFacts:
    periods: dict[str, list[Period]] = {kind: [] for kind in SituationKind.values}
    for situation in beneficiary.situations.all():
        periods[situation.kind].append(Period(situation.valid_from, situation.valid_to))
    optional = (
        Period(beneficiary.optional_cover_from, beneficiary.optional_cover_until)
        if beneficiary.optional_cover_from
        else None
    )
    return BeneficiaryFacts(
        kind=Kind(beneficiary.relationship),
        birth_date=beneficiary.birth_date,
        lives_in_household=beneficiary.lives_in_household,
        has_income=beneficiary.has_income,
        household_taxable=beneficiary.household_taxable,
        tax_dependent=beneficiary.tax_dependent,
        disabled_before_28=beneficiary.disabled_before_28,
        studies=tuple(periods[SituationKind.STUDIES]),
        paid_gap_years=tuple(periods[SituationKind.PAID_GAP_YEAR]),
        job_seeking=tuple(periods[SituationKind.JOB_SEEKER]),
        apprenticeships=tuple(periods[SituationKind.APPRENTICESHIP]),
        civic_service=tuple(periods[SituationKind.CIVIC_SERVICE]),
        optional_cover=optional,
    )


def beneficiary_coverage_on(*, beneficiary: Beneficiary, day: date) -> Coverage:
    subscriber = subscriber_coverage_on(member=beneficiary.member, day=day)
    if not subscriber.covered:
        reason = subscriber.reason if subscriber.reason == Reason.NO_PLAN else Reason.SUBSCRIBER_NOT_COVERED
        return Coverage(False, reason)
    if day < beneficiary.cover_start:
        return Coverage(False, Reason.NOT_YET_COVERED)
    if beneficiary.removed_on is not None and day >= beneficiary.removed_on:
        return Coverage(False, Reason.REMOVED)
    facts = beneficiary_facts(beneficiary)
    eligibility = eligibility_on(facts, day)
    if not eligibility.eligible:
        return Coverage(False, eligibility.reason)
    ends = [qualifies_until(facts, day), subscriber.until]
    if beneficiary.removed_on is not None:
        ends.append(beneficiary.removed_on - timedelta(days=1))
    known = [end for end in ends if end is not None]
    return Coverage(
        True,
        eligibility.reason,
        subscriber.plan_code,
        subscriber.tiers,
        plan_version_from=subscriber.plan_version_from,
        optional_cover=eligibility.optional_cover,
        until=min(known) if known else None,
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
