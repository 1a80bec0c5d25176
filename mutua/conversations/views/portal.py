"""The member's messages with their management unit: the list, a new message or complaint, a conversation with
its replies and, for a complaint, its deadlines and the steps after the unit's answer."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.conversations import selectors, services
from mutua.conversations.deadlines import complaint_deadlines
from mutua.conversations.forms.portal import ConversationStartForm, QualityCellForm, ReplyForm
from mutua.conversations.models import Conversation
from mutua.conversations.rounds import active_round
from mutua.core.permissions import member_required

UNPROCESSABLE = 422


@member_required
def conversation_list_view(request: HttpRequest) -> HttpResponse:
    conversations = selectors.conversations_of_household(member=request.user.member)
    return render(request, "conversations/portal_list.html", {"conversations": conversations})


@member_required
def conversation_start_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    form = ConversationStartForm(
        request.POST or None,
        request.FILES or None,
        links=selectors.link_choices(member=member),
        initial={"link": request.GET.get("link", ""), "topic": request.GET.get("topic", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.conversation_start(
                member=member,
                by=request.user,
                kind=data["kind"],
                topic=data["topic"],
                subject=data["subject"],
                text=data["text"],
                uploads=data["documents"],
                medical=data["medical"],
                language=get_language(),
                **form.linked_ids(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message is sent. Your management unit will answer here."))
            return redirect("conversations:detail", conversation_id=conversation.pk)
    return render(
        request,
        "conversations/portal_start.html",
        {"form": form, "deadlines_if_sent_today": complaint_deadlines(timezone.localdate())},
        status=UNPROCESSABLE if request.method == "POST" else 200,
    )


def _own(request: HttpRequest, conversation_id: int) -> Conversation:
    conversation = selectors.conversation_of_household(member=request.user.member, conversation_id=conversation_id)
    if conversation is None:
        raise Http404
    return conversation


def _page(
    request: HttpRequest,
    conversation: Conversation,
    *,
    reply_form: ReplyForm | None = None,
    quality_form: QualityCellForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "conversations/portal_detail.html",
        {
            "conversation": conversation,
            "thread": conversation.thread,
            "reply_form": reply_form or ReplyForm(),
            "quality_form": quality_form or QualityCellForm(),
            "round": active_round(conversation),  # a complaint's deadlines now: the unit's or the quality cell's
            "step": selectors.complaint_step(conversation),
            "steps": selectors.ComplaintStep,
            "quality_email": settings.COMPLAINTS_QUALITY_EMAIL,
            "mediator_name": settings.MEDIATOR_NAME,
            "mediator_url": settings.MEDIATOR_URL,
        },
        status=status,
    )


@member_required
def conversation_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _own(request, conversation_id)
    response = _page(request, conversation)  # the unit's new messages are marked as new on this page, once
    services.unit_messages_mark_read(conversation=conversation)
    return response


@require_POST
@member_required
def conversation_reply_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _own(request, conversation_id)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.member_reply(
                conversation=conversation,
                by=request.user,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["documents"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("conversations:detail", conversation_id=conversation.pk)
    return _page(request, conversation, reply_form=form, status=UNPROCESSABLE)


@require_POST
@member_required
def conversation_quality_cell_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _own(request, conversation_id)
    form = QualityCellForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_quality_cell(conversation=conversation, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your complaint is sent to the quality cell. It will answer here."))
            return redirect("conversations:detail", conversation_id=conversation.pk)
    return _page(request, conversation, quality_form=form, status=UNPROCESSABLE)
