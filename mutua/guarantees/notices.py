"""What the member and the hospital are told when a guarantee moves."""

from mutua.core.emails import email_queue
from mutua.guarantees.models import Guarantee
from mutua.guarantees.selectors import patient_name


def guarantee_notify(guarantee: Guarantee, event: str, **extra: str) -> None:
    """Tell the member and the hospital, each in their language; never anything medical."""
    member = guarantee.member
    context = {
        "event": event,
        "reference": guarantee.reference,
        "hospital": guarantee.hospital,
        "admission": guarantee.admission_date.strftime("%d/%m/%Y"),
        "patient": patient_name(guarantee),
        **extra,
    }
    email_queue(
        to=member.email,
        template="guarantees/email/status",
        context={**context, "first_name": member.first_name, "to_member": True},
        language=member.preferred_language,
    )
    if guarantee.provider is not None:
        email_queue(
            to=guarantee.provider.email,
            template="guarantees/email/status",
            context={**context, "to_member": False},
            language=guarantee.provider.language,
        )
