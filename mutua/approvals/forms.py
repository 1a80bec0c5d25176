"""The request for prior approval, as the member and a hospital fill it in, and the medical advisor's
decision. The rules are the services'; the forms only ask."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.accounts.forms import MemberNumberField
from mutua.approvals.models import PriorApproval
from mutua.core.countries import country_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The fields the request service takes as they are, from the member's form and the hospital's alike.
REQUEST_FIELDS = (
    "section",
    "care_details",
    "country",
    "facility",
    "planned_from",
    "planned_to",
    "reason",
    "medical_report",
)


class ApprovalRequestForm(forms.Form):
    person = forms.ChoiceField(label=_("For whom?"))
    section = forms.ChoiceField(label=_("Which care?"))
    care_details = forms.CharField(
        label=_("The care planned, in a few words"),
        max_length=300,
        help_text=_("For example “knee surgery” or “chemotherapy, 6 sessions”."),
    )
    country = forms.ChoiceField(label=_("Country where the care will be given"))
    facility = forms.CharField(label=_("Hospital or practitioner"), max_length=200)
    planned_from = forms.DateField(label=_("Planned from"), widget=DATE)
    planned_to = forms.DateField(label=_("Planned until"), widget=DATE)
    reason = forms.ChoiceField(label=_("Why there?"), choices=PriorApproval.Reason.choices, widget=forms.RadioSelect)
    medical_report = forms.FileField(
        label=_("Medical report"),
        help_text=_(
            "From the doctor who recommends the care: PDF, JPEG or PNG, 10 MB at most. "
            "Only the medical advisor reads it."
        ),
    )

    def __init__(
        self, *args: object, people: list[tuple[str, str]], sections: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].choices = people
        self.fields["section"].choices = sections
        self.fields["country"].choices = [("", "—"), *country_choices()]
        if len(people) == 1:
            self.fields["person"].widget = forms.HiddenInput()
            self.fields["person"].initial = people[0][0]

    def request_fields(self) -> dict[str, object]:
        """What the service takes of the request, whoever filled it in (member or hospital)."""
        names = (
            "section",
            "care_details",
            "country",
            "facility",
            "planned_from",
            "planned_to",
            "reason",
            "medical_report",
        )
        return {name: self.cleaned_data[name] for name in names}

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("planned_from"), data.get("planned_to")
        if start and end and end < start:
            self.add_error("planned_to", _("The end cannot be before the start."))
        return data


class HospitalApprovalForm(ApprovalRequestForm):
    """A hospital names the patient as written on the member card (member number, last name, birth date)."""

    member_number = MemberNumberField(help_text=_("As printed on the member card."))
    last_name = forms.CharField(label=_("Patient's last name"), max_length=100)
    birth_date = forms.DateField(label=_("Patient's date of birth"), widget=DATE)

    field_order = ["member_number", "last_name", "birth_date"]

    def __init__(self, *args: object, sections: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, people=[("", "")], sections=sections, **kwargs)
        del self.fields["person"]


class ApprovalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE, required=False)
    valid_to = forms.DateField(label=_("Valid until"), widget=DATE, required=False)
    section = forms.ChoiceField(label=_("Approved care"), required=False)
    country = forms.ChoiceField(label=_("Approved country"), required=False)
    refusal_reason = forms.CharField(
        label=_("Reason for the refusal (sent to the member)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: object, sections: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["section"].choices = sections
        self.fields["country"].choices = country_choices()
