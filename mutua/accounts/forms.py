from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from mutua.accounts.services import password_recheck
from mutua.contracts.selectors import normalize_member_number

MEMBER_NUMBER_HELP = _("The number printed on your member card (“Index Number”).")


class MemberNumberField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Member number"))
        kwargs.setdefault("help_text", MEMBER_NUMBER_HELP)
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.widget.attrs.update({"autocomplete": "username", "autocapitalize": "characters", "spellcheck": "false"})

    def clean(self, value: str) -> str:
        return normalize_member_number(super().clean(value))


class MemberLoginForm(AuthenticationForm):
    """Log in with the member number and password. Staff accounts are refused here."""

    username = MemberNumberField()
    error_messages = {
        "invalid_login": _("Invalid member number or password."),
        "inactive": _("Invalid member number or password."),
    }

    def confirm_login_allowed(self, user) -> None:  # type: ignore[no-untyped-def]
        super().confirm_login_allowed(user)
        if not user.is_member:
            raise self.get_invalid_login_error()


class StaffLoginForm(AuthenticationForm):
    """Back-office login: password and, always, the code of the user's authenticator app."""

    otp_token = forms.CharField(
        label=_("Authenticator code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {
        "invalid_login": _("Invalid username, password or authenticator code."),
        "inactive": _("Invalid username, password or authenticator code."),
    }

    def account_allowed(self, user) -> bool:  # type: ignore[no-untyped-def]
        return user.is_staff_member

    def confirm_login_allowed(self, user) -> None:  # type: ignore[no-untyped-def]
        super().confirm_login_allowed(user)
        if not self.account_allowed(user):
            raise self.get_invalid_login_error()
        device = match_token(user, self.cleaned_data.get("otp_token", "").strip())
        if device is None:
            # A wrong code counts as a failed login, so brute-force protection covers it too.
            user_login_failed.send(
                sender=type(self), credentials={"username": user.get_username()}, request=self.request
            )
            raise self.get_invalid_login_error()
        # django-otp's login signal stores this device in the session: the user is verified.
        user.otp_device = device


class ProviderLoginForm(StaffLoginForm):
    """The hospitals' space: the same two factors, for the staff of an active hospital only."""

    def account_allowed(self, user) -> bool:  # type: ignore[no-untyped-def]
        return user.is_provider_staff and user.provider.active


class FirstLoginForm(forms.Form):
    member_number = MemberNumberField()
    birth_date = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}))
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The address your employer or insurer has on file for you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordResetRequestForm(forms.Form):
    member_number = MemberNumberField()


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class RecheckedPasswordChangeForm(PasswordChangeForm):
    """The current password is checked with the same attempt limit as before a bank-details change."""

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        password_recheck(user=self.user, password=old_password)
        return old_password
