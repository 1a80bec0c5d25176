"""The household's quotes: send one with its lines, read the estimate, compare, have it checked.

Everything is scoped to the token's household: another household's quote does not exist.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from mutua.accounts.models import User
from mutua.api.pagination import Pages
from mutua.api.people import household_person
from mutua.api.presenters import language, money
from mutua.api.quotes_schemas import CheckIn, CompareOut, QuoteIn, QuoteOut, QuoteSummaryOut
from mutua.api.schemas import NOT_FOUND, UNPROCESSABLE
from mutua.quotes import services
from mutua.quotes.estimates import LineInput
from mutua.quotes.models import Quote
from mutua.quotes.selectors import (
    comparison,
    estimate_note,
    lines_for_display,
    quote_for_member,
    quote_person_name,
    quotes_comparable,
    quotes_for_member,
    quotes_to_compare,
    tier_totals,
)

router = Router()


def _user(request: HttpRequest) -> User:
    return request.auth.user


def _own_quote(request: HttpRequest, quote_id: int) -> Quote:
    quote = quote_for_member(member=_user(request).member, quote_id=quote_id)
    if quote is None:
        raise Http404
    return quote


def quote_summary(quote: Quote) -> dict[str, object]:
    return {
        "id": quote.pk,
        "name": quote.name,
        "kind": quote.kind,
        "status": quote.status,
        "status_label": str(quote.get_status_display()),
        "person": {"id": str(quote.beneficiary_id or ""), "name": quote_person_name(quote)},
        "provider": quote.provider,
        "planned_date": quote.planned_date,
        "amount": money(quote.total_amount),
        "out_of_pocket": money(quote.total_out_of_pocket),
        "created_at": quote.created_at,
    }


def quote_out(quote: Quote) -> dict[str, object]:
    lang = language()
    lines = lines_for_display(quote=quote, language=lang)
    tiers = [{"label": label, "amount": money(amount)} for label, amount in tier_totals(quote=quote, language=lang)]
    document = quote.document
    return quote_summary(quote) | {
        "estimate": {
            "label": _("Estimate"),
            "note": estimate_note(quote=quote, language=lang),
            "estimated_at": quote.estimated_at,
            "plan_code": quote.plan_code,
            "plan_version_from": quote.plan_version_from,
            "amount": money(quote.total_amount),
            "am_paid": money(quote.total_am),
            "tiers": tiers,
            "paid_total": money(quote.total_plan),
            "out_of_pocket": money(quote.total_out_of_pocket),
            "network_saving": money(quote.network_saving),
        },
        "lines": [
            {
                "id": row["line"].pk,
                "care": row["care"],
                "benefit_code": row["line"].benefit_code,
                "label": row["line"].label,
                "amount": money(row["line"].amount),
                "br": money(row["line"].br),
                "quantity": row["line"].quantity,
                "flags": list(row["line"].flags),
                "attributes": {key: str(value) for key, value in row["line"].attributes.items()},
                "tooth": row["line"].tooth,
                "am_paid": money(row["line"].am_paid),
                "tiers": [{"label": label, "amount": money(amount)} for label, amount in row["tiers"]],
                "paid_total": money(row["line"].paid_total),
                "out_of_pocket": money(row["line"].out_of_pocket),
                "network_saving": money(row["line"].network_saving),
                "rules": list(row["line"].rules),
                "explanation": [str(sentence) for sentence in row["explanation"]],
            }
            for row in lines
        ],
        "document": {
            "id": document.pk,
            "name": document.original_name,
            "content_type": document.content_type,
            "size": document.size,
        }
        if document
        else None,
        "review_question": quote.review_question,
        "review_requested_at": quote.review_requested_at,
        "advice": quote.advice,
        "reviewed_at": quote.reviewed_at,
        "claim_id": quote.claim_id,
    }


@router.get("/quotes", response=list[QuoteSummaryOut], summary="List the household's quotes")
@paginate(Pages, page_size=20, present=quote_summary)
def quote_list(request: HttpRequest):
    return quotes_for_member(member=_user(request).member)


@router.post("/quotes", response={201: QuoteOut, **UNPROCESSABLE}, summary="Send a quote with its lines")
def quote_create(request: HttpRequest, payload: QuoteIn):
    """The estimate is computed at once for the person on the planned date, with the household's counters.
    Send the quote's document afterwards with POST /quotes/{id}/document."""
    member = _user(request).member
    beneficiary = household_person(member=member, person=payload.person)
    lines = [
        LineInput(
            benefit_code=line.benefit_code,
            amount=line.amount,
            br=line.br,
            quantity=line.quantity,
            flags=tuple(flag for flag in ("network", "dptm", "ald") if getattr(line, flag)),
            attributes={name: getattr(line, name) for name in ("basket", "lens_class", "side") if getattr(line, name)},
            label=line.label,
            tooth=line.tooth,
        )
        for line in payload.lines
    ]
    quote = services.quote_create(
        member=member,
        by=_user(request),
        beneficiary=beneficiary,
        name=payload.name,
        kind=payload.kind,
        provider=payload.provider,
        planned_date=payload.planned_date,
        lines=lines,
    )
    return Status(201, quote_out(_own_quote(request, quote.pk)))


@router.get("/quotes/compare", response={200: CompareOut, **NOT_FOUND, **UNPROCESSABLE}, summary="Compare quotes")
def quote_compare(request: HttpRequest, ids: Query[list[int]]):
    """Two or more quotes of the household (``?ids=1&ids=2``), with the ones leaving the least to pay."""
    wanted = list(dict.fromkeys(ids))
    if len(wanted) < 2:
        raise ValidationError(_("Choose at least two quotes to compare."), code="too_few")
    quotes = quotes_to_compare(member=_user(request).member, quote_ids=wanted)
    if quotes is None:
        raise Http404
    quotes_comparable(quotes)
    return {
        "quotes": [quote_out(_own_quote(request, quote.pk)) for quote in quotes],
        "cheapest": [column.quote.pk for column in comparison(quotes=quotes, language=language()) if column.cheapest],
    }


@router.get("/quotes/{quote_id}", response={200: QuoteOut, **NOT_FOUND}, summary="Read a quote and its estimate")
def quote_read(request: HttpRequest, quote_id: int):
    """The estimate per line and in total, its explanation in the language of ``Accept-Language``."""
    return quote_out(_own_quote(request, quote_id))


@router.post(
    "/quotes/{quote_id}/document",
    response={200: QuoteOut, **NOT_FOUND, **UNPROCESSABLE},
    summary="Send the quote's document",
)
def quote_document(request: HttpRequest, quote_id: int, document: File[UploadedFile]):
    """Multipart form: one file (PDF, JPEG or PNG) named ``document``."""
    quote = _own_quote(request, quote_id)
    services.quote_document_attach(quote=quote, by=_user(request), upload=document)
    return quote_out(_own_quote(request, quote_id))


@router.post(
    "/quotes/{quote_id}/estimate",
    response={200: QuoteOut, **NOT_FOUND, **UNPROCESSABLE},
    summary="Compute the estimate again",
)
def quote_estimate(request: HttpRequest, quote_id: int):
    """With the household's counters of today (a claim decided since, a new plan version)."""
    services.quote_estimate_refresh(quote=_own_quote(request, quote_id))
    return quote_out(_own_quote(request, quote_id))


@router.post(
    "/quotes/{quote_id}/check",
    response={200: QuoteOut, **NOT_FOUND, **UNPROCESSABLE},
    summary="Have the quote checked by the management unit",
)
def quote_check(request: HttpRequest, quote_id: int, payload: CheckIn):
    services.quote_review_request(quote=_own_quote(request, quote_id), by=_user(request), question=payload.question)
    return quote_out(_own_quote(request, quote_id))
