from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from mutua.contracts.selectors import (
    beneficiary_coverage_on,
    household_beneficiaries,
    plan_summary,
    subscriber_coverage_on,
)
from mutua.core.permissions import member_required


@member_required
def my_contract_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    today: date = timezone.localdate()
    beneficiaries = [
        (beneficiary, beneficiary_coverage_on(beneficiary=beneficiary, day=today))
        for beneficiary in household_beneficiaries(member=member)
    ]
    coverage = subscriber_coverage_on(member=member, day=today)
    plan = (
        plan_summary(plan_code=coverage.plan_code, tiers=coverage.tiers, language=get_language())
        if coverage.plan_code
        else None
    )
    return render(
        request,
        "contracts/my_contract.html",
        {
            "member": member,
            "coverage": coverage,
            "plan": plan,
            "beneficiaries": beneficiaries,
            "management_unit": member.management_unit,
            "today": today,
        },
    )
