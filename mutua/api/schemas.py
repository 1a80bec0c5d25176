"""What the API reads and writes. Money is a string with two decimals, dates are ISO 8601."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, Field

MONEY_PATTERN = r"^-?\d+\.\d{2}$"
Money = Annotated[str, Field(pattern=MONEY_PATTERN, examples=["30.00"])]


def _plain_text(value: str) -> str:
    # NUL characters and lone surrogates cannot be stored (PostgreSQL refuses them).
    if "\x00" in value:
        raise ValueError(_("This text contains a character that is not allowed."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(_("This text contains a character that is not allowed.")) from error
    return value.strip()


def Text(max_length: int, min_length: int = 0) -> object:
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(_plain_text)]


# --- errors -------------------------------------------------------------------------------


class MessageOut(Schema):
    detail: str


class ErrorOut(Schema):
    detail: list[str] = Field(description="What is wrong, in the request's language (Accept-Language).")
    code: str = Field(description="A stable code for the app, e.g. too_many_items, over_limit, by_post.")


# --- authentication -----------------------------------------------------------------------


class TokenIn(Schema):
    member_number: Text(30, 1)  # type: ignore[valid-type]
    password: Text(4096, 1)  # type: ignore[valid-type]
    name: Text(60) = Field("", description="A name to recognise the device, e.g. “My phone”.")  # type: ignore[valid-type]


class TokenOut(Schema):
    token: str = Field(description="Shown once: send it as “Authorization: Bearer <token>”.")
    token_type: Literal["Bearer"] = "Bearer"
    name: str
    expires_at: datetime


# --- reference lists ----------------------------------------------------------------------


class PersonOut(Schema):
    id: str = Field(description="Empty for the subscriber, otherwise the beneficiary's id.")
    name: str


class BenefitOut(Schema):
    code: str
    label: str


class BenefitSectionOut(Schema):
    section: str
    benefits: list[BenefitOut]


# --- claims -------------------------------------------------------------------------------


class ClaimIn(Schema):
    name: Text(100, 1)  # type: ignore[valid-type]
    person: Text(20) = Field("", description="Empty for the subscriber, or a beneficiary id from GET /people.")  # type: ignore[valid-type]


class ItemIn(Schema):
    """The fields of a care item, sent as multipart form data with the files in ``documents``."""

    benefit_code: Text(60, 1) = Field(description="A code from GET /benefits.")  # type: ignore[valid-type]
    care_date: date
    provider: Text(200, 1)  # type: ignore[valid-type]
    amount: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    currency: str = Field("EUR", pattern=r"^[A-Z]{3}$")
    br: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2, description="Reimbursement base (BR).")
    mr: Decimal | None = Field(
        None,
        ge=0,
        max_digits=10,
        decimal_places=2,
        description="Paid by the AM, from its statement: required for care the AM covers (0 if it paid nothing).",
    )
    other_paid: Decimal = Field(
        Decimal("0.00"),
        ge=0,
        max_digits=10,
        decimal_places=2,
        description=(
            "Already paid by another complementary insurer, from its statement (attached with the documents), "
            "in the plan's currency."
        ),
    )
    quantity: int = Field(1, ge=1, le=99)
    doctor_fees: Literal["sector_1", "optam", "free"] | None = Field(
        None,
        description="How the doctor charges, required for doctors and radiology: standard rate (secteur 1), "
        "controlled fees (OPTAM) or free fees.",
    )
    network: bool = Field(False, description="The provider belongs to the partner network.")
    ald: bool = Field(False, description="Care for a long-term illness (ALD).")
    basket: Literal["", "100_sante", "maitrise", "libre"] = ""
    lens_class: Literal["", "simple", "complex", "very_complex"] = ""
    side: Literal["", "left", "right"] = ""
    care_country: str = Field(
        "",
        pattern=r"^([A-Z]{2})?$",
        description="Where the care was given (ISO 3166-1 alpha-2), asked under a plan with restricted zones.",
    )
    care_urgent: bool = Field(False, description="The care was urgent and not planned (restricted zones).")
    duty_travel: bool = Field(False, description="The insured was there on duty travel (restricted zones).")

    FLAGS: ClassVar[tuple[str, ...]] = ("network", "ald")
    ATTRIBUTES: ClassVar[tuple[str, ...]] = ("basket", "lens_class", "side")

    def service_arguments(self) -> dict[str, object]:
        return {
            "benefit_code": self.benefit_code,
            "care_date": self.care_date,
            "provider": self.provider,
            "amount": self.amount,
            "currency": self.currency,
            "br": self.br,
            "mr": self.mr,
            "other_paid": self.other_paid,
            "quantity": self.quantity,
            "doctor_fees": self.doctor_fees,
            "flags": [flag for flag in self.FLAGS if getattr(self, flag)],
            "attributes": {name: getattr(self, name) for name in self.ATTRIBUTES if getattr(self, name)},
            "care_country": self.care_country,
            "care_urgent": self.care_urgent,
            "duty_travel": self.duty_travel,
        }


class SubmitIn(Schema):
    terms_accepted: bool = Field(description="Acceptance of the terms of the online claims service.")


class DocumentOut(Schema):
    id: UUID
    name: str
    content_type: str
    size: int


class TierOut(Schema):
    label: str
    amount: Money


ItemStatus = Literal["in_progress", "validated", "rejected"]
ClaimStatus = Literal["draft", "in_progress", "validated", "rejected"]


class ExchangeOut(Schema):
    rate: str | None = Field(description="What one unit of the currency paid was worth in the plan's currency.")
    rate_date: date | None = Field(description="The day of the rate: the care's, or the last ECB day before it.")
    source: str = Field(description='"ECB" (its reference rate), or the source a handler named.')
    text: str = Field(description="Both amounts and the rate, in the request's language.")


class ItemOut(Schema):
    id: int
    care: str = Field(description="The kind of care, in the request's language.")
    benefit_code: str
    care_date: date
    provider: str
    amount: Money
    currency: str = Field(description="The currency paid in (ISO 4217).")
    plan_amount: Money | None = Field(
        description="The amount in the plan's currency (plan_currency); null until a handler converts a "
        "currency without a known rate."
    )
    amount_eur: Money | None = Field(
        description="Deprecated: the same as plan_amount, named when every plan paid in euros.", deprecated=True
    )
    plan_currency: str = Field(description="The currency the plan computes and pays in (ISO 4217).")
    exchange: ExchangeOut | None = Field(description="How a bill in another currency was converted; null otherwise.")
    br: Money | None
    mr: Money | None
    other_paid: Money = Field(description="Already paid by another complementary insurer.")
    quantity: int
    flags: list[str]
    attributes: dict[str, str]
    care_country: str = Field(description="Where the care was given (ISO 3166-1 alpha-2); empty when not asked.")
    care_urgent: bool = Field(description="Said urgent and not planned (restricted zones).")
    duty_travel: bool = Field(description="Said on duty travel (restricted zones).")
    status: ItemStatus
    status_label: str
    rejection_reason: str | None = Field(description="Code of the reason when rejected.")
    rejection_reason_text: str = Field(description="The reason in plain words, with the handler's explanation.")
    am_paid: Money | None = Field(description="Paid by the Assurance Maladie.")
    tiers: list[TierOut] = Field(description="Paid by each tier of the plan.")
    paid_total: Money | None = Field(description="Paid by the plan.")
    out_of_pocket: Money | None = Field(description="What remains for the member.")
    explanation: list[str] = Field(description="How the amounts were computed, in the request's language.")
    documents: list[DocumentOut]


class StatementOut(Schema):
    id: int = Field(description="For GET /statements/{id}/pdf.")
    number: str
    claim_id: int
    claim_name: str
    issued_at: datetime
    total_paid: Money


class ClaimSummaryOut(Schema):
    id: int
    name: str
    status: ClaimStatus
    status_label: str
    partly: bool = Field(description="Validated with some items refused.")
    person: PersonOut
    item_count: int
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    total_paid: Money | None


class ClaimOut(ClaimSummaryOut):
    items: list[ItemOut]
    statement: StatementOut | None
    terms_version: str
    terms_accepted_at: datetime | None
    notice: str = Field(description="Reminder to keep the originals.")


# The answers a route documents beside its success.
NOT_FOUND = {404: MessageOut}
UNPROCESSABLE = {422: ErrorOut}
