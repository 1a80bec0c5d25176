"""A member's claims, statements and reference lists. Everything is scoped to the token's household."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile
from ninja.pagination import paginate

from mutua.accounts.models import User
from mutua.api.pagination import Pages
from mutua.api.people import household_person
from mutua.api.presenters import claim_out, claim_summary, items_out, language, statement_out
from mutua.api.schemas import (
    NOT_FOUND,
    UNPROCESSABLE,
    BenefitSectionOut,
    ClaimIn,
    ClaimOut,
    ClaimSummaryOut,
    ItemIn,
    ItemOut,
    PersonOut,
    StatementOut,
    SubmitIn,
)
from mutua.benefits.models import Claim
from mutua.claims import services
from mutua.claims.selectors import (
    benefit_choices,
    claim_for_member,
    claim_people,
    claims_for_member,
    statements_for_member,
)
from mutua.claims.statements import statement_document, statement_of_member, statement_pdf_render
from mutua.contracts.cover import DEFAULT_PLAN, subscriber_coverage_on
from mutua.core.ids import MAX_ID
from mutua.documents.views import document_file_response

router = Router()


def _user(request: HttpRequest) -> User:
    return request.auth.user


def _own_claim(request: HttpRequest, claim_id: int) -> Claim:
    """The claim if it is this household's; 404 otherwise, exactly as for a claim that does not exist."""
    claim = None
    if 0 < claim_id <= MAX_ID:
        claim = claim_for_member(member=_user(request).member, claim_id=claim_id)
    if claim is None:
        raise Http404
    return claim


@router.get("/claims", response=list[ClaimSummaryOut], summary="List the household's claims")
@paginate(Pages, page_size=20, present=claim_summary)
def claim_list(request: HttpRequest):
    return claims_for_member(member=_user(request).member).select_related("member", "statement")


@router.post("/claims", response={201: ClaimOut, **UNPROCESSABLE}, summary="Start a claim (draft)")
def claim_start(request: HttpRequest, payload: ClaimIn):
    member = _user(request).member
    beneficiary = household_person(member=member, person=payload.person)
    claim = services.claim_create(member=member, beneficiary=beneficiary, name=payload.name)
    return Status(201, claim_out(_own_claim(request, claim.pk)))


@router.get("/claims/{claim_id}", response={200: ClaimOut, **NOT_FOUND}, summary="Read a claim")
def claim_read(request: HttpRequest, claim_id: int):
    """Each item with its status, the amounts paid by the AM, by each tier and what remains, the reason of
    any refusal and the explanation, in the language of ``Accept-Language`` (English for an explanation stored
    before the engine spoke Spanish and Arabic)."""
    return claim_out(_own_claim(request, claim_id))


@router.post(
    "/claims/{claim_id}/items",
    response={201: ItemOut, **NOT_FOUND, **UNPROCESSABLE},
    summary="Add a care item with its supporting documents",
)
def item_add(
    request: HttpRequest,
    claim_id: int,
    data: Form[ItemIn],
    documents: File[list[UploadedFile] | None] = None,
):
    """Multipart form: the item's fields and up to 5 files (PDF, JPEG or PNG) named ``documents``."""
    claim = _own_claim(request, claim_id)
    item = services.claim_item_add(
        claim=claim, by=_user(request), uploads=list(documents or []), **data.service_arguments()
    )
    shown = next(line for line in items_out(_own_claim(request, claim_id)) if line["id"] == item.pk)
    return Status(201, shown)


@router.delete(
    "/claims/{claim_id}/items/{item_id}",
    response={204: None, **NOT_FOUND, **UNPROCESSABLE},
    summary="Remove a care item from a draft",
)
def item_remove(request: HttpRequest, claim_id: int, item_id: int):
    claim = _own_claim(request, claim_id)
    if not any(item.pk == item_id for item in claim.items.all()):
        raise Http404
    services.claim_item_remove(claim=claim, item_id=item_id)
    return Status(204, None)


@router.post(
    "/claims/{claim_id}/submit",
    response={200: ClaimOut, **NOT_FOUND, **UNPROCESSABLE},
    summary="Send the claim, accepting the terms",
)
def claim_submit(request: HttpRequest, claim_id: int, payload: SubmitIn):
    """Records the acceptance of the terms; the claim is then decided in the background."""
    claim = _own_claim(request, claim_id)
    if claim.status != Claim.Status.DRAFT:
        raise ValidationError(_("This claim is already sent."), code="not_draft")
    services.claim_submit(claim=claim, by=_user(request), terms_accepted=payload.terms_accepted)
    return Status(200, claim_out(_own_claim(request, claim_id)))


@router.get("/statements", response=list[StatementOut], summary="Statements of the last 2 years")
@paginate(Pages, page_size=20, present=statement_out)
def statement_list(request: HttpRequest):
    return statements_for_member(member=_user(request).member)


@router.get(
    "/statements/{statement_id}/pdf",
    response={200: None, **NOT_FOUND},
    summary="Download a statement (PDF)",
    openapi_extra={"responses": {200: {"description": "The statement", "content": {"application/pdf": {}}}}},
)
def statement_pdf(request: HttpRequest, statement_id: int):
    """In the language of ``Accept-Language``; a statement of another household does not exist."""
    statement = None
    if 0 < statement_id <= MAX_ID:
        statement = statement_of_member(member=_user(request).member, statement_id=statement_id)
    if statement is None:
        raise Http404
    pdf = statement_pdf_render(document=statement_document(statement=statement, language=language()))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="statement-{statement.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/people", response=list[PersonOut], summary="Who a claim can be for")
def people(request: HttpRequest):
    return [{"id": value, "name": name} for value, name in claim_people(member=_user(request).member)]


@router.get("/benefits", response=list[BenefitSectionOut], summary="Kinds of care of the member's plan")
def benefits(request: HttpRequest):
    coverage = subscriber_coverage_on(member=_user(request).member, day=timezone.localdate())
    groups = benefit_choices(plan_code=coverage.plan_code or DEFAULT_PLAN, language=language())
    return [
        {"section": section, "benefits": [{"code": code, "label": label} for code, label in choices]}
        for section, choices in groups
    ]


@router.get(
    "/documents/{document_id}",
    response={200: None, **NOT_FOUND},
    summary="Download a supporting document of the household",
    openapi_extra={"responses": {200: {"description": "The file cleaned on receipt (PDF, JPEG, PNG)", "content": {}}}},
)
def document_download(request: HttpRequest, document_id: UUID):
    return document_file_response(user=_user(request), document_id=document_id)
