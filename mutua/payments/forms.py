from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

RETURNS_MAX_BYTES = 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"


class RunCreateForm(forms.Form):
    execution_date = forms.DateField(label=gettext_lazy("Execution date"), widget=DateInput)
    currency = forms.ChoiceField(
        label=gettext_lazy("Currency"),
        required=False,  # left out: the euro, the SEPA run
        help_text=gettext_lazy("A run pays one currency: one file for the bank each (SEPA for the euro)."),
    )

    def __init__(self, *args: object, currencies: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["currency"].choices = [(code, code) for code in currencies]
        self.fields["currency"].initial = currencies[0]

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"] or "EUR"

    def clean_execution_date(self):
        day = self.cleaned_data["execution_date"]
        if day < timezone.localdate():
            raise ValidationError(gettext_lazy("The execution date cannot be in the past."), code="past")
        return day


class RunSettleForm(forms.Form):
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"), widget=DateInput, help_text=gettext_lazy("The day the bank executed the file.")
    )

    def clean_paid_on(self):
        day = self.cleaned_data["paid_on"]
        if day > timezone.localdate():
            raise ValidationError(gettext_lazy("The payment date cannot be in the future."), code="future")
        return day


class RunCancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for cancelling"), max_length=200)


class BankReturnsForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bank file (pain.002, camt.054 or camt.053)"),
        widget=forms.FileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > RETURNS_MAX_BYTES:
            raise ValidationError(gettext_lazy("The file is too large (1 MB at most)."), code="size")
        return upload
