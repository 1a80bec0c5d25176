"""The household's hospital guarantees: ask for one before a planned stay, follow it, download it.

Everything is scoped to the token's household: another household's guarantee does not exist.
The app asks for planned stays and notifies emergency admissions (seed 000: no prior agreement needed).
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from mutua.accounts.models import User
from mutua.api.guarantees_schemas import (
    EmergencyIn,
    GuaranteeIn,
    GuaranteeOut,
    GuaranteeSummaryOut,
    HospitalFilter,
    HospitalOut,
    StayCostsOut,
)
from mutua.api.pagination import Pages
from mutua.api.people import household_person
from mutua.api.presenters import language, money
from mutua.api.schemas import NOT_FOUND, UNPROCESSABLE, MessageOut
from mutua.core.ids import MAX_ID
from mutua.guarantees.models import Guarantee
from mutua.guarantees.pdf import guarantee_pdf as guarantee_pdf_render
from mutua.guarantees.requests import guarantee_request
from mutua.guarantees.selectors import (
    CostLine,
    cost_lines,
    day_limits,
    guarantee_for_member,
    guarantees_for_member,
    patient_name,
    providers_for_choice,
)
from mutua.guarantees.stays import Cost, cost_label, person_plan, stay_costs
from mutua.providers.models import Provider

router = Router()


def _user(request: HttpRequest) -> User:
    return request.auth.user


def _own_guarantee(request: HttpRequest, guarantee_id: int) -> Guarantee:
    """The guarantee if it is this household's; 404 otherwise, exactly as for one that does not exist."""
    guarantee = None
    if 0 < guarantee_id <= MAX_ID:
        guarantee = guarantee_for_member(member=_user(request).member, guarantee_id=guarantee_id)
    if guarantee is None:
        raise Http404
    return guarantee


def _hospital(hospital_id: int) -> Provider | None:
    return providers_for_choice().filter(pk=hospital_id).first() if hospital_id <= MAX_ID else None


def _person(guarantee: Guarantee) -> dict[str, str]:
    return {"id": str(guarantee.beneficiary_id or ""), "name": patient_name(guarantee)}


def guarantee_summary(guarantee: Guarantee) -> dict[str, object]:
    provider = guarantee.provider
    return {
        "id": guarantee.pk,
        "reference": guarantee.reference,
        "kind": guarantee.kind,
        "stay_kind": guarantee.stay_kind,
        "stay_kind_label": str(guarantee.get_stay_kind_display()),
        "form": guarantee.form,
        "form_label": str(guarantee.get_form_display()),
        "status": guarantee.status,
        "status_label": str(guarantee.get_status_display()),
        "person": _person(guarantee),
        "hospital": {
            "id": provider.pk if provider else None,
            "name": provider.name if provider else guarantee.hospital_name,
            "city": provider.city if provider else "",
            "in_network": bool(provider and provider.in_network),
        },
        "admission_date": guarantee.admission_date,
        "expected_discharge": guarantee.expected_discharge,
        "valid_from": guarantee.valid_from,
        "valid_until": guarantee.valid_until,
        "currency": guarantee.currency,
        "paid_total": money(guarantee.total_plan),
        "out_of_pocket": money(guarantee.total_out_of_pocket),
        "requested_at": guarantee.requested_at,
    }


def _line(row: CostLine) -> dict[str, object]:
    line = row.line
    return {
        "benefit_code": line.benefit_code,
        "care": row.label,
        "quantity": line.quantity,
        "per_day": row.per_day,
        "amount": money(line.amount),
        "am_paid": money(line.am_paid),
        "paid_total": money(line.paid_total),
        "out_of_pocket": money(line.out_of_pocket),
        "explanation": list(row.explanation),
    }


def guarantee_out(guarantee: Guarantee) -> dict[str, object]:
    return guarantee_summary(guarantee) | {
        "channel": guarantee.channel,
        "planned_acts": guarantee.planned_acts,
        "card_cover_until": guarantee.card_cover_until,
        "answer_due_by": guarantee.deadline if guarantee.status in Guarantee.OPEN else None,
        "issued_at": guarantee.issued_at,
        "refusal_reason": guarantee.refusal_reason,
        "amount": money(guarantee.total_amount),
        "am_paid": money(guarantee.total_am),
        "lines": [_line(row) for row in cost_lines(guarantee)],
        "day_limits": [{"label": limit.label, "per_day": money(limit.per_day)} for limit in day_limits(guarantee)],
        "extensions": [
            {
                "requested_until": extension.requested_until,
                "decision": extension.decision,
                "decision_label": str(extension.get_decision_display()),
                "granted_until": extension.granted_until,
                "answer": extension.answer,
            }
            for extension in guarantee.extensions.all()
        ],
        "pdf_available": guarantee.was_issued,
        "claim_id": guarantee.claim_id,
    }


def hospital_out(provider: Provider) -> dict[str, object]:
    return {
        "id": provider.pk,
        "name": provider.name,
        "kind": provider.kind,
        "city": provider.city,
        "country": provider.country,
        "in_network": provider.in_network,
    }


@router.get("/hospitals", response=list[HospitalOut], summary="Hospitals and clinics to choose from")
@paginate(Pages, page_size=50, present=hospital_out)
def hospital_list(request: HttpRequest, filters: Query[HospitalFilter]):
    """Network hospitals first: they get their guarantee of payment within 2 hours."""
    providers = providers_for_choice()
    if filters.q:
        providers = providers.filter(Q(name__icontains=filters.q) | Q(city__icontains=filters.q))
    return providers


@router.get("/guarantees/costs", response=list[StayCostsOut], summary="The costs of a stay, by kind of stay")
def stay_cost_list(request: HttpRequest):
    """As the household's plan lists them today; empty if the plan gives no hospital guarantees."""
    plan = person_plan(member=_user(request).member, beneficiary=None, on=timezone.localdate())
    if plan is None:
        return []
    labels = dict(Guarantee.StayKind.choices)
    return [
        {
            "stay_kind": stay_kind,
            "label": str(labels[stay_kind]),
            "currency": plan.currency,
            "costs": [
                {
                    "benefit_code": cost.benefit,
                    "label": cost_label(cost),
                    "per_day": cost.per_day,
                    "doctor": cost.doctor,
                }
                for cost in stay_costs(plan, stay_kind)
            ],
        }
        for stay_kind in labels
        if stay_costs(plan, stay_kind)
    ]


@router.get("/guarantees", response=list[GuaranteeSummaryOut], summary="List the household's hospital guarantees")
@paginate(Pages, page_size=20, present=guarantee_summary)
def guarantee_list(request: HttpRequest):
    return guarantees_for_member(member=_user(request).member)


@router.post(
    "/guarantees", response={201: GuaranteeOut, **UNPROCESSABLE}, summary="Ask for a guarantee for a planned stay"
)
def guarantee_create(request: HttpRequest, payload: GuaranteeIn):
    """A few days before a planned stay. With a network hospital and when the cover and the rules allow,
    the guarantee of payment is issued at once (``status`` "issued"); otherwise the management unit
    answers by ``answer_due_by``. Either way the member and the hospital are told by e-mail."""
    user = _user(request)
    member = user.member
    beneficiary = household_person(member=member, person=payload.person)
    provider = _hospital(payload.hospital_id)
    if provider is None:
        raise ValidationError(_("Choose a hospital from the list."), code="hospital")
    guarantee = guarantee_request(
        member=member,
        beneficiary=beneficiary,
        by=user,
        channel=Guarantee.Channel.API,
        kind=Guarantee.Kind.PLANNED,
        stay_kind=payload.stay_kind,
        admission_date=payload.admission_date,
        expected_discharge=payload.expected_discharge,
        provider=provider,
        planned_acts=payload.planned_acts,
        costs=[
            Cost(benefit_code=cost.benefit_code, amount=cost.amount, br=cost.br, quantity=cost.quantity, dptm=cost.dptm)
            for cost in payload.costs
        ],
    )
    return Status(201, guarantee_out(_own_guarantee(request, guarantee.pk)))


@router.post(
    "/guarantees/emergency",
    response={201: GuaranteeOut, **UNPROCESSABLE},
    summary="Notify an emergency admission",
)
def guarantee_emergency(request: HttpRequest, payload: EmergencyIn):
    """No prior agreement is needed. With the card shown and a stay within the plan's card days, the card is
    the guarantee; beyond, or without the card, the hospital gets a temporary letter of guarantee, at once
    from a network hospital when the rules allow, otherwise by ``answer_due_by``."""
    user = _user(request)
    member = user.member
    provider = None
    if payload.hospital_id is not None:
        provider = _hospital(payload.hospital_id)
        if provider is None:
            raise ValidationError(_("Choose a hospital from the list."), code="hospital")
    guarantee = guarantee_request(
        member=member,
        beneficiary=household_person(member=member, person=payload.person),
        by=user,
        channel=Guarantee.Channel.API,
        kind=Guarantee.Kind.EMERGENCY,
        stay_kind=payload.stay_kind,
        admission_date=payload.admission_date,
        expected_discharge=payload.discharge_date,
        provider=provider,
        hospital_name=payload.hospital_name,
        hospital_phone=payload.hospital_phone,
        card_shown=payload.card_shown,
        notifier_name=payload.notifier_name,
        notifier_phone=payload.notifier_phone,
    )
    return Status(201, guarantee_out(_own_guarantee(request, guarantee.pk)))


@router.get(
    "/guarantees/{guarantee_id}", response={200: GuaranteeOut, **NOT_FOUND}, summary="Read a hospital guarantee"
)
def guarantee_read(request: HttpRequest, guarantee_id: int):
    """What is guaranteed, until when, and how it is computed, in the language of ``Accept-Language``."""
    return Status(200, guarantee_out(_own_guarantee(request, guarantee_id)))


@router.get(
    "/guarantees/{guarantee_id}/pdf",
    response={200: None, **NOT_FOUND, 409: MessageOut},
    summary="Download the guarantee (PDF)",
    openapi_extra={"responses": {200: {"description": "The guarantee", "content": {"application/pdf": {}}}}},
)
def guarantee_pdf(request: HttpRequest, guarantee_id: int):
    """The guarantee as issued, in the language of ``Accept-Language``; 409 while it is not issued."""
    guarantee = _own_guarantee(request, guarantee_id)
    if not guarantee.was_issued:
        return Status(409, {"detail": _("This request has not been issued: there is no guarantee to download yet.")})
    response = HttpResponse(
        guarantee_pdf_render(guarantee=guarantee, language=language()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="guarantee-{guarantee.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
