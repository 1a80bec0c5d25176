from django import forms
from django.utils.translation import gettext_lazy

from mutua.contracts.models import Teletransmission
from mutua.teletransmission.models import ExceptionReason


class AmFileUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("AM statement file"),
        help_text=gettext_lazy(
            "Text file in the format described in the documentation (header 000, acts 255, trailer 990)."
        ),
    )


class ExceptionFilterForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"), choices=[("", gettext_lazy("all")), *ExceptionReason.choices], required=False
    )


class ExceptionRetryForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


class ExceptionAssignForm(forms.Form):
    member_number = forms.CharField(label=gettext_lazy("Member number"), max_length=20)
    rank = forms.IntegerField(
        label=gettext_lazy("Beneficiary rank"),
        min_value=0,
        max_value=99,
        initial=1,
        help_text=gettext_lazy("1 for the subscriber, 2 onwards for the beneficiaries (as on the member's file)."),
    )
    note = forms.CharField(label=gettext_lazy("How you identified the person"), max_length=500)


class ExceptionDismissForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Why this line is not paid"), max_length=500)


class TeletransmissionStatusForm(forms.Form):
    person = forms.RegexField(regex=r"^(m|[0-9]{1,10})$", widget=forms.HiddenInput)  # "m": the subscriber
    status = forms.ChoiceField(label=gettext_lazy("Teletransmission"), choices=Teletransmission.choices)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)
