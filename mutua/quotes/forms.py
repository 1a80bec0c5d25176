from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutua.benefits.rules import with_section_labels
from mutua.claims.item_form import ClaimItemForm
from mutua.quotes.estimates import LineInput
from mutua.quotes.models import Quote
from mutua.quotes.services import MAX_LINES

LINE_FLAGS = ("network", "dptm", "ald")
LINE_ATTRIBUTES = ClaimItemForm.ATTRIBUTES  # basket, lens_class, side: the same words as for a claim


def _line_input(data: dict[str, object], *, label: str = "", tooth: str = "") -> LineInput:
    return LineInput(
        benefit_code=data["benefit_code"],
        amount=data["amount"],
        br=data["br"],
        quantity=data["quantity"],
        flags=tuple(flag for flag in LINE_FLAGS if data[flag]),
        attributes={name: data[name] for name in LINE_ATTRIBUTES if data[name]},
        label=label,
        tooth=tooth,
    )


class QuoteForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the quote"),
        max_length=100,
        help_text=_("For example “Glasses, optician A”: it helps you compare."),
    )
    person = forms.ChoiceField(label=_("For whom?"), required=False)
    kind = forms.ChoiceField(label=_("Kind of quote"), choices=Quote.Kind.choices)
    provider = forms.CharField(label=_("Health professional or shop"), max_length=200)
    planned_date = forms.DateField(label=_("Planned date of the care"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(
        label=_("The quote"), help_text=_("PDF, JPEG or PNG, at most 10 MB: the amounts read on it are proposed.")
    )

    def __init__(self, *args: object, people: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].choices = people


class QuoteLineForm(forms.Form):
    benefit_code = forms.ChoiceField(label=_("Act or equipment"))
    label = forms.CharField(
        label=_("As written on the quote"), max_length=200, required=False, help_text=_("Optional.")
    )
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    br = forms.DecimalField(
        label=_("Reimbursement base (BR), if printed"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=99, initial=1)
    basket = ClaimItemForm.base_fields["basket"]
    lens_class = ClaimItemForm.base_fields["lens_class"]
    side = ClaimItemForm.base_fields["side"]
    tooth = forms.CharField(
        label=_("Tooth (dental)"), max_length=2, required=False, help_text=_("Its number, from 11 to 48.")
    )
    network = forms.BooleanField(label=_("The provider belongs to the partner network"), required=False)
    dptm = forms.BooleanField(label=_("The doctor has signed the controlled-fees option (OPTAM/DPTM)"), required=False)
    ald = forms.BooleanField(label=_("Care for a long-term illness (ALD)"), required=False)

    def __init__(self, *args: object, benefits: list[tuple[str, list[tuple[str, str]]]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["benefit_code"].choices = [("", "—"), *with_section_labels(benefits)]

    def line_input(self) -> LineInput:
        data = self.cleaned_data
        return _line_input(data, label=data["label"], tooth=data["tooth"].strip())


# One line at least; two more empty ones to fill without JavaScript, up to the maximum.
QuoteLineFormSet = forms.formset_factory(
    QuoteLineForm, extra=2, min_num=1, max_num=MAX_LINES, validate_min=True, validate_max=True
)


def line_formset(
    data: object, *, benefits: list[tuple[str, list[tuple[str, str]]]], initial: list[dict[str, object]] | None = None
) -> forms.BaseFormSet:
    return QuoteLineFormSet(data, prefix="lines", initial=initial, form_kwargs={"benefits": benefits})


def formset_lines(formset: forms.BaseFormSet) -> list[LineInput]:
    return [form.line_input() for form in formset.forms if form.has_changed() and form.cleaned_data]


class ReviewRequestForm(forms.Form):
    question = forms.CharField(
        label=_("Your question (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuoteReviewForm(forms.Form):
    advice = forms.CharField(label=_("Advice for the member"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: object, lines: list[object], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.line_fields = []
        for line in lines:
            amount, br = f"line{line.pk}_amount", f"line{line.pk}_br"
            self.fields[amount] = forms.DecimalField(
                label=_("Corrected amount"), required=False, min_value=Decimal("0.01"), max_digits=10, decimal_places=2
            )
            self.fields[br] = forms.DecimalField(
                label=_("Corrected BR"), required=False, min_value=0, max_digits=10, decimal_places=2
            )
            self.line_fields.append((line, self[amount], self[br]))

    def corrections(self) -> dict[int, dict[str, Decimal | None]]:
        data = self.cleaned_data
        return {
            line.pk: {"amount": data[f"line{line.pk}_amount"], "br": data[f"line{line.pk}_br"]}
            for line, _amount, _br in self.line_fields
        }


class SimulatorForm(forms.Form):
    plan = forms.ChoiceField(label=_("Plan"))
    tiers = forms.MultipleChoiceField(
        label=_("Tiers of your contract"), widget=forms.CheckboxSelectMultiple, required=False
    )
    benefit_code = forms.ChoiceField(label=_("Care or equipment"))
    age = forms.IntegerField(
        label=_("Age of the person on the date of the care"), min_value=0, max_value=120, initial=40
    )
    on = forms.DateField(label=_("Date of the care"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    br = forms.DecimalField(
        label=_("Reimbursement base (BR), if known"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=99, initial=1)
    basket = ClaimItemForm.base_fields["basket"]
    lens_class = ClaimItemForm.base_fields["lens_class"]
    side = ClaimItemForm.base_fields["side"]
    network = QuoteLineForm.base_fields["network"]
    dptm = QuoteLineForm.base_fields["dptm"]
    ald = QuoteLineForm.base_fields["ald"]

    def __init__(
        self,
        *args: object,
        plans: list[tuple[str, str]],
        tiers: list[tuple[str, str]],
        benefits: list[tuple[str, list[tuple[str, str]]]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["plan"].choices = plans
        self.fields["tiers"].choices = tiers
        self.fields["tiers"].initial = [code for code, _label in tiers]
        self.fields["benefit_code"].choices = [("", "—"), *with_section_labels(benefits)]
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self) -> date:
        on, today = self.cleaned_data["on"], timezone.localdate()
        if not today.replace(year=today.year - 10, day=1) <= on <= today.replace(year=today.year + 5, day=1):
            raise forms.ValidationError(_("Choose a date within ten years before and five years after today."))
        return on

    def clean_tiers(self) -> list[str]:
        if not self.cleaned_data["tiers"]:
            raise forms.ValidationError(_("Choose at least one tier."))
        return self.cleaned_data["tiers"]

    def line_input(self) -> LineInput:
        return _line_input(self.cleaned_data)
