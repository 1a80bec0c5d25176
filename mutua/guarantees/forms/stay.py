"""The parts of a guarantee request every side types the same way: the stay and its costs.

Forms only check what was typed; the rules (dates of a planned stay, cover, hospital on file…)
are the services', whose translated messages the pages show as they come.
"""

from decimal import Decimal

from babel.numbers import get_currency_symbol
from django import forms
from django.utils.functional import lazy
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from engine import list_plans
from engine.plan import Plan
from engine.plan_sections import StayCost
from mutua.guarantees.models import Guarantee
from mutua.guarantees.selectors import providers_for_choice
from mutua.guarantees.stays import MAX_STAY_DAYS, Cost, cost_label, stay_costs

DATE = forms.DateInput(attrs={"type": "date"})  # ISO values in every language: mutua.core.formats
MAX_COST_ROWS = 20


def _costs_by_key(plan: Plan, stay_kind: str) -> dict[str, StayCost]:
    return {cost.key: cost for cost in stay_costs(plan, stay_kind)}


def _cost_choices(plans: list[Plan], stay_kind: str | None = None) -> list[tuple[str, str]]:
    """The costs to choose from: one kind of stay of one plan, or every cost (by key) of the plans given,
    while the patient's plan is not known yet (a hospital names the patient on the same page)."""
    choices: dict[str, str] = {}
    for plan in plans:
        kinds = [stay_kind] if stay_kind else list(plan.hospital.stays)
        for kind in kinds:
            for cost in stay_costs(plan, kind):
                choices.setdefault(cost.key, cost_label(cost))
    return [("", "—"), *choices.items()]


def _hospital_plans() -> list[Plan]:
    return [plan for plan in list_plans() if plan.hospital is not None]


def _currency_symbol(currency: str) -> str:
    return get_currency_symbol(currency, locale=to_locale(get_language() or "en"))


class StayForm(forms.Form):
    stay_kind = forms.ChoiceField(label=_("Kind of stay"), choices=Guarantee.StayKind.choices)
    admission_date = forms.DateField(label=_("Admission date"), widget=DATE)


class PlannedStayForm(StayForm):
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


class EmergencyStayForm(StayForm):
    expected_discharge = forms.DateField(label=_("Discharge date, if known"), required=False, widget=DATE)
    card_shown = forms.TypedChoiceField(
        label=_("Was the member card shown at admission?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_("Shown at admission, the card alone guarantees the first days of the stay."),
        error_messages={"required": _("Say whether the member card was shown.")},
    )


class HospitalChoiceForm(forms.Form):
    """The hospital: one on file, or the name and telephone number of another one."""

    provider = forms.ModelChoiceField(
        label=_("Hospital or clinic"),
        queryset=providers_for_choice(),
        required=False,
        empty_label=_("Another hospital: give its name and telephone below"),
    )
    hospital_name = forms.CharField(label=_("Name of the hospital"), max_length=200, required=False)
    hospital_phone = forms.CharField(label=_("Its telephone number"), max_length=30, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["provider"].queryset = providers_for_choice()

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if not data.get("provider") and "hospital_name" in data and "hospital_phone" in data:
            if not data["hospital_name"].strip():
                self.add_error("hospital_name", _("Choose the hospital in the list, or give its name."))
            if not data["hospital_phone"].strip():
                self.add_error("hospital_phone", _("Give the hospital's telephone number."))
        return data


class NotifierForm(forms.Form):
    """Someone who notifies an emergency on the patient's behalf, and how to call them back."""

    notifier_name = forms.CharField(
        label=_("Your name, if you notify on the patient's behalf"), max_length=100, required=False
    )
    notifier_phone = forms.CharField(label=_("Your telephone number"), max_length=30, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("notifier_name", "").strip() and not data.get("notifier_phone", "").strip():
            self.add_error("notifier_phone", _("Give a telephone number where we can call you back."))
        return data


class CostRowForm(forms.Form):
    """One cost of the estimate; a row left empty is ignored."""

    cost = forms.ChoiceField(label=_("Cost"), choices=lazy(lambda: _cost_choices(_hospital_plans()), list)())
    amount = forms.DecimalField(
        label=_("Amount, in the plan's currency"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2
    )
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

    # What only a plan paid after the French national scheme asks (BR, MR, OPTAM/DPTM doctors).
    NATIONAL_SCHEME_FIELDS = ("br", "dptm")

    def __init__(self, *args: object, plan: Plan | None = None, stay_kind: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if plan is None:
            return
        self.fields["cost"].choices = _cost_choices([plan], stay_kind)
        self.fields["amount"].label = _("Amount (%(currency)s)") % {"currency": _currency_symbol(plan.currency)}
        if not plan.has_national_scheme:
            for name in self.NATIONAL_SCHEME_FIELDS:
                del self.fields[name]

    def to_cost(self, plan: Plan, stay_kind: str) -> Cost | None:
        """The cost for this kind of stay; None (with the error on the row) if the stay has no such cost."""
        data = self.cleaned_data
        known = _costs_by_key(plan, stay_kind).get(data["cost"])
        if known is None:
            self.add_error(
                "cost",
                _("This cost is not part of a stay of this kind (%(stay)s): choose another one.")
                % {"stay": Guarantee.StayKind(stay_kind).label},
            )
            return None
        return Cost(
            benefit_code=known.benefit,
            amount=data["amount"],
            br=data.get("br"),
            quantity=data["quantity"] or 1,
            dptm=bool(data.get("dptm")) and known.doctor,
            am_paid=data.get("am_paid"),
        )


CostFormSet = forms.formset_factory(CostRowForm, extra=6, max_num=MAX_COST_ROWS, validate_max=True)


def cost_formset(data: object = None, *, plan: Plan | None = None, stay_kind: str | None = None) -> forms.BaseFormSet:
    """The estimate's rows: the plan's costs when the patient's plan is known, every plan's otherwise."""
    return CostFormSet(data, prefix="costs", form_kwargs={"plan": plan, "stay_kind": stay_kind})


def filled_rows(formset: forms.BaseFormSet) -> list[forms.Form]:
    """The rows typed in; rows left empty are ignored."""
    return [form for form in formset.forms if form.has_changed() and form.cleaned_data]


def formset_costs(formset: forms.BaseFormSet, *, plan: Plan, stay_kind: str) -> list[Cost] | None:
    """The costs typed, rows left empty ignored; None if a row names a cost the stay does not have."""
    costs = [form.to_cost(plan, stay_kind) for form in filled_rows(formset)]
    return None if None in costs else costs
