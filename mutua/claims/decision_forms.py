"""The handler's form on a claim's page: one small decision per waiting item."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mutua.benefits.models import RejectionReason
from mutua.claims.selectors import ATTRIBUTE_CHOICES


class ItemDecisionForm(forms.Form):
    """A handler's decision on one waiting item: accept at the rules' amounts, accept with corrected
    figures (the rules compute again from them: an amount is never typed in), or refuse with a reason."""

    ACCEPT, CORRECT, REJECT = "accept", "correct", "reject"
    FIGURES = ("amount", "br", "mr", "quantity")
    # The field that shows a refusal of the service, by its code; others go above the form.
    FIELD_OF_ERROR = {
        "reason": "reason",
        "text": "text",
        "justification": "text",
        "over_guarantee": "text",
        "am_paid_required": "mr",
        "amounts": "amount",
        "rate_required": "rate",
        "rate": "rate",
        "rate_source": "rate_source",
    }

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ACCEPT, _("Accept at the proposed amounts")),
            (CORRECT, _("Accept with corrected figures")),
            (REJECT, _("Refuse")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision: accept, accept with corrected figures, or refuse.")},
    )
    amount = forms.DecimalField(
        label=_("Amount paid"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("Enter an amount above zero.")},
    )
    br = forms.DecimalField(
        label=_("Reimbursement base (BR)"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        error_messages={"min_value": _("Enter zero or a positive amount.")},
    )
    mr = forms.DecimalField(
        label=_("Paid by the Assurance Maladie"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        error_messages={"min_value": _("Enter zero or a positive amount.")},
    )
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=1, max_value=99)
    basket = forms.ChoiceField(label=_("Basket"), required=False, choices=[("", "—"), *ATTRIBUTE_CHOICES["basket"]])
    lens_class = forms.ChoiceField(
        label=_("Lenses"), required=False, choices=[("", "—"), *ATTRIBUTE_CHOICES["lens_class"]]
    )
    side = forms.ChoiceField(label=_("Side"), required=False, choices=[("", "—"), *ATTRIBUTE_CHOICES["side"]])
    # For a bill in another currency than the plan's: the rate of the care date, when the ECB gives none.
    rate = forms.DecimalField(
        required=False,
        max_digits=24,
        decimal_places=12,
        min_value=Decimal("0.000000000001"),
        error_messages={"min_value": _("Enter a rate above zero.")},
    )
    rate_source = forms.CharField(
        label=_("Source of the rate"),
        required=False,
        max_length=120,
        help_text=_("For example: Central Bank of Kenya, mean rate of the day of the care."),
    )
    reason = forms.ChoiceField(
        label=_("Reason for the refusal"),
        required=False,
        choices=[("", "—")] + [choice for choice in RejectionReason.choices if choice[0] != RejectionReason.SUSPENDED],
    )
    text = forms.CharField(
        label=_("Explanation for the member"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Accepting care more than two years old: the exception that applies, kept in the history."),
    )

    def __init__(
        self,
        *args: object,
        attribute_names: tuple[str, ...] | list[str] = (),
        currencies: tuple[str, str] | None = None,
        national_scheme: bool = True,
        **kwargs: object,
    ) -> None:
        """``currencies``: (paid in, the plan's) for a bill in another currency; the rate is then asked.
        ``national_scheme``: false for a plan no scheme pays before (no base, nothing paid by the AM)."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ATTRIBUTE_CHOICES:  # only the details this care has or needs
            if name not in attribute_names:
                del self.fields[name]
        if not national_scheme:
            del self.fields["br"], self.fields["mr"]
        if currencies is None:
            del self.fields["rate"], self.fields["rate_source"]
        else:
            self.fields["rate"].label = _("Exchange rate: 1 %(paid)s in %(plan)s") % {
                "paid": currencies[0],
                "plan": currencies[1],
            }

    def rate_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("rate", "rate_source") if name in self.fields]

    def figure_fields(self) -> list[forms.BoundField]:
        """The figures and details a handler may correct, shown together."""
        return [self[name] for name in (*self.FIGURES, *ATTRIBUTE_CHOICES) if name in self.fields]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("decision") == self.REJECT and not data.get("reason"):
            self.add_error("reason", _("Choose the reason for the refusal."))
        return data

    def service_arguments(self) -> dict[str, object]:
        data = self.cleaned_data
        decision = data["decision"]
        adjust = None
        if decision == self.CORRECT:
            attributes = {name: data[name] for name in ATTRIBUTE_CHOICES if name in self.fields}
            adjust = {**{field: data.get(field) for field in self.FIGURES}, "attributes": attributes}
        if decision != self.REJECT and data.get("rate") is not None:
            adjust = (adjust or {}) | {"rate": data["rate"], "rate_source": data.get("rate_source", "")}
        return {
            "accept": decision != self.REJECT,
            "reason": RejectionReason(data["reason"]) if decision == self.REJECT else None,
            "text": data["text"],
            "adjust": adjust,
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Each of the service's refusals beside the field it is about."""
        for problem in error.error_list:
            self.add_error(self.FIELD_OF_ERROR.get(problem.code or ""), problem)
