"""The management unit's and the medical advisor's answers to a request.

Their "required" messages are the services' own: a handler reads the same sentence whichever refuses.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.guarantees.forms.hospital import PatientForm
from mutua.guarantees.forms.stay import EmergencyStayForm, HospitalChoiceForm, NotifierForm
from mutua.guarantees.models import Negotiation
from mutua.guarantees.selectors import providers_for_choice


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


class PhoneEmergencyForm(PatientForm, HospitalChoiceForm, NotifierForm, EmergencyStayForm):
    """An emergency admission told by telephone (the member, someone for them, or the hospital), keyed in
    by a handler: the same facts as the member's form, the patient found from the member card."""

    field_order = [
        "member_number",
        "last_name",
        "birth_date",
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

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["notifier_name"].label = _("Caller's name, if not the patient")
        self.fields["notifier_phone"].label = _("Caller's telephone number")
