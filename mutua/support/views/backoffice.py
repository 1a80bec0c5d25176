"""The support inbox is retired: sign-in help requests are in the unit's one inbox. Old links and bookmarks land
there, on the sign-in help requests."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from mutua.conversations.inbox import INBOX_ROLES
from mutua.core.permissions import staff_required


@staff_required(INBOX_ROLES)
def inbox_moved_view(request: HttpRequest, **_old: int) -> HttpResponse:
    return redirect(reverse("backoffice:conversation_inbox") + "?kind=contact", permanent=True)
