"""Writes for capital claims: filing, documents, the medical decision, the engine's amounts, approval
and payment. Every status change goes through the claim's transition table with its history row."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engine import get_plan
from engine.capital import CapitalError, CapitalResult, death_capital, disability_capital
from engine.model import Message
from mutua.accounts.models import FINANCE_ROLES, MANAGEMENT_UNIT_ROLES, Role, User
from mutua.capital.models import CapitalClaim, ClaimDocument, ClaimShare
from mutua.capital.notices import Event, capital_claim_notify, email_in_contact
from mutua.capital.selectors import MEDICAL_DOCUMENT_ROLES, capital_plan_code, claim_recipients
from mutua.capital.shares import HUNDRED, Recipient, split
from mutua.contracts.models import Member
from mutua.contracts.services import bic_clean, iban_clean
from mutua.core.languages import reader_language
from mutua.core.workflow import status_change
from mutua.documents.models import Document
from mutua.documents.services import document_check, document_store
from mutua.payments.models import Payable
from mutua.payments.services import payable_create, payee_for_beneficiary, payee_for_member

Status = CapitalClaim.Status
Upload = tuple[str, UploadedFile]  # (ClaimDocument.Role, file)

# What each kind of claim needs before the medical advisor decides (seed 000: "upon receipt of a death
# certificate and a medical certificate stating cause of death"; disability: "a medical report").
REQUIRED_DOCUMENTS = {
    CapitalClaim.Kind.DEATH: (ClaimDocument.Role.DEATH_CERTIFICATE, ClaimDocument.Role.CAUSE_CERTIFICATE),
    CapitalClaim.Kind.DISABILITY: (ClaimDocument.Role.MEDICAL_REPORT,),
}
_DOCUMENT_KINDS = {
    ClaimDocument.Role.DEATH_CERTIFICATE: Document.Kind.CERTIFICATE,
    ClaimDocument.Role.REPATRIATION_INVOICE: Document.Kind.INVOICE,
    ClaimDocument.Role.OTHER: Document.Kind.OTHER,
}


def _require(user: User, roles: frozenset[str]) -> None:
    if user.role not in roles:
        raise PermissionDenied


def _require_household_or_staff(claim_member: Member, user: User) -> None:
    if user.is_member:
        if user.member_id != claim_member.pk:
            raise PermissionDenied
    else:
        _require(user, MANAGEMENT_UNIT_ROLES)


def _store_documents(claim: CapitalClaim, checked: Sequence[tuple[str, object]], by: User) -> None:
    for role, file in checked:
        kind = Document.Kind.MEDICAL if role in MEDICAL_DOCUMENT_ROLES else _DOCUMENT_KINDS[role]
        document = document_store(member=claim.member, checked=file, kind=kind, by=by)
        ClaimDocument.objects.create(claim=claim, document=document, role=role)


def _checked(uploads: Sequence[Upload]) -> list[tuple[str, object]]:
    """Every file checked before anything is written (size, real type, pictures and PDFs rewritten)."""
    for role, _file in uploads:
        if role not in ClaimDocument.Role.values:
            raise ValidationError(_("Say what each document is."), code="role")
    return [(role, document_check(upload)) for role, upload in uploads]


def capital_claim_file(
    *,
    member: Member,
    kind: str,
    event_date: date,
    declarant_name: str,
    declarant_relationship: str,
    declarant_contact: str,
    uploads: Sequence[Upload],
    by: User,
    declarant_language: str = "",
) -> CapitalClaim:
    """A death or disability claim for a contract holder of a plan that pays a capital.

    A death is declared by a relative or a beneficiary: from the household's space, or keyed in by a
    handler from their letter or e-mail. A disability is declared by the member or for them.

    The declarant is written to at the e-mail address their contact holds, if any, in
    ``declarant_language``: the language of the request that files the claim unless told otherwise."""
    _require_household_or_staff(member, by)
    if kind not in CapitalClaim.Kind.values:
        raise ValidationError(_("Choose a death or a disability."), code="kind")
    if event_date > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    plan_code = capital_plan_code(member=member, day=event_date)
    if plan_code is None:
        raise ValidationError(
            _("This member's plan pays no death or disability capital on that date."), code="no_capital"
        )
    if not declarant_name.strip() or not declarant_contact.strip():
        raise ValidationError(_("Give the declarant's name and how to reach them."), code="declarant")
    if kind == CapitalClaim.Kind.DEATH and member.capital_claims.filter(kind=kind).exclude(status=Status.REFUSED):
        raise ValidationError(_("A death claim is already open for this member."), code="duplicate")
    checked = _checked(uploads)
    with transaction.atomic():
        claim = CapitalClaim.objects.create(
            member=member,
            kind=kind,
            plan_code=plan_code,
            event_date=event_date,
            declarant_name=declarant_name.strip(),
            declarant_relationship=declarant_relationship.strip(),
            declarant_contact=declarant_contact.strip(),
            declarant_email=email_in_contact(declarant_contact),
            declarant_language=_language(declarant_language),
            filed_by=by,
        )
        _store_documents(claim, checked, by)
        capital_claim_notify(claim, Event.RECEIVED)
    return claim


def _language(language: str) -> str:
    """One of the languages the site speaks: ``language`` when it is one, else the active one."""
    offered = {code for code, _name in settings.LANGUAGES}
    code = reader_language(language or None)
    return code if code in offered else reader_language(settings.LANGUAGE_CODE)


def capital_claim_documents_add(*, claim: CapitalClaim, uploads: Sequence[Upload], by: User) -> CapitalClaim:
    """Documents sent after the claim, while the handler still waits for them."""
    _require_household_or_staff(claim.member, by)
    if claim.status != Status.RECEIVED:
        raise ValidationError(_("The documents of this claim are already complete."), code="complete")
    if not uploads:
        raise ValidationError(_("Choose a file to send."), code="empty")
    checked = _checked(uploads)
    with transaction.atomic():
        _store_documents(claim, checked, by)
    return claim


def capital_claim_documents_complete(*, claim: CapitalClaim, by: User) -> CapitalClaim:
    """The handler checked the documents: the claim goes to the medical advisor."""
    _require(by, MANAGEMENT_UNIT_ROLES)
    present = set(claim.documents.values_list("role", flat=True))
    missing = [ClaimDocument.Role(role).label for role in REQUIRED_DOCUMENTS[claim.kind] if role not in present]
    if missing:
        raise ValidationError(
            _("Still missing: %(documents)s."), params={"documents": ", ".join(map(str, missing))}, code="missing"
        )
    return status_change(instance=claim, workflow=CapitalClaim.WORKFLOW, to_status=Status.DOCUMENTS_COMPLETE, by=by)


def capital_claim_medical_decide(
    *,
    claim: CapitalClaim,
    by: User,
    cause: str = "",
    death_date: date | None = None,
    degree: Decimal | None = None,
) -> CapitalClaim:
    """The medical advisor, and nobody else, records the medical facts: the cause and date of a death,
    or the degree of a disability."""
    _require(by, frozenset({Role.MEDICAL_ADVISOR}))
    fields: dict[str, object]
    if claim.kind == CapitalClaim.Kind.DEATH:
        if cause not in CapitalClaim.Cause.values or death_date is None:
            raise ValidationError(_("Record the cause and the date of death."), code="death_facts")
        if not claim.member.birth_date <= death_date <= timezone.localdate():
            raise ValidationError(_("The date of death must be between the birth and today."), code="death_date")
        fields = {"cause": cause, "death_date": death_date}
    else:
        if degree is None or not Decimal(0) < degree <= HUNDRED:
            raise ValidationError(_("The degree of disability is a percentage above 0 and at most 100."), code="degree")
        fields = {"disability_degree": degree}
    with transaction.atomic():
        claim = status_change(instance=claim, workflow=CapitalClaim.WORKFLOW, to_status=Status.MEDICAL_DECIDED, by=by)
        for name, value in {**fields, "medical_decided_by": by}.items():
            setattr(claim, name, value)
        claim.save(update_fields=[*fields, "medical_decided_by"])
    return claim


def _engine_result(claim: CapitalClaim, repatriation_cost: Decimal) -> CapitalResult:
    plan = get_plan(claim.plan_code)
    try:
        if claim.kind == CapitalClaim.Kind.DEATH:
            return death_capital(
                plan,
                birth_date=claim.member.birth_date,
                death_date=claim.death_date,
                natural_causes=claim.cause == CapitalClaim.Cause.NATURAL,
                repatriation_cost=repatriation_cost,
            )
        return disability_capital(plan, degree=claim.disability_degree, already_paid=_disability_paid_before(claim))
    except CapitalError as error:
        raise ValidationError(str(error), code="engine") from error


# A capital owed from its approval on: what a later disability claim of the same person deducts.
OWED = (Status.APPROVED, Status.PAID)


def _disability_paid_before(claim: CapitalClaim) -> Decimal:
    """The disability capital the member's other claims were approved for: a disability that worsens is owed
    the difference, and the same disability claimed twice nothing more."""
    others = claim.member.capital_claims.filter(kind=CapitalClaim.Kind.DISABILITY, status__in=OWED)
    return sum(others.exclude(pk=claim.pk).values_list("total", flat=True), Decimal("0.00"))


def message_json(message: Message) -> dict[str, object]:
    """An explanation message as stored: decimals as strings, marked so they read back as decimals."""
    return {
        "key": message.key,
        "params": [
            [name, str(value), "decimal"] if isinstance(value, Decimal) else [name, value, "plain"]
            for name, value in message.params
        ],
    }


def capital_claim_compute(*, claim: CapitalClaim, by: User, repatriation_cost: Decimal = Decimal("0")) -> CapitalClaim:
    """The engine computes the amounts from the plan's data and the medical facts; the handler only gives
    the repatriation costs incurred (an invoice), which the engine limits. The shares follow the designation
    in force on the day of the death, or the legal order; a disability is paid to the member."""
    _require(by, MANAGEMENT_UNIT_ROLES)
    if repatriation_cost < 0 or (claim.kind == CapitalClaim.Kind.DISABILITY and repatriation_cost):
        raise ValidationError(_("Repatriation costs are positive, and only for a death."), code="repatriation")
    result = _engine_result(claim, repatriation_cost)
    if result.total <= 0:
        raise ValidationError(
            _("Nothing more is due: the member was already paid the disability capital for this degree. Refuse it."),
            code="nothing_due",
        )
    recipients = claim_recipients(claim=claim)
    if not recipients:
        raise ValidationError(
            _(
                "Nobody is designated and the household file names no spouse, child or parent: record the "
                "heirs on this claim first."
            ),
            code="no_heir",
        )
    with transaction.atomic():
        claim = status_change(instance=claim, workflow=CapitalClaim.WORKFLOW, to_status=Status.COMPUTED, by=by)
        claim.repatriation_cost = repatriation_cost if claim.kind == CapitalClaim.Kind.DEATH else None
        claim.capital, claim.repatriation, claim.total = result.capital, result.repatriation, result.total
        claim.currency = result.currency
        claim.explanation = [message_json(message) for message in result.explanation]
        claim.save(update_fields=["repatriation_cost", "capital", "repatriation", "total", "currency", "explanation"])
        shares_write(claim=claim, recipients=recipients)
    return claim


def shares_write(*, claim: CapitalClaim, recipients: Sequence[Recipient]) -> None:
    """The claim's shares, made again: its total split by the recipients' shares (the caller holds the
    transaction)."""
    amounts = split(claim.total, [recipient.share for recipient in recipients])
    claim.shares.all().delete()
    ClaimShare.objects.bulk_create(
        ClaimShare(
            claim=claim,
            position=position,
            full_name=recipient.full_name,
            relationship=recipient.relationship,
            share=recipient.share,
            amount=amount,
            iban=recipient.iban,
            bic=recipient.bic,
        )
        for position, (recipient, amount) in enumerate(zip(recipients, amounts, strict=True), start=1)
    )


def claim_share_bank_details(*, share: ClaimShare, iban: str, bic: str, by: User) -> ClaimShare:
    """The handler records a beneficiary's account, as their letter gives it, before approval."""
    _require(by, MANAGEMENT_UNIT_ROLES)
    if share.claim.status != Status.COMPUTED or share.claim.kind != CapitalClaim.Kind.DEATH:
        raise ValidationError(_("The accounts are recorded before approval."), code="not_computed")
    share.iban = iban_clean(iban)
    share.bic = bic_clean(bic, share.iban)
    share.save(update_fields=["iban", "bic"])
    return share


def capital_claim_approve(*, claim: CapitalClaim, by: User) -> CapitalClaim:
    """The handler approves the computed amounts: one payable per beneficiary, in the plan's currency,
    which finance pays in its runs."""
    _require(by, MANAGEMENT_UNIT_ROLES)
    shares = list(claim.shares.all())
    if claim.kind == CapitalClaim.Kind.DEATH and any(not share.iban for share in shares):
        raise ValidationError(_("Record every beneficiary's IBAN before approving."), code="iban")
    if claim.kind == CapitalClaim.Kind.DISABILITY and not claim.member.iban:
        raise ValidationError(_("The member has no IBAN on file."), code="iban")
    reason = _("%(kind)s capital, claim %(number)s") % {"kind": claim.get_kind_display(), "number": claim.pk}
    with transaction.atomic():
        Member.objects.select_for_update().get(pk=claim.member_id)  # one approval at a time per member
        if claim.kind == CapitalClaim.Kind.DEATH and claim.member.capital_claims.filter(
            kind=CapitalClaim.Kind.DEATH, status__in=OWED
        ).exclude(pk=claim.pk):
            raise ValidationError(
                _("The death capital of this member is already approved in another claim: refuse this one."),
                code="already_approved",
            )
        if claim.kind == CapitalClaim.Kind.DISABILITY and _engine_result(claim, Decimal("0")).total != claim.total:
            raise ValidationError(
                _("Another disability capital was approved since these amounts were computed: compute them again."),
                code="recompute",
            )
        claim = status_change(instance=claim, workflow=CapitalClaim.WORKFLOW, to_status=Status.APPROVED, by=by)
        for share in shares:
            payee = (
                payee_for_member(claim.member)
                if claim.kind == CapitalClaim.Kind.DISABILITY
                else payee_for_beneficiary(name=share.full_name, iban=share.iban, bic=share.bic)
            )
            share.payable = payable_create(
                payee=payee, amount=share.amount, currency=claim.currency, reason=reason, by=by
            )
            share.save(update_fields=["payable"])
        capital_claim_notify(claim, Event.APPROVED)
    return claim


def capital_claim_refuse(*, claim: CapitalClaim, by: User, reason: str) -> CapitalClaim:
    _require(by, MANAGEMENT_UNIT_ROLES)
    if not reason.strip():
        raise ValidationError(_("Give the reason for the refusal."), code="reason")
    with transaction.atomic():
        claim = status_change(
            instance=claim, workflow=CapitalClaim.WORKFLOW, to_status=Status.REFUSED, by=by, reason=reason.strip()
        )
        claim.refusal_reason = reason.strip()
        claim.save(update_fields=["refusal_reason"])
        capital_claim_notify(claim, Event.REFUSED)
    return claim


def capital_claim_payment_record(*, claim: CapitalClaim, by: User) -> CapitalClaim:
    """Finance records the claim as paid once the bank paid every beneficiary's share in a run."""
    _require(by, FINANCE_ROLES)
    unpaid = claim.shares.exclude(payable__status=Payable.Status.PAID)
    if unpaid.exists():
        raise ValidationError(_("Some shares are not paid yet."), code="unpaid")
    with transaction.atomic():
        claim = status_change(instance=claim, workflow=CapitalClaim.WORKFLOW, to_status=Status.PAID, by=by)
        capital_claim_notify(claim, Event.PAID)
    return claim
