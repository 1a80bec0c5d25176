import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.contracts.models import ContractPlan


def intl_member_user(**member_fields):
    """A member of the international staff plan (intl-staff), stationed in Nairobi unless told otherwise."""
    member_fields.setdefault("duty_station", "KE")
    user = MemberUserFactory(**{f"member__{name}": value for name, value in member_fields.items()})
    ContractPlan.objects.filter(contract=user.member.contract).update(plan_code="intl-staff", tiers=["main"])
    return user


def report_upload(name: str = "report.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def request_fields(**overrides):
    fields = {
        "beneficiary": None,
        "section": "inpatient",
        "care_details": "knee surgery",
        "country": "US",
        "facility": "Mayo Clinic, Rochester",
        "planned_from": date(2026, 3, 1),
        "planned_to": date(2026, 3, 20),
        "reason": "no_treatment_elsewhere",
        "channel": "portal",
    }
    return fields | overrides
