"""Writes for the heirs of a death claim, keyed in by a handler from the succession documents when the
member designated nobody and the household file names nobody in the legal order (``shares.legal_heirs``
found nobody). The claim's shares are then made from them, and paid as designated beneficiaries are."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES, User
from mutua.capital.designations import MAX_DESIGNEES, _share_words
from mutua.capital.models import CapitalClaim, ClaimHeir
from mutua.capital.selectors import claim_recipients, heirs_needed
from mutua.capital.services import _require, shares_write
from mutua.capital.shares import HUNDRED
from mutua.contracts.services import bic_clean, iban_clean
from mutua.core.workflow import Workflow, status_history_record

Status = CapitalClaim.Status

# The heirs are recorded, or recorded again, at any step before approval. Recording them moves no status:
# each allowed step goes to itself, so the history row is checked against this table like any other.
HEIRS_RECORDABLE = Workflow(
    transitions={
        status: frozenset({status})
        for status in (Status.RECEIVED, Status.DOCUMENTS_COMPLETE, Status.MEDICAL_DECIDED, Status.COMPUTED)
    }
)


@dataclass(frozen=True)
class HeirInput:
    full_name: str
    share: Decimal  # percent
    iban: str = ""
    bic: str = ""


def _cleaned(entry: HeirInput) -> HeirInput:
    name = entry.full_name.strip()
    if not name:
        raise ValidationError(_("Give each heir's full name."), code="incomplete")
    if not Decimal(0) < entry.share <= HUNDRED or entry.share != entry.share.quantize(Decimal("0.01")):
        raise ValidationError(_("Each share is a percentage above 0, at most 100, to the hundredth."), code="share")
    try:
        iban = iban_clean(entry.iban) if entry.iban.strip() else ""
        bic = bic_clean(entry.bic, iban) if iban else ""
    except ValidationError as error:
        raise ValidationError(
            _("%(name)s: %(error)s"), params={"name": name, "error": " ".join(error.messages)}, code=error.code
        ) from error
    return HeirInput(name, entry.share, iban, bic)


def _summary(heirs: Sequence[HeirInput]) -> str:
    """ "Ana Diallo (60 %), Ben Diallo (40 %)": what the history row says, without any account."""
    return ", ".join(f"{heir.full_name} ({_share_words(heir.share)}\N{NO-BREAK SPACE}%)" for heir in heirs)


def capital_claim_heirs_record(*, claim: CapitalClaim, heirs: Sequence[HeirInput], by: User) -> CapitalClaim:
    """The heirs of a death claim nobody is designated for, with their shares adding up to 100 % and their
    accounts when known, all at once (a new record replaces the earlier one), with a history row. Once the
    amounts are computed, the shares are made again from them."""
    _require(by, MANAGEMENT_UNIT_ROLES)
    if not heirs_needed(claim=claim):
        raise ValidationError(
            _("The capital goes to the designated beneficiaries or to the household's legal heirs: no heir to record."),
            code="not_needed",
        )
    if not heirs:
        raise ValidationError(_("Give at least one heir."), code="empty")
    if len(heirs) > MAX_DESIGNEES:
        raise ValidationError(_("Record at most %(count)s heirs."), params={"count": MAX_DESIGNEES}, code="too_many")
    cleaned = [_cleaned(entry) for entry in heirs]
    total = sum((entry.share for entry in cleaned), Decimal(0))
    if total != HUNDRED:
        raise ValidationError(
            _("The shares add up to %(total)s %%: they must add up to 100 %%."),
            params={"total": _share_words(total)},
            code="shares_total",
        )
    with transaction.atomic():
        locked = CapitalClaim.objects.select_for_update().get(pk=claim.pk)
        if locked.status not in HEIRS_RECORDABLE.transitions:
            raise ValidationError(_("The heirs are recorded before the claim is approved."), code="approved")
        locked.heirs.all().delete()
        for position, entry in enumerate(cleaned, start=1):
            # One by one (ten at most), not in bulk: the audit log keeps who recorded which account, masked.
            ClaimHeir.objects.create(claim=locked, position=position, recorded_by=by, **entry.__dict__)
        reason = _("Heirs recorded: %(heirs)s.") % {"heirs": _summary(cleaned)}
        status_history_record(
            model=CapitalClaim,
            workflow=HEIRS_RECORDABLE,
            paths=[(locked.pk, (locked.status, locked.status), reason)],
            by=by,
        )
        if locked.status == Status.COMPUTED:
            shares_write(claim=locked, recipients=claim_recipients(claim=locked))
    return locked
