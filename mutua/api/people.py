"""The household's person an API call names: what every route that acts for someone reads the same way."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mutua.claims.selectors import claim_people
from mutua.contracts.models import Beneficiary, Member


def household_person(*, member: Member, person: str) -> Beneficiary | None:
    """The beneficiary named by ``person`` (an id from GET /people), None for the subscriber (empty);
    anyone else, another household's or removed, is refused as not of the household."""
    if not person:
        return None
    if person not in dict(claim_people(member=member)):
        raise ValidationError(_("Choose a person of your household."), code="beneficiary")
    return member.beneficiaries.get(pk=int(person))
