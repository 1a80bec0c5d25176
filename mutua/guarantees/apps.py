from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuaranteesConfig(AppConfig):
    name = "mutua.guarantees"
    label = "guarantees"
    verbose_name = _("Hospital guarantees")
