"""The hospitals' space: sign in with two factors, then ask for guarantees and send invoices."""

from typing import Any

from django.contrib.auth.views import LoginView
from django.urls import reverse_lazy

from mutua.accounts.forms import LanguageForm, ProviderLoginForm


class ProviderLoginView(LoginView):
    form_class = ProviderLoginForm
    template_name = "providers/login.html"
    next_page = reverse_lazy("providers:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(language_form=LanguageForm(), **kwargs)
