"""Writes of the benefits layer: deciding a claim's lines through the one pipeline, and the item-level
writes every channel and the handlers use (a draft item, a handler's accept or refusal, the AM's
correction of care paid on typed figures). Everything that reads or writes a household's counters
holds its lock (``closing.household_lock``) first.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from engine import Counters, LineResult, Usage, get_plan
from mutua.accounts.models import User
from mutua.benefits import adapter, lines, reasons
from mutua.benefits.closing import claim_complete_if_decided, household_lock, statement_revise
from mutua.benefits.decisions import Received, decisions_write
from mutua.benefits.models import Claim, ClaimItem, CounterUsage, RejectionReason
from mutua.benefits.payables import item_owed, payable_correct
from mutua.benefits.pipeline import ACCEPTED, Decision, Line, decide_lines
from mutua.benefits.same_care import SameCare
from mutua.benefits.selectors import claim_coverage, sent_care
from mutua.core.formatting import money_format
from mutua.core.workflow import status_change
from mutua.notifications.services import notification_send

ZERO = Decimal("0.00")
CEILING = "claim"  # the key of a claim's ceiling among the pipeline's ceilings


@dataclass(frozen=True)
class CareEntry:
    """A care line of a claim as its channel has it: a pending item's figures, or an invoice line's."""

    item: Received | int  # new: what was received; pending: the item's primary key
    benefit_code: str
    care_date: date
    amount: Decimal | None  # in the plan's currency; None: no exchange rate known yet (a handler converts it)
    currency: str = ""  # the currency paid in; empty: the plan's
    br: Decimal | None = None
    mr: Decimal | None = None
    other_paid: Decimal = ZERO
    quantity: int = 1
    flags: frozenset[str] = frozenset()
    attributes: dict[str, str] = field(default_factory=dict)
    provider: str = ""
    duplicate_document: bool = False
    receipt_mismatch: bool = False
    refusal: tuple[str, str] | None = None  # refused by the channel itself (outside a guaranteed period)
    country: str = ""  # where the care was given (ISO 3166-1 alpha-2), for a plan's zone rules


def claim_item_draft(*, claim: Claim, fields: Mapping[str, object]) -> ClaimItem:
    """A care item waiting in a claim until it is sent (an online claim being written): ``fields`` are
    the item's own, as its channel checked them. The caller holds the claim's lock."""
    item = ClaimItem(claim=claim, **fields)
    item.full_clean()
    item.save()
    return item


def claim_lines_decide(*, claim: Claim, entries: Sequence[CareEntry]) -> Claim:
    """Decide a sent claim's lines (an online claim's pending items, a hospital's invoice lines) through
    the pipeline and its writer, under the household's lock; the claim is closed once nothing waits."""
    with transaction.atomic():
        household_lock(claim.member_id)
        return _lines_decide(claim, list(entries))


def _lines_decide(claim: Claim, entries: list[CareEntry]) -> Claim:
    if not entries:
        return claim_complete_if_decided(claim)
    lines = _lines(claim, entries)
    member_ids = {claim.member_id}
    decisions = decide_lines(
        lines,
        households=adapter.households_of(member_ids),
        counters=adapter.counters_of(member_ids, since=min(entry.care_date for entry in entries)),
        limits=reasons.limits_today(),
        ceilings={CEILING: claim.ceiling} if claim.ceiling is not None else {},
    )
    aside = _claim_for_set_aside(claim, decisions) if any(d.set_aside for d in decisions) else claim
    decisions_write(
        decisions=decisions,
        items=[entry.item for entry in entries],
        claims=[aside.pk if decision.set_aside else claim.pk for decision in decisions],
        by=None,
        now=timezone.now(),
    )
    return claim_complete_if_decided(claim)


def _lines(claim: Claim, entries: list[CareEntry]) -> list[Line]:
    person = adapter.person_key(member_id=claim.member_id, beneficiary_id=claim.beneficiary_id)
    days = [entry.care_date for entry in entries]
    same_care = SameCare(sent_care(member_ids={claim.member_id}, first=min(days), last=max(days)))
    coverages = [claim_coverage(claim=claim, day=entry.care_date) for entry in entries]
    approved = adapter.approved_flags(
        member_id=claim.member_id,
        beneficiary_id=claim.beneficiary_id,
        cares=[
            (entry.care_date, entry.country, coverage.plan_code or "", entry.benefit_code)
            for entry, coverage in zip(entries, coverages, strict=True)
        ],
    )
    lines = []
    for number, entry in enumerate(entries):
        coverage = coverages[number]
        refusal = entry.refusal
        if refusal is None and not coverage.covered:
            refusal = (RejectionReason.RIGHTS_EXPIRED.value, str(coverage.explanation))
        earlier = same_care.find(
            member_id=claim.member_id,
            beneficiary_id=claim.beneficiary_id,
            benefit_code=entry.benefit_code,
            care_date=entry.care_date,
            amount=entry.amount,
            channel=claim.channel,
            provider=entry.provider,
            item_id=entry.item if isinstance(entry.item, int) else None,
        )
        line_id = ClaimItem.line_id_of(entry.item) if isinstance(entry.item, int) else f"new-{number}"
        lines.append(
            Line(
                care=adapter.care_line_of(
                    line_id=line_id,
                    person=person,
                    on=entry.care_date,
                    benefit_code=entry.benefit_code,
                    amount=entry.amount,
                    br=entry.br,
                    mr=entry.mr,
                    quantity=entry.quantity,
                    flags=entry.flags | approved[number],
                    attributes=entry.attributes,
                    other_paid=entry.other_paid,
                    country=entry.country,
                ),
                household=claim.member_id,
                plan_code=coverage.plan_code or "",
                tiers=coverage.tiers,
                facts=_facts(claim, entry, coverage.plan_code, same_care=earlier is not None, approved=approved[number])
                if not refusal
                else None,
                earlier=earlier,
                refusal=refusal,
                ceiling=CEILING,
            )
        )
    return lines


def _facts(
    claim: Claim, entry: CareEntry, plan_code: str, *, same_care: bool, approved: frozenset[str] = frozenset()
) -> reasons.LineFacts:
    zone_declared = reasons.zone_opened_by_declaration(
        plan_code=plan_code, country=entry.country, duty_station=claim.member.duty_station, flags=entry.flags | approved
    )
    return reasons.line_facts(
        plan_code=plan_code,
        benefit_code=entry.benefit_code,
        channel=claim.channel,
        care_date=entry.care_date,
        amount=entry.amount,
        converted=bool(entry.currency) and entry.currency != get_plan(plan_code).currency,
        flags=entry.flags,
        mr=entry.mr,
        same_care=same_care,
        duplicate_document=entry.duplicate_document,
        receipt_mismatch=entry.receipt_mismatch,
        zone_declared=zone_declared,
    )


def _claim_for_set_aside(claim: Claim, decisions: list[Decision]) -> Claim:
    """Lines above the claim's ceiling wait in a claim of their own, paid to the same payee once a
    handler has decided them, so that the rest is paid now; with nothing to pay now, the claim waits
    whole."""
    accepted = [decision for decision in decisions if decision.status == ACCEPTED]
    if not accepted and not claim.items.filter(status=ClaimItem.Status.ACCEPTED).exists():
        return claim
    paid = sum((decision.paid for decision in accepted), ZERO)
    waiting = Claim.objects.create(
        member_id=claim.member_id,
        beneficiary_id=claim.beneficiary_id,
        channel=claim.channel,
        paid_to_id=claim.paid_to_id,
        name=(_("%(name)s, above the guarantee") % {"name": claim.name})[:100],
        ceiling=claim.ceiling - paid,  # what the guarantee has left once the rest is paid
        submitted_at=claim.submitted_at,
    )
    return status_change(instance=waiting, workflow=Claim.WORKFLOW, to_status=Claim.Status.IN_PROGRESS, by=None)


def item_accept(
    *, item: ClaimItem, by: User | None, plan_code: str, tiers: tuple[str, ...], reason: str = ""
) -> ClaimItem:
    """Accept an item at the engine's amounts and record what it consumed of the counters."""
    item_recompute(item, by=by, plan_code=plan_code, tiers=tiers)
    return status_change(
        instance=item, workflow=ClaimItem.WORKFLOW, to_status=ClaimItem.Status.ACCEPTED, by=by, reason=reason
    )


def item_recompute(item: ClaimItem, *, by: User | None, plan_code: str, tiers: tuple[str, ...]) -> None:
    """The engine's amounts on the item, and its counter usages in place of any earlier ones."""
    _apply(item, lines.adjudicate_item(item, plan_code=plan_code, tiers=tiers), plan_code=plan_code)
    item.decided_at, item.decided_by = timezone.now(), by
    item.save()


def _apply(item: ClaimItem, result: LineResult, *, plan_code: str) -> None:
    CounterUsage.objects.filter(line_id=item.line_id).delete()
    CounterUsage.objects.bulk_create(adapter.usage_rows(item.claim.member, result.usages))
    for name, value in adapter.result_fields(result, plan_code=plan_code).items():
        setattr(item, name, value)


def claim_item_am_correct(
    *,
    item: ClaimItem,
    br: Decimal,
    mr: Decimal,
    am_rate: Decimal | None,
    source: str,
    history: Counters | None = None,
) -> tuple[Usage, ...] | None:
    """The AM's statement arrives for care already reimbursed on figures someone typed (online, or a
    hospital's invoice): the item is computed again on the AM's figures and any difference goes
    through the payments ledger (an adjustment, or a reversal the next payments net off).

    Returns the item's new counter usages when it changed, None when the AM's figures change nothing.
    ``history`` are the household's counters when the caller holds usages not written yet (an AM
    chunk); the caller holds the household's lock, taken again here for any other caller. Raises
    ``AdjudicationError`` when the rules cannot compute the care on the AM's figures.
    """
    with transaction.atomic():
        household_lock(item.claim.member_id)
        item = ClaimItem.objects.select_related("claim__member", "claim__beneficiary").get(pk=item.pk)
        if item.status != ClaimItem.Status.ACCEPTED or item.claim.channel not in reasons.AM_FIGURES_TYPED:
            return None
        typed, owed = item.am_paid, item_owed(item=item)  # in the plan's currency, whatever the account's
        coverage = claim_coverage(claim=item.claim, day=item.care_date)
        item.br, item.mr, item.am_rate = br, mr, am_rate
        result = lines.adjudicate_item(item, plan_code=coverage.plan_code, tiers=coverage.tiers, history=history)
        paid = sum((tier.paid for tier in result.tiers), ZERO)
        if result.am_paid == typed and paid == owed:
            return None
        _apply(item, result, plan_code=coverage.plan_code)  # the decision stays the handler's or the rules'
        item.save()
        if paid != owed:
            payable_correct(
                item=item,
                amount=paid,
                reason=_("Assurance Maladie statement %(source)s: it paid %(mr)s, not %(typed)s")
                % {"source": source, "mr": money_format(mr), "typed": money_format(typed)},
                by=None,
            )
            statement_revise(item.claim)
            if item.claim.channel == Claim.Channel.ONLINE:
                _notify_am_correction(item, typed=typed, owed=owed)
    return result.usages


def _notify_am_correction(item: ClaimItem, *, typed: Decimal, owed: Decimal) -> None:
    member = item.claim.member
    notification_send(
        to=member.email,
        member=member,
        link=reverse("claims:detail", args=[item.claim_id]),
        template="claims/email/am_corrected",
        context={
            "first_name": member.first_name,
            "care_date": item.care_date.strftime("%d/%m/%Y"),
            "typed": f"{typed:.2f}",
            "am_paid": f"{item.am_paid:.2f}",
            "before": f"{owed:.2f}",
            "after": f"{item.paid_total:.2f}",
        },
        language=member.preferred_language,
    )


def item_reject(*, item: ClaimItem, by: User | None, reason: RejectionReason, text: str = "") -> ClaimItem:
    """Refuse an item (a handler's decision): what it consumed of the counters is given back."""
    CounterUsage.objects.filter(line_id=item.line_id).delete()
    item.rejection_reason, item.rejection_text = reason, text
    item.am_paid = item.paid_total = None
    item.tiers_paid, item.out_of_pocket = {}, item.plan_amount
    item.decided_at, item.decided_by = timezone.now(), by
    item.save()
    return status_change(
        instance=item, workflow=ClaimItem.WORKFLOW, to_status=ClaimItem.Status.REJECTED, by=by, reason=reason
    )
