"""Asking for a hospital guarantee and answering it: at once when the rules allow, otherwise by a
handler who attaches the hospital, negotiates direct settlement outside the network, issues or refuses.

Seed 000: showing the card guarantees the first 2 days with no prior agreement; beyond, or
without the card, the hospital gets a temporary letter valid for the first 4 days; a network
hospital gets its guarantee of payment within 2 hours; outside the network the management
unit arranges direct settlement first.

Every status change goes through ``status_change`` (row lock + history row); everything is
checked before anything is written, in one transaction.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.plan import Plan
from engine.plan_sections import Hospital
from mutua.accounts.models import MANAGEMENT_UNIT_ROLES, User
from mutua.contracts.models import Beneficiary, Member
from mutua.core.workflow import status_change
from mutua.guarantees.access import guarantee_locked, role_require
from mutua.guarantees.models import Guarantee, Negotiation
from mutua.guarantees.notices import guarantee_notify
from mutua.guarantees.stays import (
    MAX_STAY_DAYS,
    Cost,
    care_country,
    cost_label,
    days_between,
    guarantee_costs,
    guarantee_plan,
    hospital_plan,
    stay_costs,
    stay_flags,
    stay_lines,
)
from mutua.providers.models import Provider
from mutua.quotes.estimates import Estimate, LineInput, person_coverage, quote_estimate_compute
from mutua.quotes.services import estimate_store

# Why a request waits for a handler instead of being issued at once.
REVIEW_REASONS = {
    "unknown_hospital": gettext_lazy("the hospital is not on file yet: attach it, or register it"),
    "out_of_network": gettext_lazy("hospital outside the network: arrange direct settlement first"),
    "overlapping": gettext_lazy("another guarantee covers some of the same days"),
    "cover_ends": gettext_lazy("the cover ends during the stay"),
    "long_stay": gettext_lazy("stay longer than automatic issue allows"),
    "high_amount": gettext_lazy("amount guaranteed above the automatic limit"),
}
# A guarantee holds its days from the request until it is refused, invoiced or closed.
HOLDING_DAYS = Guarantee.OPEN | {Guarantee.Status.ISSUED, Guarantee.Status.EXTENSION_REQUESTED}
# The price used to ask the engine for a per-day limit: far above any room, so the limit is what it pays.
_PROBE_PER_DAY = Decimal("100000.00")


def _period(
    *, rules: Hospital, kind: str, network: bool, card_shown: bool, admission: date, discharge: date | None
) -> tuple[str, date, date | None]:
    """What the hospital gets, until when, and until when the card alone guarantees the stay (the plan's days).

    Seed 000: the card guarantees the first days; beyond, or without it, the hospital gets a temporary
    letter of guarantee for the first days, and a network hospital a guarantee of payment for as long.
    """
    if kind == Guarantee.Kind.PLANNED:
        return Guarantee.Form.GUARANTEE_OF_PAYMENT, discharge, None
    card_until = admission + timedelta(days=rules.card_days - 1) if card_shown and rules.card_days else None
    if card_until and discharge and discharge <= card_until:
        return Guarantee.Form.CARD, card_until, card_until
    form = Guarantee.Form.GUARANTEE_OF_PAYMENT if network else Guarantee.Form.TEMPORARY_LETTER
    return form, admission + timedelta(days=rules.temporary_letter_days - 1), card_until


def _check_request(
    *,
    kind: str,
    stay_kind: str,
    provider: Provider | None,
    hospital_name: str,
    hospital_phone: str,
    admission: date,
    discharge: date | None,
    today: date,
) -> None:
    problems = []
    if kind not in Guarantee.Kind.values or stay_kind not in Guarantee.StayKind.values:
        problems.append(_("Choose the kind of request and the kind of stay."))
    if provider is None and not (hospital_name.strip() and hospital_phone.strip()):
        problems.append(_("Choose the hospital, or give its name and telephone number."))
    if provider is not None and not provider.active:
        problems.append(_("This hospital no longer works with us: give its name and telephone number."))
    if kind == Guarantee.Kind.PLANNED:
        if admission < today:
            problems.append(_("The admission date of a planned stay cannot be in the past."))
        if discharge is None:
            problems.append(_("Give the expected discharge date."))
    elif admission > today or admission < today - timedelta(days=30):
        problems.append(_("An emergency admission is notified within 30 days, not before it happens."))
    if admission > today + timedelta(days=365):
        problems.append(_("Ask for the guarantee at most a year before the stay."))
    elif discharge is not None and not admission <= discharge <= admission + timedelta(days=MAX_STAY_DAYS):
        problems.append(_("The discharge date must come after the admission date, within a year."))
    if problems:
        raise ValidationError([ValidationError(problem, code="request") for problem in problems])


def _estimate_nothing(guarantee: Guarantee) -> None:
    """The guarantee states its plan, with no cost and no daily limit."""
    coverage = person_coverage(member=guarantee.member, beneficiary=guarantee.beneficiary, on=guarantee.admission_date)
    guarantee.day_limits = []
    estimate = Estimate(guarantee.admission_date, coverage.plan_code, coverage.plan_version_from, coverage.tiers, ())
    estimate_store(holder=guarantee, estimate=estimate)


def _estimate(guarantee: Guarantee, lines: Sequence[LineInput], *, plan: Plan) -> None:
    """Store the engine's estimate of the costs given, and the per-day limits of the stay's costs, in the
    plan's currency."""
    member, beneficiary = guarantee.member, guarantee.beneficiary
    on = guarantee.admission_date
    guarantee.currency = plan.currency
    country = care_country(plan, guarantee.provider)
    if plan.zones is not None and not country:
        # Where the care is given decides this plan's cover: nothing is estimated until the hospital is on file.
        if lines:
            raise ValidationError(_("Choose the hospital in the list to send its estimate."), code="hospital")
        _estimate_nothing(guarantee)
        return
    flags = stay_flags(
        stay_kind=guarantee.stay_kind, conventionne=guarantee.provider.conventionne if guarantee.provider else True
    )
    probes = [
        LineInput(
            benefit_code=cost.benefit, amount=_PROBE_PER_DAY, flags=flags, label=cost_label(cost), country=country
        )
        for cost in stay_costs(plan, guarantee.stay_kind)
        if cost.per_day
    ]
    if not (probes or lines):
        _estimate_nothing(guarantee)
        return
    limits = quote_estimate_compute(member=member, beneficiary=beneficiary, on=on, lines=probes) if probes else None
    # A cost the plan pays in full whatever its price has no limit per day to state.
    guarantee.day_limits = [
        {"benefit_code": line.line.benefit_code, "per_day": str(line.fields["paid_total"])}
        for line in (limits.lines if limits else ())
        if Decimal(line.fields["paid_total"]) < _PROBE_PER_DAY
    ]
    # Without costs (an emergency), the guarantee still states the plan and the per-day limits.
    estimate = quote_estimate_compute(member=member, beneficiary=beneficiary, on=on, lines=lines) if lines else None
    estimate_store(holder=guarantee, estimate=estimate or replace(limits, lines=()))


def _covered(guarantee: Guarantee, on: date) -> bool:
    return person_coverage(member=guarantee.member, beneficiary=guarantee.beneficiary, on=on).covered


def _review_reasons(guarantee: Guarantee, *, rules: Hospital) -> list[str]:
    reasons = []
    if guarantee.provider is None:
        reasons.append("unknown_hospital")
    elif not guarantee.provider.in_network and guarantee.form != Guarantee.Form.CARD:
        reasons.append("out_of_network")
    overlapping = Guarantee.objects.filter(
        member=guarantee.member,
        beneficiary=guarantee.beneficiary,
        status__in=HOLDING_DAYS,
        valid_from__lte=guarantee.valid_until,
        valid_until__gte=guarantee.valid_from,
    ).exclude(pk=guarantee.pk)
    if overlapping.exists():
        reasons.append("overlapping")
    if not _covered(guarantee, guarantee.valid_until):
        reasons.append("cover_ends")
    if days_between(guarantee.valid_from, guarantee.valid_until) > rules.auto_max_days:
        reasons.append("long_stay")
    if guarantee.total_plan > rules.auto_max_amount:  # both in the plan's currency
        reasons.append("high_amount")
    return reasons


def _issue(guarantee: Guarantee, *, by: User | None, reason: str) -> Guarantee:
    guarantee.issued_at, guarantee.issued_by = timezone.now(), by
    guarantee.save(update_fields=["issued_at", "issued_by"])
    guarantee = status_change(
        instance=guarantee, workflow=Guarantee.WORKFLOW, to_status=Guarantee.Status.ISSUED, by=by, reason=reason
    )
    guarantee_notify(guarantee, "issued", valid_until=guarantee.valid_until.strftime("%d/%m/%Y"))
    return guarantee


def guarantee_request(
    *,
    member: Member,
    beneficiary: Beneficiary | None,
    by: User,
    channel: str,
    kind: str,
    stay_kind: str,
    admission_date: date,
    expected_discharge: date | None = None,
    provider: Provider | None = None,
    hospital_name: str = "",
    hospital_phone: str = "",
    planned_acts: str = "",
    costs: Sequence[Cost] = (),
    card_shown: bool = False,
    notifier_name: str = "",
    notifier_phone: str = "",
) -> Guarantee:
    """Record a request and answer it at once when cover and rules allow; otherwise queue it for a
    handler with its deadline (2 hours for a network hospital)."""
    if beneficiary is not None and beneficiary.member_id != member.pk:
        raise PermissionDenied
    if channel == Guarantee.Channel.BACKOFFICE:
        role_require(by, MANAGEMENT_UNIT_ROLES)  # a handler keying in a telephone call
    now = timezone.now()
    _check_request(
        kind=kind,
        stay_kind=stay_kind,
        provider=provider,
        hospital_name=hospital_name,
        hospital_phone=hospital_phone,
        admission=admission_date,
        discharge=expected_discharge,
        today=timezone.localdate(),
    )
    coverage = person_coverage(member=member, beneficiary=beneficiary, on=admission_date)
    if not coverage.covered:
        raise ValidationError(
            _("Not covered on %(date)s: %(reason)s"),
            params={"date": admission_date.strftime("%d/%m/%Y"), "reason": coverage.explanation},
            code="not_covered",
        )
    plan = hospital_plan(coverage.plan_code)
    lines = stay_lines(plan=plan, stay_kind=stay_kind, provider=provider, costs=costs)
    network = provider is not None and provider.in_network
    form, valid_until, card_until = _period(
        rules=plan.hospital,
        kind=kind,
        network=network,
        card_shown=card_shown,
        admission=admission_date,
        discharge=expected_discharge,
    )
    # A network hospital within the plan's promise (seed 000: 2 hours); others after negotiation, our choice.
    hours = plan.hospital.network_answer_hours if network else settings.GUARANTEES_OTHER_ANSWER_HOURS
    with transaction.atomic():
        Member.objects.select_for_update().get(pk=member.pk)  # one request at a time per household
        guarantee = Guarantee.objects.create(
            member=member,
            beneficiary=beneficiary,
            provider=provider,
            hospital_name=(provider.name if provider else hospital_name).strip()[:200],
            hospital_phone=(provider.phone if provider else hospital_phone).strip()[:30],
            kind=kind,
            stay_kind=stay_kind,
            form=form,
            channel=channel,
            card_shown=card_shown,
            admission_date=admission_date,
            expected_discharge=expected_discharge,
            planned_acts=planned_acts.strip(),
            notifier_name=notifier_name.strip()[:100],
            notifier_phone=notifier_phone.strip()[:30],
            requested_at=now,
            requested_by=by,
            deadline=now + timedelta(hours=hours),
            card_cover_until=card_until,
            valid_from=admission_date,
            valid_until=valid_until,
        )
        guarantee.reference = f"{plan.hospital.reference_prefix}-{now:%Y}-{guarantee.pk:06d}"
        guarantee.save(update_fields=["reference"])
        _estimate(guarantee, lines, plan=plan)
        reasons = _review_reasons(guarantee, rules=plan.hospital)
        if reasons:
            guarantee.review_reasons = reasons
            guarantee.save(update_fields=["review_reasons"])
            guarantee_notify(
                guarantee, "received", deadline=timezone.localtime(guarantee.deadline).strftime("%d/%m/%Y %H:%M")
            )
            return guarantee
        reason = _("card shown at admission") if form == Guarantee.Form.CARD else _("issued automatically")
        return _issue(guarantee, by=None, reason=reason)


def guarantee_provider_attach(*, guarantee: Guarantee, provider: Provider, by: User) -> Guarantee:
    """The handler names the hospital on file that the member described; the estimate follows it
    (a hospital not agreed with the Assurance Maladie is paid differently)."""
    role_require(by, MANAGEMENT_UNIT_ROLES)
    with transaction.atomic():
        guarantee = guarantee_locked(guarantee)
        if guarantee.status not in Guarantee.OPEN:
            raise ValidationError(_("This request is already answered."), code="answered")
        plan = guarantee_plan(guarantee)
        lines = stay_lines(
            plan=plan, stay_kind=guarantee.stay_kind, provider=provider, costs=guarantee_costs(guarantee)
        )
        guarantee.provider = provider
        guarantee.save(update_fields=["provider"])
        _estimate(guarantee, lines, plan=plan)
        guarantee.review_reasons = [r for r in guarantee.review_reasons if r != "unknown_hospital"]
        if not provider.in_network and "out_of_network" not in guarantee.review_reasons:
            guarantee.review_reasons.append("out_of_network")
        guarantee.save(update_fields=["review_reasons"])
    return guarantee


def negotiation_record(*, guarantee: Guarantee, by: User, contact: str, outcome: str, terms: str = "") -> Negotiation:
    """A contact with a hospital outside the network; the request is then being arranged."""
    role_require(by, MANAGEMENT_UNIT_ROLES)
    if not contact.strip() or outcome not in Negotiation.Outcome.values:
        raise ValidationError(_("Say whom you contacted, how, and the outcome."), code="negotiation")
    if outcome == Negotiation.Outcome.AGREED and not terms.strip():
        raise ValidationError(_("Write down the terms agreed with the hospital."), code="terms")
    with transaction.atomic():
        guarantee = guarantee_locked(guarantee)
        if guarantee.status not in Guarantee.OPEN:
            raise ValidationError(_("This request is already answered."), code="answered")
        negotiation = Negotiation.objects.create(
            guarantee=guarantee, contact=contact.strip()[:200], outcome=outcome, terms=terms.strip(), recorded_by=by
        )
        if guarantee.status == Guarantee.Status.REQUESTED:
            status_change(
                instance=guarantee,
                workflow=Guarantee.WORKFLOW,
                to_status=Guarantee.Status.NEGOTIATING,
                by=by,
                reason=negotiation.get_outcome_display(),
            )
    return negotiation


def guarantee_issue(*, guarantee: Guarantee, by: User) -> Guarantee:
    """A handler issues the guarantee, with the estimate computed again on today's counters.

    Outside the network, only once the hospital has agreed to direct settlement.
    """
    role_require(by, MANAGEMENT_UNIT_ROLES)
    with transaction.atomic():
        guarantee = guarantee_locked(guarantee)
        if guarantee.status not in Guarantee.OPEN:
            raise ValidationError(_("This request is already answered."), code="answered")
        if guarantee.provider is None:
            raise ValidationError(
                _("Attach the hospital on file, or register it, before issuing."), code="unknown_hospital"
            )
        agreed = guarantee.negotiations.filter(outcome=Negotiation.Outcome.AGREED).exists()
        if not guarantee.provider.in_network and guarantee.form != Guarantee.Form.CARD and not agreed:
            raise ValidationError(
                _("This hospital is outside the network: record its agreement to direct settlement first."),
                code="not_agreed",
            )
        if not _covered(guarantee, guarantee.valid_from):
            raise ValidationError(_("The patient is no longer covered on the admission date."), code="not_covered")
        plan = guarantee_plan(guarantee)
        costs = guarantee_costs(guarantee)
        _estimate(
            guarantee,
            stay_lines(plan=plan, stay_kind=guarantee.stay_kind, provider=guarantee.provider, costs=costs),
            plan=plan,
        )
        return _issue(guarantee, by=by, reason=_("issued by the management unit"))


def guarantee_refuse(*, guarantee: Guarantee, by: User, reason: str) -> Guarantee:
    role_require(by, MANAGEMENT_UNIT_ROLES)
    if not reason.strip():
        raise ValidationError(_("Explain the refusal to the member and the hospital."), code="reason")
    with transaction.atomic():
        guarantee = guarantee_locked(guarantee)
        if guarantee.status not in Guarantee.OPEN:
            raise ValidationError(_("This request is already answered."), code="answered")
        guarantee.refusal_reason = reason.strip()
        guarantee.save(update_fields=["refusal_reason"])
        guarantee = status_change(
            instance=guarantee, workflow=Guarantee.WORKFLOW, to_status=Guarantee.Status.REFUSED, by=by, reason=reason
        )
        guarantee_notify(guarantee, "refused", reason=guarantee.refusal_reason)
    return guarantee
