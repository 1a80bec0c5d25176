from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeletransmissionConfig(AppConfig):
    name = "mutua.teletransmission"
    label = "teletransmission"
    verbose_name = _("Teletransmission")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mutua.teletransmission import models

        auditlog.register(models.ActMapping)  # who changed which act is paid under which benefit
