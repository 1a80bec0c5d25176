from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeletransmissionConfig(AppConfig):
    name = "mutua.teletransmission"
    label = "teletransmission"
    verbose_name = _("Teletransmission")
