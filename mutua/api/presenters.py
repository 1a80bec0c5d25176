"""Claims and statements as the API shows them, in the request's language."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mutua.benefits.models import Claim, ClaimItem, Statement
from mutua.claims.selectors import items_for_display

# The member sees one word for an item waiting, whether a handler looks at it or not.
ITEM_STATUS = {
    ClaimItem.Status.PENDING: "in_progress",
    ClaimItem.Status.IN_REVIEW: "in_progress",
    ClaimItem.Status.ACCEPTED: "validated",
    ClaimItem.Status.REJECTED: "rejected",
}


def language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def money(value: Decimal | str | None) -> str | None:
    if value is None or value == "":
        return None
    return f"{Decimal(value):.2f}"


def _statement(claim: Claim) -> Statement | None:
    try:
        return claim.statement
    except ObjectDoesNotExist:
        return None


def person(claim: Claim) -> dict[str, str]:
    if claim.beneficiary_id:
        return {"id": str(claim.beneficiary_id), "name": claim.beneficiary.full_name}
    return {"id": "", "name": claim.member.full_name}


def statement_out(statement: Statement) -> dict[str, object]:
    return {
        "id": statement.pk,
        "number": statement.number,
        "claim_id": statement.claim_id,
        "claim_name": statement.claim.name,
        "issued_at": statement.issued_at,
        "total_paid": money(statement.total_paid),
    }


def claim_summary(claim: Claim) -> dict[str, object]:
    statement = _statement(claim)
    return {
        "id": claim.pk,
        "name": claim.name,
        "status": claim.status,
        "status_label": str(claim.get_status_display()),
        "partly": claim.partly,
        "person": person(claim),
        "item_count": len(claim.items.all()),
        "created_at": claim.created_at,
        "submitted_at": claim.submitted_at,
        "decided_at": claim.decided_at,
        "total_paid": money(statement.total_paid) if statement else None,
    }


def _rejection_text(item: ClaimItem) -> str:
    if item.status != ClaimItem.Status.REJECTED:
        return ""
    return item.rejection_words


def _exchange(item: ClaimItem, *, conversion: str) -> dict[str, object] | None:
    """The rate a bill in another currency than the plan's was converted at (None when it was not)."""
    if not conversion:
        return None
    return {
        "rate": None if item.plan_rate is None else f"{item.plan_rate.normalize():f}",
        "rate_date": item.rate_on,
        "source": item.rate_source,
        "text": conversion,
    }


def item_out(
    item: ClaimItem,
    *,
    care: str,
    tiers: list[tuple[str, str]],
    explanation: list[str],
    plan_currency: str = "EUR",
    conversion: str = "",
) -> dict[str, object]:
    return {
        "id": item.pk,
        "care": care,
        "benefit_code": item.benefit_code,
        "care_date": item.care_date,
        "provider": item.provider,
        "amount": money(item.amount),
        "currency": item.currency,
        "plan_amount": money(item.plan_amount),
        "amount_eur": money(item.plan_amount),  # deprecated name of plan_amount, kept for v1's clients
        "plan_currency": plan_currency,
        "exchange": _exchange(item, conversion=conversion),
        "br": money(item.br),
        "mr": money(item.mr),
        "other_paid": money(item.other_paid),
        "quantity": item.quantity,
        "flags": list(item.flags),
        "attributes": {key: str(value) for key, value in item.attributes.items()},
        "care_country": item.care_country,
        "care_urgent": item.care_urgent,
        "duty_travel": item.duty_travel,
        "status": ITEM_STATUS[item.status],
        "status_label": str(item.get_status_display()),
        "rejection_reason": item.rejection_reason or None,
        "rejection_reason_text": _rejection_text(item),
        "am_paid": money(item.am_paid),
        "tiers": [{"label": label, "amount": money(amount)} for label, amount in tiers],
        "paid_total": money(item.paid_total),
        "out_of_pocket": money(item.out_of_pocket),
        "explanation": [str(line) for line in explanation],
        "documents": [
            {
                "id": document.pk,
                "name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
            }
            for document in item.documents.all()
        ],
    }


def items_out(claim: Claim) -> list[dict[str, object]]:
    return [
        item_out(
            line["item"],
            care=line["care"],
            tiers=line["tiers"],
            explanation=line["explanation"],
            plan_currency=line["currency"],
            conversion=line["conversion"],
        )
        for line in items_for_display(claim=claim, language=language())
    ]


def claim_out(claim: Claim) -> dict[str, object]:
    statement = _statement(claim)
    return claim_summary(claim) | {
        "items": items_out(claim),
        "statement": statement_out(statement) if statement else None,
        "terms_version": claim.terms_version,
        "terms_accepted_at": claim.terms_accepted_at,
        "notice": _("Keep the original documents for 2 years: we may ask for them."),
    }
