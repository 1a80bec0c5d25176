from mutua.contracts.models import ManagementUnit, Member


def normalize_member_number(raw: str) -> str:
    """Member numbers are typed from a card: ignore spaces, dashes and letter case."""
    return "".join(ch for ch in raw if ch.isalnum()).upper()


def member_get_by_number(*, member_number: str) -> Member | None:
    return (
        Member.objects.select_related("management_unit")
        .filter(member_number=normalize_member_number(member_number))
        .first()
    )


def management_unit_for_contact(*, member: Member | None = None) -> ManagementUnit | None:
    """The unit to show on help pages: the member's own when known, else the main one."""
    if member is not None:
        return member.management_unit
    return ManagementUnit.objects.order_by("pk").first()
