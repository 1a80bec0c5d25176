"""What the member and the hospital are told when a guarantee moves."""

from django.urls import reverse

from mutua.guarantees.models import Guarantee
from mutua.guarantees.selectors import patient_name
from mutua.notifications.services import notification_send


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
    notification_send(
        to=member.email,
        member=member,
        link=reverse("guarantees:detail", args=[guarantee.pk]),
        template="guarantees/email/status",
        context={**context, "first_name": member.first_name, "to_member": True},
        language=member.preferred_language,
    )
    if guarantee.provider is not None:
        notification_send(
            to=guarantee.provider.email,
            template="guarantees/email/status",
            context={**context, "to_member": False},
            language=guarantee.provider.language,
        )
