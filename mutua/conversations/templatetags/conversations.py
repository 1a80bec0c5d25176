from django import template
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mutua.conversations.models import Conversation
from mutua.conversations.rounds import active_round

register = template.Library()


@register.filter
def status_words(conversation: Conversation) -> str:
    """Where a conversation stands, in words: a complaint the unit only acknowledged is not "answered" (its answer
    is still due, by the date said); every other one reads its status."""
    current = active_round(conversation) if conversation.kind == Conversation.Kind.COMPLAINT else None
    if (
        current is not None
        and conversation.status == Conversation.Status.ANSWERED
        and current.answered_at is None
        and current.answer_by is not None
    ):
        return _("Acknowledged: answer due by %(day)s") % {"day": date_format(current.answer_by, "DATE_FORMAT")}
    return capfirst(conversation.get_status_display())
