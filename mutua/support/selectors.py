from django.db.models import QuerySet

from mutua.support.models import ContactRequest


def contact_requests_open() -> QuerySet[ContactRequest]:
    return ContactRequest.objects.exclude(status=ContactRequest.Status.CLOSED).order_by("created_at")


def contact_requests_closed() -> QuerySet[ContactRequest]:
    return ContactRequest.objects.filter(status=ContactRequest.Status.CLOSED).order_by("-created_at")
