"""The demo's international staff member (seed 000): stationed in Nairobi under the intl-staff plan, with a
spouse and a child, claims decided by the pipeline (one in the United States refused by the zone rule) and a
prior approval waiting for the medical advisor. Created through the services, as the member and a handler
would; nothing is created twice."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile

from mutua.accounts.models import User
from mutua.accounts.services import member_account_create, password_set
from mutua.approvals.models import PriorApproval
from mutua.approvals.services import prior_approval_request
from mutua.benefits.models import Claim, ClaimItem
from mutua.claims.adjudication import claim_adjudicate
from mutua.claims.review import claim_item_decide
from mutua.claims.services import claim_create, claim_item_add, claim_submit
from mutua.contracts.models import (
    ContractPlan,
    Employer,
    GroupContract,
    Insurer,
    ManagementUnit,
    Member,
    Relationship,
)
from mutua.contracts.services import beneficiary_add, member_affiliate, member_duty_station_set

INTL_MEMBER_NUMBER = "MU2000001"
INTL_CONTRACT = "GC-INTL-2024"
COVER_FROM = date(2024, 3, 1)
# What one Kenyan shilling was worth in US dollars in October 2026 (the ECB does not quote the shilling).
KES_RATE = Decimal("0.0077419")


def demo_international_load(*, password: str, handler: User) -> None:
    if Member.objects.filter(member_number=INTL_MEMBER_NUMBER).exists():
        return
    unit = ManagementUnit.objects.create(
        name="Mutua International — Member services",
        phone="+41 22 555 01 00",
        email="international@mutua.example.org",
        postal_address="Mutua International\nRue de Lausanne 15\n1201 Geneva\nSwitzerland",
        opening_hours="Mon–Fri 8:00–18:00 (Geneva time); emergencies 24/7",
    )
    contract = GroupContract.objects.create(
        number=INTL_CONTRACT,
        employer=Employer.objects.create(name="International Development Organisation"),
        insurer=Insurer.objects.create(name="Mutua International"),
        management_unit=unit,
        start_date=date(2024, 1, 1),
    )
    ContractPlan.objects.create(contract=contract, plan_code="intl-staff", tiers=["main"], valid_from=date(2024, 1, 1))
    member = member_affiliate(
        contract=contract,
        member_number=INTL_MEMBER_NUMBER,
        first_name="Amina",
        last_name="Otieno",
        birth_date=date(1983, 8, 14),
        email="amina.otieno@example.org",
        hire_date=COVER_FROM,
        received_on=COVER_FROM,
        postal_address="UN Avenue, Gigiri\nP.O. Box 30552\nNairobi 00100\nKenya",
        duty_station="KE",
    )
    member_duty_station_set(member=member, duty_station="KE")  # kept in the household's history
    Member.objects.filter(pk=member.pk).update(preferred_language="en")
    user = member_account_create(member=member)
    password_set(user=user, password=password)
    spouse = beneficiary_add(
        member=member,
        relationship=Relationship.SPOUSE,
        first_name="David",
        last_name="Otieno",
        birth_date=date(1980, 2, 9),
        qualifies_from=COVER_FROM,
        received_on=COVER_FROM,
    )
    beneficiary_add(
        member=member,
        relationship=Relationship.CHILD,
        first_name="Zawadi",
        last_name="Otieno",
        birth_date=date(2015, 6, 21),
        qualifies_from=COVER_FROM,
        received_on=COVER_FROM,
    )
    _claim(
        user,
        name="Consultation, Nairobi",
        items=[
            {
                "benefit_code": "intl.consultation",
                "care_date": date(2026, 10, 14),
                "provider": "The Nairobi Hospital",
                "amount": Decimal("95.00"),
                "currency": "USD",
                "care_country": "KE",
            },
            {
                "benefit_code": "intl.pharmacy",
                "care_date": date(2026, 10, 14),
                "provider": "Goodlife Pharmacy, Westlands",
                "amount": Decimal("4850.00"),
                "currency": "KES",
                "care_country": "KE",
            },
        ],
        handler=handler,
    )
    # Care in the United States on holiday, neither urgent nor approved: the zone rule pays nothing and says why.
    _claim(
        user,
        name="Doctor in New York",
        beneficiary=spouse,
        items=[
            {
                "benefit_code": "intl.consultation",
                "care_date": date(2026, 11, 3),
                "provider": "NYU Langone, New York",
                "amount": Decimal("180.00"),
                "currency": "USD",
                "care_country": "US",
            }
        ],
        handler=handler,
    )
    prior_approval_request(
        member=member,
        beneficiary=None,
        section="inpatient",
        care_details="Knee arthroscopy (torn meniscus), 2 nights",
        country="US",
        facility="Hospital for Special Surgery, New York",
        planned_from=date(2027, 1, 18),
        planned_to=date(2027, 1, 20),
        reason=PriorApproval.Reason.NO_TREATMENT_ELSEWHERE,
        medical_report=_pdf("medical-report.pdf", ["Orthopaedic report", "Dr W. Kamau, Nairobi", "MRI: torn meniscus"]),
        channel=PriorApproval.Channel.PORTAL,
        by=user,
    )


def _claim(user: User, *, name: str, items: list[dict], handler: User, beneficiary=None) -> Claim:
    """A claim sent by the member and decided at once by the pipeline; an item in a currency without an
    ECB rate is converted by the handler at the central bank's rate, as the back office does."""
    claim = claim_create(member=user.member, beneficiary=beneficiary, name=name)
    for item in items:
        receipt = _pdf(f"{item['provider']}.pdf", [item["provider"], f"{item['amount']} {item['currency']}"])
        claim_item_add(claim=claim, by=user, uploads=[receipt], **item)
    claim_submit(claim=claim, by=user, terms_accepted=True)
    claim_adjudicate(claim_id=claim.pk)
    for item in ClaimItem.objects.filter(claim=claim, status=ClaimItem.Status.IN_REVIEW, plan_rate__isnull=True):
        claim_item_decide(
            item=item, by=handler, accept=True, adjust={"rate": KES_RATE, "rate_source": "Central Bank of Kenya"}
        )
    return claim


def _pdf(name: str, lines: list[str]) -> SimpleUploadedFile:
    """A one-page document showing ``lines`` (a receipt, a medical report)."""
    pdf = pikepdf.new()
    text = " ".join(f"({line}) Tj 0 -18 Td" for line in lines)
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=pikepdf.Array([0, 0, 595, 842]),
        Resources=pikepdf.Dictionary(
            Font=pikepdf.Dictionary(
                F1=pikepdf.Dictionary(
                    Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
                )
            )
        ),
    )
    page.Contents = pikepdf.Stream(pdf, f"BT /F1 14 Tf 60 780 Td {text} ET".encode("latin-1"))
    pdf.pages.append(pikepdf.Page(page))
    buffer = BytesIO()
    pdf.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")
