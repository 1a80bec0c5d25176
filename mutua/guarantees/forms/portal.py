"""The member's side of a request: for whom, and at which hospital."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.contracts.models import Beneficiary, Member
from mutua.guarantees.forms.stay import EmergencyStayForm, HospitalChoiceForm, NotifierForm, PlannedStayForm


def _people_choices(member: Member) -> list[tuple[str, str]]:
    people = [("", member.full_name)]
    people += [(str(b.pk), b.full_name) for b in member.beneficiaries.filter(removed_on__isnull=True)]
    return people


class _MemberSideForm(HospitalChoiceForm):
    person = forms.ChoiceField(label=_("For whom?"), required=False)

    def __init__(self, *args: object, member: Member, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.member = member
        self.fields["person"].choices = _people_choices(member)

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


class MemberEmergencyForm(NotifierForm, _MemberSideForm, EmergencyStayForm):
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
