"""What the quotes API reads and writes. Money is a string with two decimals, dates are ISO 8601."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from mutua.api.schemas import DocumentOut, Money, PersonOut, Text, TierOut

QuoteKind = Literal["optical", "dental", "hearing", "other"]
QuoteStatus = Literal["estimated", "review_requested", "reviewed", "claimed"]


class QuoteLineIn(Schema):
    benefit_code: Text(60, 1) = Field(description="A code from GET /benefits.")  # type: ignore[valid-type]
    label: Text(200) = Field("", description="The act or equipment as written on the quote.")  # type: ignore[valid-type]
    amount: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    br: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2, description="BR, if printed.")
    quantity: int = Field(1, ge=1, le=99)
    network: bool = Field(False, description="The provider belongs to the partner network.")
    dptm: bool = Field(False, description="The doctor has signed OPTAM/DPTM.")
    ald: bool = Field(False, description="Care for a long-term illness (ALD).")
    basket: Literal["", "100_sante", "maitrise", "libre"] = ""
    lens_class: Literal["", "simple", "complex", "very_complex"] = ""
    side: Literal["", "left", "right"] = Field("", description="The eye or the ear.")
    tooth: str = Field("", pattern=r"^([1-4][1-8])?$", description="The tooth (FDI number, 11 to 48).")


class QuoteIn(Schema):
    name: Text(100, 1)  # type: ignore[valid-type]
    person: Text(20) = Field("", description="Empty for the subscriber, or a beneficiary id from GET /people.")  # type: ignore[valid-type]
    kind: QuoteKind
    provider: Text(200, 1)  # type: ignore[valid-type]
    planned_date: date
    lines: list[QuoteLineIn] = Field(min_length=1, max_length=10)


class CheckIn(Schema):
    question: Text(2000) = ""  # type: ignore[valid-type]


class QuoteLineOut(Schema):
    id: int
    care: str = Field(description="The kind of care, in the request's language.")
    benefit_code: str
    label: str
    amount: Money
    br: Money | None
    quantity: int
    flags: list[str]
    attributes: dict[str, str]
    tooth: str
    am_paid: Money | None = Field(description="Estimated payment of the Assurance Maladie.")
    tiers: list[TierOut] = Field(description="Estimated payment of each tier of the plan.")
    paid_total: Money | None
    out_of_pocket: Money | None = Field(description="What would remain for the member.")
    network_saving: Money = Field(description="How much less the member would pay in the partner network.")
    rules: list[str] = Field(description="The plan rules applied, e.g. optical.equipment/base#4.")
    explanation: list[str]


class EstimateOut(Schema):
    label: str = Field(description="“Estimate”, in the request's language: never a commitment.")
    note: str = Field(description="When it was computed, with which plan version and counters.")
    estimated_at: datetime
    plan_code: str
    plan_version_from: date | None
    amount: Money
    am_paid: Money
    tiers: list[TierOut]
    paid_total: Money
    out_of_pocket: Money
    network_saving: Money


class QuoteSummaryOut(Schema):
    id: int
    name: str
    kind: QuoteKind
    status: QuoteStatus
    status_label: str
    person: PersonOut
    provider: str
    planned_date: date
    amount: Money
    out_of_pocket: Money = Field(description="Estimated.")
    created_at: datetime


class QuoteOut(QuoteSummaryOut):
    estimate: EstimateOut
    lines: list[QuoteLineOut]
    document: DocumentOut | None
    review_question: str
    review_requested_at: datetime | None
    advice: str = Field(description="The management unit's advice, once checked.")
    reviewed_at: datetime | None
    claim_id: int | None = Field(description="The claim made from this quote once the care is done.")


class CompareOut(Schema):
    quotes: list[QuoteOut]
    cheapest: list[int] = Field(description="The quotes leaving the least to pay.")
