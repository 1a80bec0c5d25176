"""The member's side of a request: for whom, and at which hospital."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.contracts.models import Beneficiary, Member
from mutua.guarantees.forms.stay import EmergencyStayForm, PlannedStayForm
from mutua.guarantees.selectors import providers_for_choice


def _people_choices(member: Member) -> list[tuple[str, str]]:
    people = [("", member.full_name)]
    people += [(str(b.pk), b.full_name) for b in member.beneficiaries.filter(removed_on__isnull=True)]
    return people


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
