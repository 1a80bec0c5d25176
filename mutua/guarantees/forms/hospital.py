"""The hospital's side: the patient as written on the member card, the invoice, the extension."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from engine.plan import Plan
from mutua.accounts.forms import MemberNumberField
from mutua.contracts.models import Beneficiary, Member
from mutua.guarantees.forms.stay import (
    DATE,
    MAX_COST_ROWS,
    CostRowForm,
    EmergencyStayForm,
    PlannedStayForm,
    filled_rows,
)
from mutua.guarantees.selectors import patient_find
from mutua.guarantees.stays import Cost

PATIENT_NOT_FOUND = _(
    "No patient matches this member number, last name and date of birth. Check them on the member card."
)


class PatientForm(forms.Form):
    """The patient as written on the member card; one answer for anything that does not match."""

    member_number = MemberNumberField(help_text=_("As printed on the member card."))
    last_name = forms.CharField(label=_("Patient's last name"), max_length=100)
    birth_date = forms.DateField(label=_("Patient's date of birth"), widget=DATE)

    def clean(self) -> dict[str, object]:
        data = super().clean()
        self.patient: tuple[Member, Beneficiary | None] | None = None
        if {"member_number", "last_name", "birth_date"} <= data.keys():
            self.patient = patient_find(
                member_number=data["member_number"], last_name=data["last_name"], birth_date=data["birth_date"]
            )
            if self.patient is None:
                raise forms.ValidationError(PATIENT_NOT_FOUND, code="patient")
        return data


class ProviderPlannedForm(PatientForm, PlannedStayForm):
    field_order = [
        "member_number",
        "last_name",
        "birth_date",
        "stay_kind",
        "admission_date",
        "expected_discharge",
        "planned_acts",
    ]


class ProviderEmergencyForm(PatientForm, EmergencyStayForm):
    field_order = [
        "member_number",
        "last_name",
        "birth_date",
        "stay_kind",
        "admission_date",
        "expected_discharge",
        "card_shown",
    ]


class InvoiceRowForm(CostRowForm):
    day = forms.DateField(label=_("Date (first day)"), widget=DATE)
    am_paid = forms.DecimalField(
        label=_("Paid by the Assurance Maladie (MR)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    field_order = ["day", "cost", "amount", "br", "am_paid", "quantity", "dptm"]
    NATIONAL_SCHEME_FIELDS = (*CostRowForm.NATIONAL_SCHEME_FIELDS, "am_paid")


InvoiceRowFormSet = forms.formset_factory(
    InvoiceRowForm, extra=7, min_num=1, validate_min=True, max_num=MAX_COST_ROWS, validate_max=True
)


def invoice_formset(data: object = None, *, plan: Plan, stay_kind: str) -> forms.BaseFormSet:
    return InvoiceRowFormSet(data, prefix="costs", form_kwargs={"plan": plan, "stay_kind": stay_kind})


def formset_invoice_costs(formset: forms.BaseFormSet, *, plan: Plan, stay_kind: str) -> list[tuple[date, Cost]] | None:
    rows = [(form.cleaned_data["day"], form.to_cost(plan, stay_kind)) for form in filled_rows(formset)]
    return None if any(cost is None for _day, cost in rows) else rows


class ExtensionForm(forms.Form):
    until = forms.DateField(label=_("Days asked until"), widget=DATE)
    report = forms.FileField(
        label=_("Medical report"),
        help_text=_("PDF, JPEG or PNG. Only the medical advisor reads it."),
    )


class InvoiceForm(forms.Form):
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=40)
    invoice = forms.FileField(label=_("The invoice"), help_text=_("PDF, JPEG or PNG."))
    report = forms.FileField(
        label=_("Medical report, if not sent yet"),
        required=False,
        help_text=_("Only the medical advisor reads it."),
    )
