"""What the hospital guarantees API reads and writes. Money is a string with two decimals, dates are ISO 8601."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from mutua.api.schemas import Money, PersonOut, Text

StayKind = Literal["surgical", "medical", "psychiatric", "maternity"]
GuaranteeKind = Literal["planned", "emergency"]
GuaranteeForm = Literal["card", "temporary_letter", "guarantee_of_payment"]
GuaranteeStatus = Literal["requested", "negotiating", "issued", "extension_requested", "refused", "settled", "expired"]
# Far enough for any stay; bounded so that no date arithmetic can leave the calendar.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class HospitalFilter(Schema):
    q: Text(100) = Field("", description="Part of the name or the city.")  # type: ignore[valid-type]


class HospitalOut(Schema):
    id: int = Field(description="For POST /guarantees.")
    name: str
    kind: Literal["hospital", "clinic"]
    city: str
    country: str = Field(description="ISO 3166-1 alpha-2.")
    in_network: bool = Field(description="Network hospitals get their guarantee of payment within 2 hours.")


class StayCostOut(Schema):
    benefit_code: str = Field(description="For the costs of POST /guarantees.")
    label: str
    per_day: bool = Field(description="The quantity is a number of days; the plan's limit is per day.")
    doctor: bool = Field(description="Doctors' fees: say whether the doctor has signed OPTAM/DPTM.")


class StayCostsOut(Schema):
    stay_kind: StayKind
    label: str
    currency: str = Field(description="ISO 4217: the plan's currency, in which the costs are given.")
    costs: list[StayCostOut]


class CostIn(Schema):
    benefit_code: Text(60, 1) = Field(description="A code from GET /guarantees/costs for the kind of stay.")  # type: ignore[valid-type]
    amount: Decimal = Field(
        gt=0, max_digits=10, decimal_places=2, description="The hospital's estimate, in the plan's currency."
    )
    br: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2, description="BR, if printed.")
    quantity: int = Field(1, ge=1, le=366, description="A number of days for a per-day cost.")
    dptm: bool = Field(False, description="Fees of a doctor who has signed OPTAM/DPTM.")


class GuaranteeIn(Schema):
    person: Text(20) = Field("", description="Empty for the subscriber, or a beneficiary id from GET /people.")  # type: ignore[valid-type]
    hospital_id: int = Field(ge=1, description="An id from GET /hospitals.")
    stay_kind: StayKind
    admission_date: date = Field(ge=EARLIEST, le=LATEST)
    expected_discharge: date = Field(ge=EARLIEST, le=LATEST)
    planned_acts: Text(2000) = Field("", description="As written by the hospital or the doctor.")  # type: ignore[valid-type]
    costs: list[CostIn] = Field(default_factory=list, max_length=12, description="The hospital's estimate.")


class EmergencyIn(Schema):
    """An emergency admission, notified by the member or someone for them: no prior agreement is needed."""

    person: Text(20) = Field("", description="Empty for the subscriber, or a beneficiary id from GET /people.")  # type: ignore[valid-type]
    hospital_id: int | None = Field(None, ge=1, description="An id from GET /hospitals, if the hospital is listed.")
    hospital_name: Text(200) = Field("", description="Otherwise the hospital's name…")  # type: ignore[valid-type]
    hospital_phone: Text(30) = Field("", description="…and its telephone number.")  # type: ignore[valid-type]
    stay_kind: StayKind
    admission_date: date = Field(ge=EARLIEST, le=LATEST)
    discharge_date: date | None = Field(None, ge=EARLIEST, le=LATEST, description="If known.")
    card_shown: bool = Field(description="The member card was shown at admission.")
    notifier_name: Text(100) = Field("", description="Who notifies, if not the patient.")  # type: ignore[valid-type]
    notifier_phone: Text(30) = Field("", description="Where to call them back.")  # type: ignore[valid-type]


class HospitalRefOut(Schema):
    id: int | None = Field(description="Empty while the hospital is not on file.")
    name: str
    city: str
    in_network: bool


class GuaranteeSummaryOut(Schema):
    id: int
    reference: str | None
    kind: GuaranteeKind
    stay_kind: StayKind
    stay_kind_label: str
    form: GuaranteeForm
    form_label: str
    status: GuaranteeStatus
    status_label: str
    person: PersonOut
    hospital: HospitalRefOut
    admission_date: date
    expected_discharge: date | None
    valid_from: date | None
    valid_until: date | None
    currency: str = Field(description="ISO 4217: the plan's currency, of every amount of the guarantee.")
    paid_total: Money = Field(description="What the plan guarantees on the costs sent (estimate).")
    out_of_pocket: Money = Field(description="What may remain for the patient (estimate).")
    requested_at: datetime


class GuaranteeLineOut(Schema):
    benefit_code: str
    care: str = Field(description="The cost, in the request's language.")
    quantity: int
    per_day: bool
    amount: Money
    am_paid: Money | None = Field(description="Estimated payment of the Assurance Maladie.")
    paid_total: Money | None = Field(description="Guaranteed by the plan.")
    out_of_pocket: Money | None = Field(description="May remain for the patient.")
    explanation: list[str] = Field(description="How it is computed, in the request's language.")


class DayLimitOut(Schema):
    label: str
    per_day: Money = Field(description="The most the plan pays per day.")


class ExtensionOut(Schema):
    requested_until: date
    decision: Literal["pending", "granted", "refused"]
    decision_label: str
    granted_until: date | None
    answer: str = Field(description="The medical advisor's answer (never medical details).")


class GuaranteeOut(GuaranteeSummaryOut):
    channel: str
    planned_acts: str
    card_cover_until: date | None = Field(description="The member card alone guarantees the stay until then.")
    answer_due_by: datetime | None = Field(description="While the request waits for the management unit.")
    issued_at: datetime | None
    refusal_reason: str
    amount: Money = Field(description="The costs sent, in total.")
    am_paid: Money = Field(description="Estimated payment of the Assurance Maladie.")
    lines: list[GuaranteeLineOut]
    day_limits: list[DayLimitOut]
    extensions: list[ExtensionOut]
    pdf_available: bool = Field(description="GET /guarantees/{id}/pdf gives the guarantee as issued.")
    claim_id: int | None = Field(description="The hospital's invoice, once paid.")
