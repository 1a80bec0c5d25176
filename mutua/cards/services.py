"""Writes for member cards: the signed token the card's QR code carries."""

from datetime import date

from django.core import signing

from mutua.contracts.models import Member

# Binds the signature to this use: a token signed for anything else never reads as a card.
CARD_TOKEN_SALT = "mutua.cards.member-card"


def card_token_make(*, member: Member, valid_until: date) -> str:
    """A URL-safe token carrying the member's id and the card's last valid day, signed.

    ``signing.dumps`` only base64-encodes its payload (then adds the signing time and the
    signature), so the payload holds no personal data: the database id and a date, nothing
    a reader could tie to a person without the database.
    """
    return signing.dumps({"m": member.pk, "u": valid_until.isoformat()}, salt=CARD_TOKEN_SALT)
