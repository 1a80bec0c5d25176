from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Every message Mutua sends a person, kept as a row (the foundation every channel notifies through)."""

    name = "mutua.notifications"
    verbose_name = _("Notifications")
