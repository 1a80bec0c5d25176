from django import template

from mutua.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    """How many notifications the signed-in member has not opened (0 for anyone else)."""
    user = getattr(context.get("request"), "user", None)
    member = getattr(user, "member", None) if user is not None and user.is_authenticated else None
    return unread_count(member=member) if member is not None else 0
