"""Writes for contracts: affiliations, beneficiaries, change requests, contact and bank details.

Each service validates everything first, then writes in one transaction.
"""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import nir as stdnum_nir

from mutua.accounts.models import User
from mutua.accounts.services import password_recheck
from mutua.contracts.contact import phone_clean, postal_address_clean
from mutua.contracts.cover import beneficiary_facts
from mutua.contracts.models import (
    Beneficiary,
    ChangeRequest,
    CoverEndReason,
    GroupContract,
    Member,
    Relationship,
)
from mutua.contracts.rules import (
    Reason,
    beneficiary_cover_start,
    effective_date,
    eligibility_on,
    optional_cover_can_end,
    optional_cover_can_restart,
    portability_end,
    subscriber_cover_start,
)
from mutua.contracts.selectors import family_change_kinds, normalize_member_number, normalize_nir
from mutua.core.countries import country_code_clean
from mutua.core.crypto import mask_identifier, search_digest
from mutua.core.currencies import is_currency
from mutua.core.workflow import status_change
from mutua.documents.models import Document
from mutua.documents.services import document_check, document_store
from mutua.notifications.services import notification_send

FAMILY_KINDS = frozenset(
    {
        ChangeRequest.Kind.MARRIAGE,
        ChangeRequest.Kind.PACS,
        ChangeRequest.Kind.PARTNERSHIP,
        ChangeRequest.Kind.COHABITATION,
        ChangeRequest.Kind.BIRTH,
        ChangeRequest.Kind.ADOPTION,
        ChangeRequest.Kind.DIVORCE,
        ChangeRequest.Kind.DEATH,
    }
)

# The partner a family change adds. A registered partnership under another law than France's counts as a
# marriage, as international organisations' staff rules count it; every rule treats partners alike
# (rules.PARTNERS, the engine's "spouse", the capital's first rank).
PARTNER_RELATIONSHIPS = {
    ChangeRequest.Kind.MARRIAGE: Relationship.SPOUSE,
    ChangeRequest.Kind.PACS: Relationship.PACS_PARTNER,
    ChangeRequest.Kind.PARTNERSHIP: Relationship.SPOUSE,
    ChangeRequest.Kind.COHABITATION: Relationship.COHABITANT,
}
# Said by the form too, which offers only the plan's kinds.
FAMILY_CHANGE_NOT_OFFERED = gettext_lazy("Your plan does not take this change from your space: choose one of the list.")


def nir_clean(raw: str) -> str:
    """The NIR without spaces, checked with its key (Corsica's 2A/2B included)."""
    value = normalize_nir(raw)
    try:
        return stdnum_nir.validate(value)
    except StdnumValidationError as error:
        raise ValidationError(
            _("This social security number is not valid: check its 15 characters and its key."), code="nir"
        ) from error


def _set_nir(person: Member | Beneficiary, raw: str) -> None:
    if raw:
        clean = nir_clean(raw)
        person.nir, person.nir_digest = clean, search_digest(clean)


@transaction.atomic
def member_affiliate(
    *,
    contract: GroupContract,
    member_number: str,
    first_name: str,
    last_name: str,
    birth_date: date,
    email: str,
    hire_date: date,
    received_on: date,
    previously_exempt: bool = False,
    nir: str = "",
    postal_address: str = "",
    duty_station: str = "",
) -> Member:
    """Affiliate a subscriber; the cover starts as the 30-day rule says."""
    member = Member(
        contract=contract,
        member_number=normalize_member_number(member_number),
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        email=email,
        postal_address=postal_address,
        duty_station=duty_station,
        management_unit=contract.management_unit,
        hire_date=hire_date,
        affiliation_received_on=received_on,
        previously_exempt=previously_exempt,
        cover_start=subscriber_cover_start(
            contract_start=contract.start_date,
            hire_date=hire_date,
            received=received_on,
            previously_exempt=previously_exempt,
        ),
    )
    _set_nir(member, nir)
    member.full_clean()
    member.save()
    return member


def _next_rank(member: Member) -> int:
    # Rank 1 is the subscriber's on the AM card; beneficiaries follow.
    return (member.beneficiaries.aggregate(top=Max("rank"))["top"] or 1) + 1


@transaction.atomic
def beneficiary_add(
    *,
    member: Member,
    relationship: Relationship,
    first_name: str,
    last_name: str,
    birth_date: date,
    qualifies_from: date,
    received_on: date,
    nir: str = "",
    previously_exempt: bool = False,
    **facts: Any,
) -> Beneficiary:
    """Add an "ayant droit": from the subscriber's start or the day they qualify (30-day rule)."""
    if member.cover_start is None:
        raise ValidationError(_("The subscriber has no cover start date yet."), code="no_cover")
    # Serialises additions to one household, so two can never take the same rank.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    beneficiary = Beneficiary(
        member=member,
        relationship=relationship,
        rank=_next_rank(member),
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        cover_start=beneficiary_cover_start(
            subscriber_start=member.cover_start,
            qualifies_from=qualifies_from,
            received=received_on,
            previously_exempt=previously_exempt,
        ),
        **facts,
    )
    _set_nir(beneficiary, nir)
    beneficiary.full_clean()
    beneficiary.save()
    return beneficiary


OPTIONAL_COVER_NEEDED = frozenset({Reason.ADULT_CHILD_OPTIONAL_COVER_AVAILABLE, Reason.PARTNER_WITH_INCOME})


def _last_family_change(member: Member) -> date | None:
    change = (
        member.change_requests.filter(kind__in=FAMILY_KINDS, status=ChangeRequest.Status.ACCEPTED)
        .order_by("-effective_date")
        .first()
    )
    return change.effective_date if change else None


@transaction.atomic
def beneficiary_optional_cover_start(*, beneficiary: Beneficiary, start: date) -> Beneficiary:
    """Subscribe the paid optional cover ("conjoint non à charge", "enfant majeur").

    Only for someone who needs it to be covered; after leaving it, only when the family
    situation has changed since.
    """
    facts = replace(beneficiary_facts(beneficiary), optional_cover=None)
    if eligibility_on(facts, start).reason not in OPTIONAL_COVER_NEEDED:
        raise ValidationError(_("This person cannot take the optional cover on this date."), code="not_needed")
    if beneficiary.optional_cover_from is not None and beneficiary.optional_cover_until is None:
        raise ValidationError(_("The optional cover is already running."), code="running")
    if not optional_cover_can_restart(
        removed_on=beneficiary.optional_cover_until, family_change_since=_last_family_change(beneficiary.member)
    ):
        raise ValidationError(
            _("Leaving the optional cover is final, unless the family situation changes."), code="final_removal"
        )
    beneficiary.optional_cover_from, beneficiary.optional_cover_until = start, None
    beneficiary.save(update_fields=["optional_cover_from", "optional_cover_until"])
    return beneficiary


@transaction.atomic
def beneficiary_optional_cover_end(*, beneficiary: Beneficiary, end: date) -> Beneficiary:
    """Leave the optional cover (its last day is ``end``): not before a full year."""
    if beneficiary.optional_cover_from is None or beneficiary.optional_cover_until is not None:
        raise ValidationError(_("The optional cover is not running."), code="not_running")
    if not optional_cover_can_end(beneficiary.optional_cover_from, end):
        raise ValidationError(_("The optional cover lasts at least one year."), code="minimum_year")
    beneficiary.optional_cover_until = end
    beneficiary.save(update_fields=["optional_cover_until"])
    return beneficiary


def cover_end_for(
    *, reason: CoverEndReason, event_date: date, portability_until: date | None = None
) -> tuple[date, CoverEndReason]:
    """The last covered day, and the reason recorded, for an event that ends the cover."""
    if reason == CoverEndReason.LEFT_CATEGORY:
        return portability_end(left_on=event_date, entitled_until=portability_until), CoverEndReason.PORTABILITY_ENDED
    return event_date - timedelta(days=1), reason


@transaction.atomic
def member_cover_end(
    *, member: Member, reason: CoverEndReason, event_date: date, portability_entitled_until: date | None = None
) -> Member:
    """Record the event that ends the subscriber's cover (and so the household's).

    Leaving the insured category keeps the cover under portability, for at most 12 months.
    """
    if member.cover_start is None or event_date < member.cover_start:
        raise ValidationError(_("The cover cannot end before it started."), code="end_before_start")
    member.cover_end, member.cover_end_reason = cover_end_for(
        reason=reason, event_date=event_date, portability_until=portability_entitled_until
    )
    member.save(update_fields=["cover_end", "cover_end_reason"])
    return member


MAX_DOCUMENTS_PER_REQUEST = 5


def change_request_submit(
    *,
    member: Member,
    kind: ChangeRequest.Kind,
    event_date: date,
    received_on: date,
    details: dict[str, Any],
    uploads: list[UploadedFile],
    by: User,
) -> ChangeRequest:
    """A family change told within 30 days takes effect on the event date, else the 1st of the next month.

    Family events need at least one supporting document; every file is checked before
    anything is written.
    """
    if event_date > received_on:
        raise ValidationError(_("The date of the event cannot be in the future."), code="future_event")
    if kind in FAMILY_KINDS and kind not in family_change_kinds(member=member, day=received_on):
        raise ValidationError(FAMILY_CHANGE_NOT_OFFERED, code="kind_not_offered")
    if kind in FAMILY_KINDS and not uploads:
        raise ValidationError(_("Attach the supporting document for this event."), code="document_required")
    if len(uploads) > MAX_DOCUMENTS_PER_REQUEST:
        raise ValidationError(
            _("Attach at most %(count)s documents."), params={"count": MAX_DOCUMENTS_PER_REQUEST}, code="too_many"
        )
    if (
        kind in {ChangeRequest.Kind.DIVORCE, ChangeRequest.Kind.DEATH}
        and not member.beneficiaries.filter(pk=details.get("beneficiary_id"), removed_on__isnull=True).exists()
    ):
        raise ValidationError(_("Choose the person concerned among your beneficiaries."), code="beneficiary")
    checked = [document_check(upload) for upload in uploads]
    stored: list[Document] = []
    try:
        with transaction.atomic():
            request = ChangeRequest.objects.create(
                member=member,
                kind=kind,
                event_date=event_date,
                received_on=received_on,
                effective_date=effective_date(event_date, received_on),
                details=details,
            )
            for file in checked:
                stored.append(document_store(member=member, checked=file, kind=Document.Kind.CERTIFICATE, by=by))
            request.documents.set(stored)
    except Exception:
        # The rows are rolled back; the files written meanwhile must go too.
        for document in stored:
            document.file.delete(save=False)
        raise
    return request


def change_request_decide(*, change_request: ChangeRequest, accept: bool, by: User, reason: str) -> ChangeRequest:
    """Accept or refuse with a reason; the household file changes only when accepted."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the decision."), code="reason_required")
    status = ChangeRequest.Status.ACCEPTED if accept else ChangeRequest.Status.REFUSED
    with transaction.atomic():
        decided = status_change(
            instance=change_request, workflow=ChangeRequest.WORKFLOW, to_status=status, by=by, reason=reason
        )
        decided.decision_reason = reason
        decided.save(update_fields=["decision_reason"])
        if accept:
            _apply_change(decided)
    language = decided.member.preferred_language
    with translation.override(language):
        kind, effective = str(decided.get_kind_display()), date_format(decided.effective_date, "SHORT_DATE_FORMAT")
    notification_send(
        to=decided.member.email,
        member=decided.member,
        link=reverse("contracts:my_contract"),
        template="contracts/email/change_decided",
        context={
            "first_name": decided.member.first_name,
            "kind": kind,
            "accepted": accept,
            "reason": reason,
            "effective_date": effective,
        },
        language=language,
    )
    return decided


def _apply_change(request: ChangeRequest) -> None:
    details = request.details
    member = request.member
    if request.kind in {ChangeRequest.Kind.BIRTH, ChangeRequest.Kind.ADOPTION}:
        beneficiary_add(
            member=member,
            relationship=Relationship.CHILD,
            first_name=details["first_name"],
            last_name=details.get("last_name") or member.last_name,
            birth_date=date.fromisoformat(details["birth_date"]),
            qualifies_from=request.event_date,
            received_on=request.received_on,
            nir=details.get("nir", ""),
        )
    elif request.kind in PARTNER_RELATIONSHIPS:
        beneficiary_add(
            member=member,
            relationship=PARTNER_RELATIONSHIPS[request.kind],
            first_name=details["first_name"],
            last_name=details["last_name"],
            birth_date=date.fromisoformat(details["birth_date"]),
            qualifies_from=request.event_date,
            received_on=request.received_on,
            nir=details.get("nir", ""),
            has_income=bool(details.get("has_income", False)),
        )
    elif request.kind in {ChangeRequest.Kind.DIVORCE, ChangeRequest.Kind.DEATH}:
        beneficiary = member.beneficiaries.get(pk=details["beneficiary_id"])
        beneficiary.removed_on = request.effective_date
        beneficiary.save(update_fields=["removed_on"])
    elif request.kind == ChangeRequest.Kind.ADDRESS:
        member.postal_address = details["postal_address"]
        member.save(update_fields=["postal_address"])


@transaction.atomic
def member_contact_update(*, member: Member, phone: str, postal_address: str) -> Member:
    """Raises ``ValidationError`` keyed by field ("phone", "postal_address") with every problem found."""
    errors: dict[str, ValidationError] = {}
    for field, clean, raw in (("phone", phone_clean, phone), ("postal_address", postal_address_clean, postal_address)):
        try:
            setattr(member, field, clean(raw))
        except ValidationError as error:
            errors[field] = error
    if errors:
        raise ValidationError(errors)
    member.full_clean()
    member.save(update_fields=["phone", "postal_address"])
    return member


@transaction.atomic
def member_duty_station_set(*, member: Member, duty_station: str) -> Member:
    """Where the insured works (an international plan's zone rules read it); "" when not known. The
    change is kept in the household's history (audit log) with who made it."""
    member.duty_station = country_code_clean(duty_station) if duty_station.strip() else ""
    member.save(update_fields=["duty_station"])
    return member


def iban_clean(raw: str) -> str:
    try:
        return IBAN(raw).compact
    except SchwiftyException as error:
        raise ValidationError(
            _("This IBAN is not valid: check the country code, the length and the key."), code="iban"
        ) from error


def bic_clean(raw: str, iban: str) -> str:
    if not raw.strip():
        bic = IBAN(iban).bic
        return str(bic) if bic else ""
    try:
        return str(BIC(raw.strip()))
    except SchwiftyException as error:
        raise ValidationError(_("This BIC is not valid."), code="bic") from error


def member_bank_details_update(
    *, user: User, password: str, iban: str, bic: str = "", account_currency: str = ""
) -> Member:
    """Change where reimbursements are paid: the password again, a valid IBAN, and an e-mail.

    The e-mail goes to the address on file, so a stolen session alone cannot redirect money
    unnoticed. The password check runs outside the transaction: when too many wrong answers
    end the sessions, that must stay done.
    """
    password_recheck(user=user, password=password)
    member = user.member
    clean_iban = iban_clean(iban)
    clean_bic = bic_clean(bic, clean_iban)
    if account_currency and not is_currency(account_currency):
        raise ValidationError(_("Choose the currency of the account in the list."), code="account_currency")
    with transaction.atomic():
        member.iban, member.bic, member.account_currency = clean_iban, clean_bic, account_currency
        member.save(update_fields=["iban", "bic", "account_currency"])
        notification_send(
            to=member.email,
            member=member,
            link=reverse("contracts:my_contract"),
            template="contracts/email/bank_details_changed",
            context={"first_name": member.first_name, "iban": mask_identifier(clean_iban)},
            language=member.preferred_language,
        )
    return member
