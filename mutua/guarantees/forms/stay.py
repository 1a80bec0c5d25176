"""The parts of a guarantee request every side types the same way: the stay and its costs.

Forms only check what was typed; the rules (dates of a planned stay, cover, hospital on file…)
are the services', whose translated messages the pages show as they come.
"""

from decimal import Decimal

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from mutua.guarantees.models import Guarantee
from mutua.guarantees.stays import MAX_STAY_DAYS, STAY_COSTS, Cost, StayCost, stay_costs

DATE = forms.DateInput(attrs={"type": "date"})  # ISO values in every language: mutua.core.formats
MAX_COST_ROWS = 20


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
        help_text=_(
            "With the card, the first 2 days are guaranteed with no prior agreement. Without it, or beyond, "
            "the hospital gets a temporary letter of guarantee for the first 4 days."
        ),
        error_messages={"required": _("Say whether the member card was shown.")},
    )


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


CostFormSet = forms.formset_factory(CostRowForm, extra=6, max_num=MAX_COST_ROWS, validate_max=True)


def cost_formset(data: object = None, *, stay_kind: str | None = None) -> forms.BaseFormSet:
    return CostFormSet(data, prefix="costs", form_kwargs={"stay_kind": stay_kind})


def filled_rows(formset: forms.BaseFormSet) -> list[forms.Form]:
    """The rows typed in; rows left empty are ignored."""
    return [form for form in formset.forms if form.has_changed() and form.cleaned_data]


def formset_costs(formset: forms.BaseFormSet, *, stay_kind: str) -> list[Cost] | None:
    """The costs typed, rows left empty ignored; None if a row names a cost the stay does not have."""
    costs = [form.to_cost(stay_kind) for form in filled_rows(formset)]
    return None if None in costs else costs
