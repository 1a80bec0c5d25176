from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """The member's conversations with the management unit: messages, complaints with their legal deadlines,
    requests that a person review an automatic decision, and sign-in help requests: one inbox for the unit."""

    name = "mutua.conversations"
    verbose_name = _("Conversations")
