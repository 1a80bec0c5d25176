"""Forms of the hospital guarantees, shared by the member's portal and the hospitals' space.

They only check what was typed; the rules (dates of a planned stay, cover, hospital on file…)
are the services', whose translated messages the pages show as they come.
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from mutua.accounts.forms import MemberNumberField
from mutua.contracts.models import Beneficiary, Member
from mutua.guarantees.models import Guarantee, Negotiation
from mutua.guarantees.selectors import patient_find, providers_for_choice
from mutua.guarantees.services import MAX_STAY_DAYS, Cost
from mutua.guarantees.stays import STAY_COSTS, StayCost, stay_costs

DATE = forms.DateInput(attrs={"type": "date"})  # ISO values in every language: mutua.core.formats
MAX_COST_ROWS = 20
PATIENT_NOT_FOUND = _(
    "No patient matches this member number, last name and date of birth. Check them on the member card."
)


def _costs_by_key(stay_kind: str) -> dict[str, StayCost]:
    return {cost.key: cost for cost in stay_costs(stay_kind)}


def _all_cost_choices() -> list[tuple[str, str]]:
    choices: dict[str, object] = {}
    for costs in STAY_COSTS.values():
        for cost in costs:
            choices.setdefault(cost.key, cost.label)
    return [("", "—"), *choices.items()]


def _stay_cost_choices(stay_kind: str) -> list[tuple[str, str]]:
    return [("", "—"), *((key, cost.label) for key, cost in _costs_by_key(stay_kind).items())]


def _people_choices(member: Member) -> list[tuple[str, str]]:
    people = [("", member.full_name)]
    people += [(str(b.pk), b.full_name) for b in member.beneficiaries.filter(removed_on__isnull=True)]
    return people


# --- the stay ---------------------------------------------------------------------------------


class _StayForm(forms.Form):
    stay_kind = forms.ChoiceField(label=_("Kind of stay"), choices=Guarantee.StayKind.choices)
    admission_date = forms.DateField(label=_("Admission date"), widget=DATE)


class PlannedStayForm(_StayForm):
    expected_discharge = forms.DateField(
        label=_("Expected discharge date"),
        widget=DATE,
        error_messages={"required": _("Give the expected discharge date.")},
    )
    planned_acts = forms.CharField(
        label=_("Planned acts"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("As written by the hospital or the surgeon, for example “knee replacement”."),
    )


class EmergencyStayForm(_StayForm):
    expected_discharge = forms.DateField(label=_("Discharge date, if known"), required=False, widget=DATE)
    card_shown = forms.TypedChoiceField(
        label=_("Was the member card shown at admission?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_(
            "With the card, the first 2 days are guaranteed with no prior agreement. Without it, or beyond, "
            "the hospital gets a temporary letter of guarantee for the first 4 days."
        ),
        error_messages={"required": _("Say whether the member card was shown.")},
    )


# --- who and where: the member's side ---------------------------------------------------------


class _MemberSideForm(forms.Form):
    person = forms.ChoiceField(label=_("For whom?"), required=False)
    provider = forms.ModelChoiceField(
        label=_("Hospital or clinic"),
        queryset=providers_for_choice(),
        required=False,
        empty_label=_("Another hospital: give its name and telephone below"),
    )
    hospital_name = forms.CharField(label=_("Name of the hospital"), max_length=200, required=False)
    hospital_phone = forms.CharField(label=_("Its telephone number"), max_length=30, required=False)

    def __init__(self, *args: object, member: Member, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.member = member
        self.fields["person"].choices = _people_choices(member)
        self.fields["provider"].queryset = providers_for_choice()

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if not data.get("provider") and "hospital_name" in data and "hospital_phone" in data:
            if not data["hospital_name"].strip():
                self.add_error("hospital_name", _("Choose the hospital in the list, or give its name."))
            if not data["hospital_phone"].strip():
                self.add_error("hospital_phone", _("Give the hospital's telephone number."))
        return data

    def beneficiary(self) -> Beneficiary | None:
        person = self.cleaned_data["person"]
        return self.member.beneficiaries.filter(pk=person).first() if person else None


class MemberPlannedForm(_MemberSideForm, PlannedStayForm):
    field_order = [
        "person",
        "provider",
        "hospital_name",
        "hospital_phone",
        "stay_kind",
        "admission_date",
        "expected_discharge",
        "planned_acts",
    ]


class MemberEmergencyForm(_MemberSideForm, EmergencyStayForm):
    notifier_name = forms.CharField(
        label=_("Your name, if you notify on the patient's behalf"), max_length=100, required=False
    )
    notifier_phone = forms.CharField(label=_("Your telephone number"), max_length=30, required=False)
    field_order = [
        "person",
        "provider",
        "hospital_name",
        "hospital_phone",
        "stay_kind",
        "admission_date",
        "expected_discharge",
        "card_shown",
        "notifier_name",
        "notifier_phone",
    ]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("notifier_name", "").strip() and not data.get("notifier_phone", "").strip():
            self.add_error("notifier_phone", _("Give a telephone number where we can call you back."))
        return data


# --- who: the hospital's side -----------------------------------------------------------------


class _PatientForm(forms.Form):
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


class ProviderPlannedForm(_PatientForm, PlannedStayForm):
    field_order = [
        "member_number",
        "last_name",
        "birth_date",
        "stay_kind",
        "admission_date",
        "expected_discharge",
        "planned_acts",
    ]


class ProviderEmergencyForm(_PatientForm, EmergencyStayForm):
    field_order = [
        "member_number",
        "last_name",
        "birth_date",
        "stay_kind",
        "admission_date",
        "expected_discharge",
        "card_shown",
    ]


# --- the costs --------------------------------------------------------------------------------


class CostRowForm(forms.Form):
    """One cost of the estimate; a row left empty is ignored."""

    cost = forms.ChoiceField(label=_("Cost"), choices=lazy(_all_cost_choices, list)())
    amount = forms.DecimalField(label=_("Amount (€)"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    br = forms.DecimalField(
        label=_("Reimbursement base (BR), if known"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    quantity = forms.IntegerField(
        label=_("Days or quantity"),
        required=False,
        min_value=1,
        max_value=MAX_STAY_DAYS,
        help_text=_("Number of days for a per-day cost (room, daily charge); 1 if empty."),
    )
    dptm = forms.BooleanField(
        label=_("Doctor with the controlled-fees option (OPTAM/DPTM)"),
        required=False,
        help_text=_("For fees only."),
    )

    def __init__(self, *args: object, stay_kind: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if stay_kind:
            self.fields["cost"].choices = _stay_cost_choices(stay_kind)

    def to_cost(self, stay_kind: str) -> Cost | None:
        """The cost for this kind of stay; None (with the error on the row) if the stay has no such cost."""
        data = self.cleaned_data
        known = _costs_by_key(stay_kind).get(data["cost"])
        if known is None:
            self.add_error(
                "cost",
                _("This cost is not part of a stay of this kind (%(stay)s): choose another one.")
                % {"stay": Guarantee.StayKind(stay_kind).label},
            )
            return None
        return Cost(
            benefit_code=known.benefit_code,
            amount=data["amount"],
            br=data["br"],
            quantity=data["quantity"] or 1,
            dptm=data["dptm"] and known.doctor,
            am_paid=data.get("am_paid"),
        )


class InvoiceRowForm(CostRowForm):
    day = forms.DateField(label=_("Date (first day)"), widget=DATE)
    am_paid = forms.DecimalField(
        label=_("Paid by the Assurance Maladie (MR)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    field_order = ["day", "cost", "amount", "br", "am_paid", "quantity", "dptm"]


CostFormSet = forms.formset_factory(CostRowForm, extra=6, max_num=MAX_COST_ROWS, validate_max=True)
InvoiceRowFormSet = forms.formset_factory(
    InvoiceRowForm, extra=7, min_num=1, validate_min=True, max_num=MAX_COST_ROWS, validate_max=True
)


def cost_formset(data: object = None, *, stay_kind: str | None = None) -> forms.BaseFormSet:
    return CostFormSet(data, prefix="costs", form_kwargs={"stay_kind": stay_kind})


def invoice_formset(data: object = None, *, stay_kind: str) -> forms.BaseFormSet:
    return InvoiceRowFormSet(data, prefix="costs", form_kwargs={"stay_kind": stay_kind})


def _filled(formset: forms.BaseFormSet) -> list[forms.Form]:
    return [form for form in formset.forms if form.has_changed() and form.cleaned_data]


def formset_costs(formset: forms.BaseFormSet, *, stay_kind: str) -> list[Cost] | None:
    """The costs typed, rows left empty ignored; None if a row names a cost the stay does not have."""
    costs = [form.to_cost(stay_kind) for form in _filled(formset)]
    return None if None in costs else costs


def formset_invoice_costs(formset: forms.BaseFormSet, *, stay_kind: str) -> list[tuple[date, Cost]] | None:
    rows = [(form.cleaned_data["day"], form.to_cost(stay_kind)) for form in _filled(formset)]
    return None if any(cost is None for _day, cost in rows) else rows


# --- after the guarantee ----------------------------------------------------------------------


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


# --- the back office ---------------------------------------------------------------------------
# Their "required" messages are the services' own: a handler reads the same sentence whichever refuses.


class NegotiationForm(forms.Form):
    contact = forms.CharField(
        label=_("Person contacted and how"),
        max_length=200,
        error_messages={"required": _("Say whom you contacted, how, and the outcome.")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "—"), *Negotiation.Outcome.choices],
        error_messages={"required": _("Say whom you contacted, how, and the outcome.")},
    )
    terms = forms.CharField(label=_("Terms agreed"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AttachForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Hospital on file"),
        queryset=providers_for_choice(),
        error_messages={"required": _("Choose the hospital in the list, or register it below.")},
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, for the member and the hospital"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Explain the refusal to the member and the hospital.")},
    )


class ExtensionDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Extend the guarantee")), ("0", _("Refuse the extension"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    until = forms.DateField(label=_("Extended until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    answer = forms.CharField(
        label=_("Answer to the hospital (no medical details)"), widget=forms.Textarea(attrs={"rows": 3})
    )
