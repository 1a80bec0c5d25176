"""The management unit's inbox and a conversation's page: reply (from a canned answer or not), internal notes,
a complaint's answer date moved, assignment, closing; and the weekly figure of complaint deadlines met."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES
from mutua.conversations import handling, inbox
from mutua.conversations.forms.backoffice import (
    AssignForm,
    CannedChoiceForm,
    CloseForm,
    ExtendForm,
    InboxFilterForm,
    NoteForm,
    ReplyForm,
)
from mutua.conversations.models import Conversation
from mutua.conversations.reports import last_complete_week, week_start_of, weekly_complaint_report
from mutua.conversations.rounds import active_round
from mutua.core.ids import MAX_ID
from mutua.core.permissions import staff_required
from mutua.core.selectors import status_history

UNPROCESSABLE = 422


@staff_required(inbox.INBOX_ROLES)
def inbox_view(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET)
    page = inbox.inbox_page(user=request.user, filters=form.filters(), page=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "conversations/backoffice_inbox.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def _readable(request: HttpRequest, conversation_id: int) -> Conversation:
    """The conversation if this person may read it; 404 otherwise, as for one that does not exist."""
    conversation = (
        inbox.conversations_for_staff(user=request.user).filter(pk=conversation_id).first()
        if 0 < conversation_id <= MAX_ID
        else None
    )
    if conversation is None:
        raise Http404
    return conversation


def _page(request: HttpRequest, conversation: Conversation, status: int = 200, **bound: Form) -> HttpResponse:
    """The conversation's page; ``bound``: the form that was sent, with its errors, in place of an empty one."""
    complaint = conversation.kind == Conversation.Kind.COMPLAINT
    answers = inbox.canned_answers_for(language=conversation.language)
    canned = CannedChoiceForm(request.GET if "canned" in request.GET else None, answers=answers)
    initial = {"text": canned.cleaned_data["canned"].text} if canned.is_bound and canned.is_valid() else {}
    forms = {
        "reply_form": ReplyForm(initial=initial, complaint=complaint),
        "canned_form": canned,
        "note_form": NoteForm(),
        "extend_form": ExtendForm(),
        "assign_form": AssignForm(
            initial={"to": conversation.assigned_to_id}, assignees=inbox.assignees_for(conversation=conversation)
        ),
        "close_form": CloseForm(),
    } | bound
    return render(
        request,
        "conversations/backoffice_conversation.html",
        {
            "conversation": conversation,
            "thread": inbox.thread_for_staff(conversation=conversation),
            "history": status_history(instance=conversation),
            "round": active_round(conversation),
            "deadline": inbox.complaint_deadline_left(conversation),
            "review_link": inbox.review_link(conversation),
            "member_page": handling.member_page(conversation),
            "has_canned": answers.exists(),
            **forms,
        },
        status=status,
    )


@staff_required(inbox.INBOX_ROLES)
def conversation_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _readable(request, conversation_id)
    if request.method != "POST":
        handling.conversation_read(conversation=conversation, by=request.user)
        return _page(request, conversation)
    form = ReplyForm(request.POST, request.FILES, complaint=conversation.kind == Conversation.Kind.COMPLAINT)
    if form.is_valid():
        step = form.cleaned_data.get("complaint_step", "")
        try:
            handling.staff_reply(
                conversation=conversation,
                by=request.user,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["attachments"],
                acknowledges=step == "acknowledges",
                answers=step == "answers",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reply sent. The member is told a message is waiting."))
            return _done(conversation)
    return _page(request, conversation, status=UNPROCESSABLE, reply_form=form)


def _done(conversation: Conversation) -> HttpResponse:
    """Back to the conversation's top, where the confirmation is: the form's own anchor (#reply, #note) would
    otherwise carry over the redirect and land on an empty form, inviting to send it twice."""
    return redirect(reverse("backoffice:conversation", args=[conversation.pk]) + "#main")


def _action(request: HttpRequest, conversation_id: int, form_name: str, form: Form, act, done: str) -> HttpResponse:
    """Run ``act(conversation, cleaned_data)`` for a valid form; the page again with the problems otherwise."""
    conversation = _readable(request, conversation_id)
    if form.is_valid():
        try:
            act(conversation, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return _done(conversation)
    return _page(request, conversation, status=UNPROCESSABLE, **{form_name: form})


@require_POST
@staff_required(inbox.INBOX_ROLES)
def conversation_note_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    return _action(
        request,
        conversation_id,
        "note_form",
        NoteForm(request.POST),
        lambda conversation, data: handling.note_add(conversation=conversation, by=request.user, text=data["text"]),
        _("Note added. The member does not see it."),
    )


@require_POST
@staff_required(inbox.INBOX_ROLES)
def conversation_extend_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    return _action(
        request,
        conversation_id,
        "extend_form",
        ExtendForm(request.POST),
        lambda conversation, data: handling.complaint_answer_extend(
            conversation=conversation, by=request.user, new_date=data["new_date"], reason=data["reason"]
        ),
        _("Answer date moved. The member is told the new date and why."),
    )


@require_POST
@staff_required(inbox.INBOX_ROLES)
def conversation_assign_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    assignees = inbox.assignees_for(conversation=_readable(request, conversation_id))
    return _action(
        request,
        conversation_id,
        "assign_form",
        AssignForm(request.POST, assignees=assignees),
        lambda conversation, data: handling.conversation_assign(
            conversation=conversation, to=data["to"], by=request.user
        ),
        _("Assignment saved."),
    )


@require_POST
@staff_required(inbox.INBOX_ROLES)
def conversation_close_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    return _action(
        request,
        conversation_id,
        "close_form",
        CloseForm(request.POST),
        lambda conversation, data: handling.conversation_close(
            conversation=conversation, by=request.user, reason=data["reason"]
        ),
        _("Conversation closed."),
    )


@staff_required(MANAGEMENT_UNIT_ROLES)
def conversation_report_view(request: HttpRequest) -> HttpResponse:
    """The weekly figure of complaint deadlines met (counts only: no complaint's detail)."""
    try:
        week = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        week = last_complete_week()
    report = weekly_complaint_report(week_start=week)
    later = report.week_start + timedelta(days=7)
    return render(
        request,
        "conversations/backoffice_report.html",
        {
            "report": report,
            "previous_week": report.week_start - timedelta(days=7),
            "next_week": later if later <= week_start_of(timezone.localdate()) else None,
        },
    )
