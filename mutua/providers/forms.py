"""The form that puts a hospital on file from the back office; the rules are ``provider_register``'s."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.contracts.services import iban_clean
from mutua.core.countries import country_choices
from mutua.providers.models import Provider
from mutua.providers.services import finess_clean


def _field(name: str) -> int | None:
    return Provider._meta.get_field(name).max_length


class ProviderRegisterForm(forms.Form):
    """The FINESS number and the IBAN are checked here too, so that a wrong key is told together with the
    fields left empty rather than after them; the service checks them again, and the rest."""

    name = forms.CharField(label=_("Name of the hospital"), max_length=_field("name"))
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Provider.Kind.choices])
    city = forms.CharField(label=_("City"), max_length=_field("city"))
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, initial="FR")
    address = forms.CharField(label=_("Address"), max_length=_field("address"), required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=_field("phone"))
    email = forms.EmailField(
        label=_("E-mail for guarantees"), help_text=_("The guarantee and its answers are sent there.")
    )
    finess = forms.CharField(
        label=_("FINESS number"),
        max_length=11,  # 9 characters, and the spaces some write between the groups
        required=False,
        help_text=_("9 digits, for a hospital in France; leave empty abroad."),
    )
    conventionne = forms.BooleanField(
        label=_("Agreed with the Assurance Maladie (conventionné)"),
        required=False,
        initial=True,
        help_text=_("The plan pays stays differently in an establishment that is not agreed."),
    )
    iban = forms.CharField(label=_("IBAN"), max_length=42, required=False, help_text=_("Where its invoices are paid."))
    bic = forms.CharField(label=_("BIC"), max_length=11, required=False, help_text=_("Found from the IBAN if empty."))

    def clean_finess(self) -> str:
        return finess_clean(self.cleaned_data["finess"]) if self.cleaned_data["finess"].strip() else ""

    def clean_iban(self) -> str:
        return iban_clean(self.cleaned_data["iban"]) if self.cleaned_data["iban"].strip() else ""
