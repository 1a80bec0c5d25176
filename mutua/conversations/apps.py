from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """The member's conversations with the management unit: messages, complaints with their legal deadlines,
    requests that a person review an automatic decision, and sign-in help requests: one inbox for the unit."""

    name = "mutua.conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mutua.conversations import models

        auditlog.register(models.CannedAnswer)  # who changed the words the unit's replies start from
