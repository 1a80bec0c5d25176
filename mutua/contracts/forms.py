from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.contracts.contact import ADDRESS_MAX_CHARS_SENT
from mutua.contracts.models import ChangeRequest, Member
from mutua.contracts.services import FAMILY_CHANGE_NOT_OFFERED, PARTNER_RELATIONSHIPS
from mutua.core.currencies import currency_choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[object]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


PARTNER_KINDS = frozenset(PARTNER_RELATIONSHIPS)
NEW_PERSON_KINDS = PARTNER_KINDS | {ChangeRequest.Kind.BIRTH, ChangeRequest.Kind.ADOPTION}
LEAVING_KINDS = {ChangeRequest.Kind.DIVORCE, ChangeRequest.Kind.DEATH}


class FamilyChangeForm(forms.Form):
    """The household events the member's plan takes (``kinds``); another one is refused in the plan's words."""

    kind = forms.ChoiceField(label=_("What changed?"), error_messages={"invalid_choice": FAMILY_CHANGE_NOT_OFFERED})
    event_date = forms.DateField(label=_("Date of the event"), widget=forms.DateInput(attrs={"type": "date"}))
    first_name = forms.CharField(label=_("First name of the new beneficiary"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name of the new beneficiary"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=_("Their date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    has_income = forms.BooleanField(
        label=_("My spouse or partner has an income from work or a replacement income"), required=False
    )
    beneficiary = forms.TypedChoiceField(label=_("Person concerned"), coerce=int, required=False, choices=())
    documents = MultipleFileField(
        label=_("Supporting documents"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 5 files of 10 MB each."),
    )

    def __init__(self, *args: object, member: Member, kinds: tuple[ChangeRequest.Kind, ...], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        current = member.beneficiaries.filter(removed_on__isnull=True)
        self.fields["beneficiary"].choices = [("", "—")] + [(b.pk, b.full_name) for b in current]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        kind = data.get("kind")
        if kind in NEW_PERSON_KINDS:
            for name in ("first_name", "birth_date") + (("last_name",) if kind in PARTNER_KINDS else ()):
                if not data.get(name):
                    self.add_error(name, _("Needed for this event."))
        if kind in LEAVING_KINDS and not data.get("beneficiary"):
            self.add_error("beneficiary", _("Choose the person concerned."))
        return data

    def details(self) -> dict[str, object]:
        data = self.cleaned_data
        if data["kind"] in LEAVING_KINDS:
            return {"beneficiary_id": data["beneficiary"]}
        details: dict[str, object] = {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "birth_date": data["birth_date"].isoformat(),
        }
        if data["kind"] in PARTNER_KINDS:
            details["has_income"] = data["has_income"]
        return details


class ContactDetailsForm(forms.Form):
    """What is typed; mutua.contracts.contact checks it (the service, whoever calls it)."""

    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("A French number, or the country code after a + (+44 …)."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        max_length=ADDRESS_MAX_CHARS_SENT,
        help_text=_("As on an envelope: the number and street, then the postcode and town (and the country abroad)."),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )


class BankDetailsForm(forms.Form):
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    bic = forms.CharField(
        label=_("BIC"), max_length=11, required=False, help_text=_("Leave empty: we find it from the IBAN when we can.")
    )
    account_currency = forms.ChoiceField(
        label=_("Currency of the account"),
        required=False,
        help_text=_(
            "Your reimbursements are computed in your plan's currency and, for an account in another currency, "
            "converted once when they are decided, at the latest European Central Bank rate."
        ),
    )
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Asked again to protect where your reimbursements are paid."),
    )

    def __init__(self, *args: object, plan_currency: str, language: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        same = _("The plan's currency (%(currency)s)") % {"currency": plan_currency}
        self.fields["account_currency"].choices = [("", same), *currency_choices(language=language)]
