from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "mutua.providers"
    label = "providers"
    verbose_name = _("Hospitals and clinics")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mutua.providers import models

        # Handlers put hospitals on file, with the IBAN the plan pays: who did, and every later change of
        # where the money goes, is kept (the IBAN masked, as for members).
        auditlog.register(models.Provider, mask_fields=["iban"])
