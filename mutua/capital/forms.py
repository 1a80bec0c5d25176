"""Forms of the capital pages: they read and check what is typed; the services decide."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mutua.capital.models import CapitalClaim, ClaimDocument, Relationship


def _date(label: str, **kwargs: object) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


class DesigneeForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=140)
    # An empty first choice: a row left blank stays unchanged, so it is skipped, not refused.
    relationship = forms.ChoiceField(
        label=_("Relationship to you"),
        choices=[("", "—"), *((c.value, c.label) for c in Relationship if c != Relationship.SELF)],
    )
    birth_date = _date(_("Date of birth"))
    contact = forms.CharField(label=_("Address, e-mail or phone"), max_length=300)
    share = forms.DecimalField(label=_("Share (%)"), min_value=0, max_value=100, decimal_places=2)
    iban = forms.CharField(label=_("IBAN (if you know it)"), max_length=40, required=False)


# Two empty rows to add people; a row already recorded is removed with its "Delete" box.
DesigneeFormSet = forms.formset_factory(
    DesigneeForm, extra=2, max_num=10, absolute_max=10, can_delete=True, can_delete_extra=False
)


MEDICAL_ONLY = _("PDF, JPEG or PNG. Only the medical advisor reads it.")


class _DeclarationForm(forms.Form):
    event_date = _date(_("Date of the death, or of the disability"))
    declarant_name = forms.CharField(label=_("Declared by (full name)"), max_length=140)
    declarant_relationship = forms.CharField(label=_("Relationship to the member"), max_length=100, required=False)
    declarant_contact = forms.CharField(label=_("Address, e-mail or phone of the declarant"), max_length=300)
    death_certificate = forms.FileField(label=_("Death certificate"), required=False)
    cause_certificate = forms.FileField(
        label=_("Medical certificate stating the cause of death"), required=False, help_text=MEDICAL_ONLY
    )
    medical_report = forms.FileField(
        label=_("Medical report on the disability"), required=False, help_text=MEDICAL_ONLY
    )
    repatriation_invoice = forms.FileField(label=_("Invoice for the repatriation of the body"), required=False)

    def uploads(self) -> list[tuple[str, object]]:
        return [(role, self.cleaned_data[role]) for role in ClaimDocument.Role.values if self.cleaned_data.get(role)]


class PortalDeclarationForm(_DeclarationForm):
    kind = forms.ChoiceField(label=_("What happened"), choices=CapitalClaim.Kind.choices, widget=forms.RadioSelect)
    field_order = ["kind"]


class BackofficeDeclarationForm(_DeclarationForm):
    member_number = forms.CharField(label=_("Member number of the contract holder"), max_length=20)
    kind = forms.ChoiceField(label=_("Kind"), choices=CapitalClaim.Kind.choices, widget=forms.RadioSelect)
    # A letter keyed in: the declarant is written to in the language of their letter, not the handler's.
    declarant_language = forms.ChoiceField(
        label=_("Language of the declarant"),
        choices=settings.LANGUAGES,
        required=False,  # not given: the language of the page it is keyed in on
        help_text=_("The e-mails about the claim are written in it, when the contact holds an e-mail address."),
    )
    field_order = ["member_number", "kind"]


class DocumentAddForm(forms.Form):
    role = forms.ChoiceField(label=_("Document"), choices=ClaimDocument.Role.choices)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class DeathDecisionForm(forms.Form):
    cause = forms.ChoiceField(label=_("Cause of death"), choices=CapitalClaim.Cause.choices, widget=forms.RadioSelect)
    death_date = _date(_("Date of death"))


class DisabilityDecisionForm(forms.Form):
    degree = forms.DecimalField(label=_("Degree of disability (%)"), min_value=0, max_value=100, decimal_places=2)


class ComputeForm(forms.Form):
    repatriation_cost = forms.DecimalField(
        label=_("Repatriation costs incurred, as invoiced"),
        min_value=0,
        decimal_places=2,
        required=False,
        help_text=_("The engine limits them; leave empty when there are none."),
    )


class BankDetailsForm(forms.Form):
    iban = forms.CharField(label=_("IBAN"), max_length=40)
    bic = forms.CharField(label=_("BIC"), max_length=11, required=False)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the refusal"), widget=forms.Textarea(attrs={"rows": 3}))


class HeirForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=140)
    share = forms.DecimalField(label=_("Share (%)"), min_value=0, max_value=100, decimal_places=2)
    iban = forms.CharField(label=_("IBAN"), max_length=40, required=False)
    bic = forms.CharField(label=_("BIC"), max_length=11, required=False)


# The heirs as the succession documents name them: rows left blank are skipped; a row recorded before is
# removed with its "Delete" box.
HeirFormSet = forms.formset_factory(
    HeirForm, extra=3, max_num=10, absolute_max=10, can_delete=True, can_delete_extra=False
)
