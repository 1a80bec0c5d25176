from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mutua.core.permissions import member_required
from mutua.notifications.selectors import notifications_for_member
from mutua.notifications.services import notifications_mark_read

PER_PAGE = 20


@member_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for_member(member=request.user.member), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@member_required
def notification_detail_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = notifications_for_member(member=request.user.member).filter(pk=notification_id).first()
    if notification is None:
        raise Http404
    if notification.unread:  # opened: read, as a read receipt says
        notifications_mark_read(member=request.user.member, ids=[notification.pk])
    return render(request, "notifications/detail.html", {"notification": notification})


@member_required
@require_POST
def notifications_read_all_view(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(member=request.user.member)
    return redirect("notifications:list")
