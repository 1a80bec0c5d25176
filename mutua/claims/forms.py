from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mutua.benefits.models import RejectionReason
from mutua.benefits.rules import DOCTOR_FEES, with_section_labels
from mutua.claims.selectors import ATTRIBUTE_CHOICES
from mutua.contracts.forms import MultipleFileField

CURRENCIES = [
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "CAD",
    "JPY",
    "AUD",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CZK",
    "HUF",
    "RON",
    "BGN",
    "TRY",
    "CNY",
    "HKD",
    "SGD",
    "INR",
    "BRL",
    "MXN",
    "ZAR",
    "THB",
    "KRW",
    "ILS",
    "NZD",
    "PHP",
    "MYR",
    "IDR",
]


class ClaimStartForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the request"),
        max_length=100,
        help_text=_("For example “Dentist, March”: it helps you find it later."),
    )
    person = forms.ChoiceField(label=_("For whom?"), required=False)

    def __init__(self, *args: object, people: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].choices = people


class ClaimItemForm(forms.Form):
    benefit_code = forms.ChoiceField(label=_("Kind of care"))
    care_date = forms.DateField(label=_("Date of the care"), widget=forms.DateInput(attrs={"type": "date"}))
    provider = forms.CharField(label=_("Health professional or establishment"), max_length=200)
    amount = forms.DecimalField(label=_("Amount paid"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CURRENCIES], initial="EUR")
    mr = forms.DecimalField(
        label=_("Paid by the Assurance Maladie"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_(
            "From your Assurance Maladie statement (or your ameli account); 0 if it paid nothing. Not needed for "
            "care it does not cover, such as osteopathy. If the Assurance Maladie sends us your statements "
            "directly, you have nothing to claim for the care it covers."
        ),
    )
    br = forms.DecimalField(
        label=_("Reimbursement base (BR), if shown"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    other_paid = forms.DecimalField(
        label=_("Paid by another complementary insurer"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_(
            "If another complementary insurer (your spouse's, for example) reimbursed you first: the amount on its "
            "statement, attached with the other documents. We pay at most what remains."
        ),
    )
    quantity = forms.IntegerField(label=_("Number of sessions, days or items"), min_value=1, max_value=99, initial=1)
    doctor_fees = forms.ChoiceField(
        label=_("For a doctor or radiology: how does the doctor charge?"),
        required=False,
        choices=[("", "—"), *DOCTOR_FEES.items()],
        help_text=_("Written on the doctor's receipt or on ameli.fr's directory of health professionals."),
    )
    network = forms.BooleanField(label=_("The provider belongs to the partner network"), required=False)
    ald = forms.BooleanField(label=_("Care for a long-term illness (ALD)"), required=False)
    non_conventionne = forms.BooleanField(
        label=_("The provider is not conventionné with the Assurance Maladie"), required=False
    )
    outside_pathway = forms.BooleanField(
        label=_("Specialist seen without your GP's referral (outside the care pathway)"), required=False
    )
    basket = forms.ChoiceField(
        label=_("Basket (dental, optical, hearing)"),
        required=False,
        choices=[
            ("", "—"),
            ("100_sante", _("100 % Santé")),
            ("maitrise", _("controlled prices")),
            ("libre", _("free prices")),
        ],
    )
    lens_class = forms.ChoiceField(
        label=_("Lenses (glasses)"),
        required=False,
        choices=[
            ("", "—"),
            ("simple", _("single vision")),
            ("complex", _("complex")),
            ("very_complex", _("very complex")),
        ],
    )
    side = forms.ChoiceField(
        label=_("Side (eye or ear)"),
        required=False,
        choices=[("", "—"), ("left", _("left")), ("right", _("right"))],
    )
    documents = MultipleFileField(
        label=_("Supporting documents"), help_text=_("PDF, JPEG or PNG: at most 5 files of 10 MB each.")
    )

    FLAGS = ("network", "ald", "non_conventionne", "outside_pathway")
    # The field that shows a refusal of the service, by its code; others go above the form.
    FIELD_OF_ERROR = {
        "future": "care_date",
        "time_barred": "care_date",
        "not_covered": "care_date",
        "benefit": "benefit_code",
        "by_post": "benefit_code",
        "doctor_fees": "doctor_fees",
        "am_paid_required": "mr",
        "am_paid_too_high": "mr",
        "other_paid_too_high": "other_paid",
        "over_limit": "amount",
        "amount": "amount",
    }
    ATTRIBUTES = ("basket", "lens_class", "side")

    def __init__(self, *args: object, benefits: list[tuple[str, list[tuple[str, str]]]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["benefit_code"].choices = [("", "—"), *with_section_labels(benefits)]

    def service_arguments(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "benefit_code": data["benefit_code"],
            "care_date": data["care_date"],
            "provider": data["provider"],
            "amount": data["amount"],
            "currency": data["currency"],
            "br": data["br"],
            "mr": data["mr"],
            "other_paid": data["other_paid"] or Decimal("0.00"),
            "quantity": data["quantity"],
            "doctor_fees": data["doctor_fees"] or None,
            "flags": [flag for flag in self.FLAGS if data[flag]],
            "attributes": {name: data[name] for name in self.ATTRIBUTES if data[name]},
            "uploads": data["documents"],
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Show each of the service's refusals beside the field it is about."""
        if hasattr(error, "error_dict"):  # a model's own checks, by its fields: said above the form
            self.add_error(None, error.messages)
            return
        for problem in error.error_list:
            self.add_error(self.FIELD_OF_ERROR.get(problem.code or ""), problem)


class ClaimSubmitForm(forms.Form):
    terms = forms.BooleanField(
        label=_("I accept the terms of the online claims service and certify that the documents are genuine."),
        error_messages={"required": _("Accept the terms of the online claims service to send your claim.")},
    )


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

    def __init__(self, *args: object, attribute_names: tuple[str, ...] | list[str] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ATTRIBUTE_CHOICES:  # only the details this care has or needs
            if name not in attribute_names:
                del self.fields[name]

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
            adjust = {**{field: data[field] for field in self.FIGURES}, "attributes": attributes}
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
