"""What the member and the declarant are told when a capital claim moves: a notification (``mutua.notifications``),
in the member's inbox and by e-mail, or by e-mail alone for a declarant who has no space of their own.

Only what a mailbox may safely hold, whoever else reads it: the claim's reference, where it stands in
plain words, the amount once decided, and where to sign in. Never the kind of claim, a cause, a degree,
a document, nor the refusal's reason (a handler's free text): those stay on the claim's page.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse

from mutua.capital.models import CapitalClaim
from mutua.notifications.services import notification_send

TEMPLATE = "capital/email/status"


class Event:
    RECEIVED = "received"
    APPROVED = "approved"
    REFUSED = "refused"
    PAID = "paid"


# What may separate an e-mail address from the rest of a free-text contact ("12 rue X, paul@x.org / 06…").
_SEPARATORS = re.compile(r"[\s,;/()<>\[\]]+")


def email_in_contact(contact: str) -> str:
    """The first e-mail address written in a declarant's contact (an address, an e-mail or a phone, as
    typed), or "" when it holds none."""
    for word in _SEPARATORS.split(contact):
        word = word.strip(".:\"'")
        if "@" not in word:
            continue
        try:
            validate_email(word)
        except ValidationError:
            continue
        return word
    return ""


def _member_alive(claim: CapitalClaim) -> bool:
    """Whether the member can be written to: not for their own death, nor once a death is declared."""
    if claim.kind == CapitalClaim.Kind.DEATH:
        return False
    deaths = claim.member.capital_claims.filter(kind=CapitalClaim.Kind.DEATH)
    return not deaths.exclude(status=CapitalClaim.Status.REFUSED).exists()


def capital_claim_notify(claim: CapitalClaim, event: str) -> None:
    """Notify ``event`` (written in the caller's transaction, e-mailed once it commits) to the member while
    alive, in their inbox and at their address, and to the declarant who gave an e-mail address, each in
    their own language; once only when both are the same address (a member declaring their own disability)."""
    page = reverse("capital:claim", kwargs={"claim_id": claim.pk})
    context = {
        "event": event,
        "reference": claim.pk,
        "amount": str(claim.total) if claim.total is not None else "",
        "currency": claim.currency,
        # Signing in leads to the claim's page. ``SITE_URL`` is required in production.
        "link": settings.SITE_URL.rstrip("/") + page,
    }
    member = claim.member
    written: set[str] = set()
    if _member_alive(claim):
        notification_send(
            to=member.email,
            member=member,
            link=page,
            template=TEMPLATE,
            context={**context, "first_name": member.first_name},
            language=member.preferred_language,
        )
        written.add(member.email.lower())
    if claim.declarant_email and claim.declarant_email.lower() not in written:
        # No inbox: the declarant of a death, a relative writing for the member, has no space of their own.
        notification_send(
            to=claim.declarant_email,
            link=page,
            template=TEMPLATE,
            context={**context, "first_name": claim.declarant_name},
            language=claim.declarant_language or member.preferred_language,
        )
