from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapitalConfig(AppConfig):
    name = "mutua.capital"
    label = "capital"
    verbose_name = _("Death and disability capital")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mutua.capital import models

        # The account a beneficiary is paid to, as a member's: every change kept, the IBAN masked.
        auditlog.register(models.ClaimShare, include_fields=["full_name", "iban", "bic"], mask_fields=["iban"])
        # The heirs a handler keys in, with their accounts: who recorded which account, the IBAN masked.
        auditlog.register(models.ClaimHeir, include_fields=["full_name", "share", "iban", "bic"], mask_fields=["iban"])
