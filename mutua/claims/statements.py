"""The statement ("décompte") of a decided claim: what it shows, and the PDF made from it.

A member only ever reads their own household's statements of the last 2 years; a handler
reads any. The PDF is a Django template rendered by WeasyPrint that fetches nothing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation

from engine import get_plan
from mutua.benefits.models import ClaimItem, Statement
from mutua.benefits.selectors import claim_coverage
from mutua.claims.conversion import conversion_sentence, sent_sentence
from mutua.claims.selectors import benefit_label, statements_for_member
from mutua.contracts.cover import DEFAULT_PLAN
from mutua.contracts.models import ManagementUnit, Member
from mutua.core.crypto import mask_identifier
from mutua.core.pdf import pdf_from_html
from mutua.payments.selectors import statement_payment

# Until the statement's payables are paid by a run, the member is told this delay.
PAYMENT_WORKING_DAYS = 5
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class StatementLine:
    item: ClaimItem
    care: str
    charged: Decimal | None  # in the plan's currency; None: not converted (refused before a rate was known)
    original_amount: Decimal | None  # what the bill says, when it was not in the plan's currency
    original_currency: str
    conversion: str  # both amounts and the rate, in the reader's words ("" in the plan's currency)
    am_paid: Decimal | None
    tiers: tuple[Decimal | None, ...]  # in the order of StatementDocument.tier_labels
    paid: Decimal
    out_of_pocket: Decimal | None
    refused: bool
    reason: str  # why it was refused, in plain words


@dataclass(frozen=True)
class StatementDocument:
    statement: Statement
    member: Member
    person: str  # whom the care was for
    insurer: str
    contract_number: str
    management_unit: ManagementUnit
    currency: str  # the plan's: every amount but the bills' own
    national_scheme: bool  # the Assurance Maladie's column
    tier_labels: tuple[str, ...]
    lines: tuple[StatementLine, ...]
    total_charged: Decimal
    total_am: Decimal
    total_tiers: tuple[Decimal, ...]
    total_paid: Decimal
    total_out_of_pocket: Decimal
    account: str  # the masked IBAN, empty when the bank details are missing
    sent: str  # what the account receives in its own currency, when it is not the plan's ("" otherwise)
    hospital: str  # settled directly: the hospital paid instead of the member
    payment_date: date | None
    payment_days: int
    language: str

    @property
    def tier_totals(self) -> list[tuple[str, Decimal]]:
        return list(zip(self.tier_labels, self.total_tiers, strict=True))

    @property
    def refused_count(self) -> int:
        return sum(line.refused for line in self.lines)


def statement_of_member(*, member: Member, statement_id: int) -> Statement | None:
    """The statement if it is this member's and still listed to them; None otherwise (same as missing)."""
    return _with_relations(statements_for_member(member=member)).filter(pk=statement_id).first()


def statement_for_staff(*, statement_id: int) -> Statement | None:
    return _with_relations(Statement.objects.all()).filter(pk=statement_id).first()


def _with_relations(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    return statements.select_related(
        "claim__beneficiary",
        "member__management_unit",
        "member__contract__insurer",
    ).prefetch_related("claim__items")


def _money(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _line(item: ClaimItem, *, care: str, tier_codes: tuple[str, ...], currency: str, language: str) -> StatementLine:
    refused = item.status == ClaimItem.Status.REJECTED
    reason = item.rejection_words if refused else ""
    return StatementLine(
        item=item,
        care=care,
        charged=item.plan_amount,
        original_amount=item.amount if item.currency != currency else None,
        original_currency=item.currency,
        conversion=conversion_sentence(item, plan_currency=currency, language=language),
        am_paid=None if refused else item.am_paid,
        tiers=tuple(None if refused else _money(item.tiers_paid.get(code)) or ZERO for code in tier_codes),
        paid=ZERO if refused else item.paid_total or ZERO,
        out_of_pocket=item.plan_amount if item.out_of_pocket is None else item.out_of_pocket,
        refused=refused,
        reason=reason,
    )


def statement_document(*, statement: Statement, language: str) -> StatementDocument:
    """Everything the statement shows, with labels in ``language``."""
    claim, member = statement.claim, statement.member
    coverage = claim_coverage(claim=claim, day=claim.created_at.date())
    plan = get_plan(coverage.plan_code or DEFAULT_PLAN)
    items = list(claim.items.all())
    paid_tiers = {code for item in items for code in item.tiers_paid}
    tiers = [tier for tier in plan.tiers if tier.code in paid_tiers or tier.code in coverage.tiers]
    tier_codes = tuple(tier.code for tier in tiers)
    with translation.override(language):
        lines = tuple(
            _line(
                item,
                care=benefit_label(plan_code=plan.code, benefit_code=item.benefit_code, language=language),
                tier_codes=tier_codes,
                currency=plan.currency,
                language=language,
            )
            for item in items
        )
    contract = member.contract
    payment = statement_payment(statement_id=statement.pk)
    if payment is not None and payment.paid:  # to the account the run paid, on the day it was paid
        account, payment_date = payment.account, payment.paid_on
    else:  # as a bank statement shows it: four dots and the last four characters
        account, payment_date = (mask_identifier(member.iban)[-8:] if member.iban else ""), None
    return StatementDocument(
        statement=statement,
        member=member,
        person=claim.beneficiary.full_name if claim.beneficiary_id else member.full_name,
        insurer=contract.insurer.name if contract else "",
        contract_number=contract.number if contract else "",
        management_unit=member.management_unit,
        currency=plan.currency,
        national_scheme=plan.has_national_scheme,
        tier_labels=tuple(tier.label.get(language) for tier in tiers),
        lines=lines,
        total_charged=sum((line.charged or ZERO for line in lines), ZERO),
        total_am=sum((line.am_paid or ZERO for line in lines), ZERO),
        total_tiers=tuple(sum((line.tiers[n] or ZERO for line in lines), ZERO) for n in range(len(tiers))),
        total_paid=statement.total_paid,
        total_out_of_pocket=sum((line.out_of_pocket or ZERO for line in lines), ZERO),
        account=account,
        sent=sent_sentence(payment.conversion if payment else None, language=language),
        hospital=claim.paid_to.name if claim.paid_to_id else "",
        payment_date=payment_date,
        payment_days=PAYMENT_WORKING_DAYS,
        language=language,
    )


def statement_pdf_render(*, document: StatementDocument) -> bytes:
    with translation.override(document.language):
        html = render_to_string("claims/statement_pdf.html", {"doc": document})
    return pdf_from_html(html)
