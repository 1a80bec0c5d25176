"""Member sign-in pages: login, first login, forgotten password, logout."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, LoginView, PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.accounts import services
from mutua.accounts.forms import FirstLoginForm, LanguageForm, MemberLoginForm, PasswordResetRequestForm
from mutua.accounts.tokens import account_activation_token, password_reset_token


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


def _chosen_language(request: HttpRequest) -> str:
    """The language this browser asked for with the language switch (its cookie), if any."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return language if language in dict(settings.LANGUAGES) else ""


class MemberLoginView(LoginView):
    form_class = MemberLoginForm
    template_name = "accounts/login.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Someone already signed in goes to their own space, whatever ``next`` says.
        if request.user.is_authenticated:
            return redirect("portal:home" if request.user.is_member else "backoffice:home")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(language_form=LanguageForm(), **kwargs)

    def form_valid(self, form: MemberLoginForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        # The language picked on this browser before logging in wins over the one on the account,
        # and becomes the account's (pages and e-mails alike); without a choice, the account's.
        chosen = _chosen_language(self.request)
        if chosen and chosen != user.language:
            services.user_language_set(user=user, language=chosen)
        return _remember_language(response, chosen or user.language)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any]
) -> HttpResponse:
    """What a locked-out person sees: when they may try again, and who can help sooner."""
    retry_at = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    minutes = int(settings.AXES_COOLOFF_TIME / timedelta(minutes=1))
    if request.path.startswith("/backoffice/"):
        template = "accounts/backoffice_login.html"
    elif request.path.startswith("/provider/"):
        template = "providers/login.html"
    else:
        template = "accounts/login.html"
    context = {
        "form": None,
        "language_form": LanguageForm(),
        "locked_out": True,
        "retry_minutes": minutes,
        "retry_at": retry_at,
    }
    return render(request, template, context, status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("accounts:login")


def _site_url(request: HttpRequest) -> str:
    return settings.SITE_URL or request.build_absolute_uri("/")


def first_login_view(request: HttpRequest) -> HttpResponse:
    form = FirstLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_activation_request(site_url=_site_url(request), **form.cleaned_data)
        return render(request, "accounts/link_sent.html", {"kind": "activation"})
    return render(request, "accounts/first_login.html", {"form": form})


def password_reset_request_view(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(site_url=_site_url(request), **form.cleaned_data)
        return render(request, "accounts/link_sent.html", {"kind": "reset"})
    return render(request, "accounts/password_reset_request.html", {"form": form})


class SetPasswordFromLinkView(PasswordResetConfirmView):
    """Shared by the first-login and the reset links; the link works once, for 24 hours."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.password_set(user=self.user, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password1", error)
            return self.form_invalid(form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your password is set. You can now log in with your member number."))
        return redirect(self.success_url)


activate_view = SetPasswordFromLinkView.as_view(
    token_generator=account_activation_token, extra_context={"kind": "activation"}
)
password_reset_confirm_view = SetPasswordFromLinkView.as_view(
    token_generator=password_reset_token, extra_context={"kind": "reset"}
)


@require_POST
def language_view(request: HttpRequest) -> HttpResponse:
    """Switch language; remembered in a cookie and, for a signed-in person, on the account."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.user_language_set(user=request.user, language=language)
        _remember_language(response, language)
    return response
