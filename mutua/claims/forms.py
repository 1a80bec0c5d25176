"""The online claim's own forms: starting a claim (its name, for whom) and sending it (the terms
accepted). Each care item is asked by ``item_form.ClaimItemForm``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


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


class ClaimSubmitForm(forms.Form):
    terms = forms.BooleanField(
        label=_("I accept the terms of the online claims service and certify that the documents are genuine."),
        error_messages={"required": _("Accept the terms of the online claims service to send your claim.")},
    )
