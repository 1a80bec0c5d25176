"""Reads of prior approvals: a household's own, the medical advisor's queue, what a claims handler may
see (never the medical content), and the flags an approval gives the care lines it covers."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from engine import get_plan, list_plans
from mutua.approvals.models import PriorApproval
from mutua.contracts.cover import subscriber_coverage_on
from mutua.contracts.models import Member
from mutua.core.countries import country_name


def member_has_zones(*, member: Member) -> bool:
    """Whether the member's plan today covers some countries only on conditions, one being the medical
    advisor's prior approval (the portal's home offers the page)."""
    code = subscriber_coverage_on(member=member, day=timezone.localdate()).plan_code
    return bool(code) and get_plan(code).zones is not None


def approvals_of_household(*, member: Member) -> QuerySet[PriorApproval]:
    return PriorApproval.objects.filter(member=member).select_related("beneficiary")


def approval_of_household(*, member: Member, approval_id: int) -> PriorApproval | None:
    """The household's approval, or None for another household's (the caller answers 404)."""
    return approvals_of_household(member=member).filter(pk=approval_id).first()


def approvals_waiting() -> QuerySet[PriorApproval]:
    """The medical advisor's queue: the oldest request first."""
    return (
        PriorApproval.objects.filter(status=PriorApproval.Status.REQUESTED)
        .select_related("member", "beneficiary")
        .order_by("requested_at", "pk")
    )


def approval_care_label(plan_code: str, section: str, language: str | None = None) -> str:
    """The care (a plan section) in the reader's words: "In-patient care"."""
    found = get_plan(plan_code).sections.get(section)
    return found.label.get((language or get_language() or "en").split("-")[0]) if found else section


def restricted_zone_labels(plan_code: str, language: str | None = None) -> list[str]:
    """The plan's restricted zones by name, in the reader's language ("North America", "Singapore"…)."""
    zones = get_plan(plan_code).zones
    lang = (language or get_language() or "en").split("-")[0]
    return [zone.label.get(lang) for zone in zones.restricted] if zones else []


def approval_section_choices(plan_code: str, language: str | None = None) -> list[tuple[str, str]]:
    return [(code, approval_care_label(plan_code, code, language)) for code in get_plan(plan_code).sections]


@dataclass(frozen=True)
class ApprovalForHandler:
    """What a claims handler sees of an approved request: who, which care, where, from when until when."""

    person: str
    care: str
    country: str
    valid_from: date
    valid_to: date


def approvals_for_handler(*, member_ids: Collection[int]) -> list[ApprovalForHandler]:
    """The households' approved requests, without the medical report nor the reason given for it."""
    approved = PriorApproval.objects.filter(member_id__in=member_ids, status=PriorApproval.Status.APPROVED)
    return [
        ApprovalForHandler(
            person=(approval.beneficiary or approval.member).full_name,
            care=approval_care_label(approval.plan_code, approval.approved_section),
            country=country_name(approval.approved_country),
            valid_from=approval.valid_from,
            valid_to=approval.valid_to,
        )
        for approval in approved.select_related("member", "beneficiary").order_by("-valid_from")
    ]


@dataclass(frozen=True)
class CareFacts:
    """A care line as an approval is matched against it."""

    member_id: int
    beneficiary_id: int | None
    on: date
    country: str
    plan_code: str
    benefit_code: str


NO_FLAGS: frozenset[str] = frozenset()


def approved_flags_for(lines: Sequence[CareFacts]) -> list[frozenset[str]]:
    """For each line, the flags an approved request covering it gives: ``prior_approval`` when the person,
    the date, the country and the care (the benefit's plan section) fall inside it, and
    ``life_threatening`` too when that was the reason. One query for the whole batch."""
    wanted = [line for line in lines if line.country]
    if not wanted:
        return [NO_FLAGS] * len(lines)
    approved = PriorApproval.objects.filter(
        member_id__in={line.member_id for line in wanted},
        status=PriorApproval.Status.APPROVED,
        valid_from__lte=max(line.on for line in wanted),
        valid_to__gte=min(line.on for line in wanted),
    ).values_list(
        "member_id", "beneficiary_id", "valid_from", "valid_to", "approved_country", "approved_section", "reason"
    )
    by_member: dict[int, list[tuple]] = {}
    for row in approved:
        by_member.setdefault(row[0], []).append(row)
    return [_flags(line, by_member.get(line.member_id, ())) for line in lines]


def _flags(line: CareFacts, approvals: Sequence[tuple]) -> frozenset[str]:
    if not line.country or not approvals:
        return NO_FLAGS
    benefit = get_plan(line.plan_code).benefit(line.benefit_code) if line.plan_code else None
    section = benefit.section if benefit else None
    flags: set[str] = set()
    for _member, beneficiary_id, valid_from, valid_to, country, approved_section, reason in approvals:
        if (
            beneficiary_id == line.beneficiary_id
            and valid_from <= line.on <= valid_to
            and country == line.country
            and approved_section == section
        ):
            flags.add("prior_approval")
            if reason == PriorApproval.Reason.LIFE_THREATENING:
                flags.add("life_threatening")
    return frozenset(flags)


def zone_plans_section_choices(language: str | None = None) -> list[tuple[str, str]]:
    """The care a hospital may ask approval for before it knows the patient's plan: the sections of the
    plans with restricted zones."""
    choices: dict[str, str] = {}
    for plan in list_plans():
        if plan.zones is not None:
            choices.update({code: label for code, label in approval_section_choices(plan.code, language)})
    return list(choices.items())
