"""Who may act on a guarantee, and the guarantee locked for one action at a time."""

from django.core.exceptions import PermissionDenied

from mutua.accounts.models import Role, User
from mutua.guarantees.models import Guarantee


def role_require(user: User, roles: frozenset[Role]) -> None:
    if user.role not in roles:
        raise PermissionDenied


def guarantee_locked(guarantee: Guarantee) -> Guarantee:
    return (
        Guarantee.objects.select_for_update(of=("self",))
        .select_related("member", "beneficiary", "provider")
        .get(pk=guarantee.pk)
    )


def hospital_staff_require(guarantee: Guarantee, by: User) -> None:
    """Only the staff of the guarantee's own hospital act for the hospital."""
    if by.role != Role.PROVIDER or by.provider_id is None or by.provider_id != guarantee.provider_id:
        raise PermissionDenied
