"""What a person must settle before paying an item the rules did not pay alone: one set of checks for a handler's
decision on an item waiting for one (``claims.review``) and for a review of an automatic decision
(``benefits.review``), so that no path pays what another would refuse (the same care twice, above a guarantee)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mutua.benefits.models import ClaimItem
from mutua.benefits.reasons import JUSTIFIED_REASONS
from mutua.benefits.selectors import same_care_as
from mutua.core.formatting import money_format

ZERO = Decimal("0.00")


def acceptance_check(item: ClaimItem, *, text: str) -> None:
    """Before the engine computes the item on the facts a person settled: raises what makes paying it wrong."""
    if JUSTIFIED_REASONS & set(item.review_reasons) and not text.strip():
        raise ValidationError(
            _(
                "This care is more than two years old: name the exception that lets it be paid (the member "
                "learned of it late, or the limitation period was interrupted, for example by a registered "
                "letter)."
            ),
            code="justification",
        )
    same = same_care_as(item=item)
    if same is not None and same.paid:
        raise ValidationError(
            _("This care is already reimbursed: %(source)s. Refuse this item as a duplicate."),
            params={"source": same.text},
            code="paid_elsewhere",
        )
    if "am_part_missing" in item.review_reasons and item.mr is None:
        raise ValidationError(
            _("Enter what the Assurance Maladie paid, from its statement, before accepting."), code="am_paid_required"
        )
    if item.amount <= 0 or (item.mr or 0) > item.amount:
        raise ValidationError(
            _("Check the amounts: the amount paid must be positive and cover the AM part."), code="amounts"
        )


def ceiling_check(item: ClaimItem, *, text: str) -> None:
    """After computing: a person pays above a claim's ceiling (what a guarantee states) only with the reason
    written."""
    claim = item.claim
    if claim.ceiling is None or text.strip():
        return
    accepted = claim.items.filter(status=ClaimItem.Status.ACCEPTED)
    paid = sum((other.paid_total or ZERO for other in accepted), ZERO)
    if paid > claim.ceiling:
        raise ValidationError(
            _("Accepting this pays %(excess)s beyond what the guarantee of payment covers: write why."),
            params={"excess": money_format(paid - claim.ceiling)},
            code="over_guarantee",
        )
