from datetime import date
from decimal import Decimal

from mutua.claims.tests.helpers import receipt
from mutua.quotes.estimates import LineInput
from mutua.quotes.services import quote_create

GLASSES = LineInput(
    benefit_code="optical.equipment",
    amount=Decimal("480.00"),
    br=Decimal("0.15"),
    attributes={"lens_class": "simple"},
    label="Monture + 2 verres unifocaux",
)
CROWN = LineInput(
    benefit_code="dental.crown_bridge",
    amount=Decimal("600.00"),
    br=Decimal("107.50"),
    attributes={"basket": "libre"},
    tooth="36",
)


def make_quote(user, lines=(GLASSES,), *, planned=date(2026, 12, 15), beneficiary=None, name="Lunettes", upload=True):
    return quote_create(
        member=user.member,
        by=user,
        beneficiary=beneficiary,
        name=name,
        kind="optical",
        provider="Optique du Centre",
        planned_date=planned,
        lines=list(lines),
        upload=receipt("devis.pdf", salt=f"{name}-{planned}-{lines}") if upload else None,
    )
