"""The administrators' page of canned answers: list, add, change, delete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.accounts.models import Role
from mutua.conversations.canned import canned_answer_delete, canned_answer_save, canned_answers_all
from mutua.conversations.forms.canned import CannedAnswerForm
from mutua.conversations.models import CannedAnswer
from mutua.core.ids import MAX_ID
from mutua.core.permissions import staff_required

UNPROCESSABLE = 422


@staff_required([Role.ADMINISTRATOR])
def canned_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "conversations/backoffice_canned_list.html", {"answers": canned_answers_all()})


@staff_required([Role.ADMINISTRATOR])
def canned_add_view(request: HttpRequest) -> HttpResponse:
    return _edit(request, answer=None)


@staff_required([Role.ADMINISTRATOR])
def canned_edit_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    return _edit(request, answer=_found(answer_id))


@require_POST
@staff_required([Role.ADMINISTRATOR])
def canned_delete_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    canned_answer_delete(by=request.user, answer=_found(answer_id))
    messages.success(request, _("Canned answer deleted."))
    return redirect("backoffice:conversation_canned_list")


def _found(answer_id: int) -> CannedAnswer:
    answer = CannedAnswer.objects.filter(pk=answer_id).first() if 0 < answer_id <= MAX_ID else None
    if answer is None:
        raise Http404
    return answer


def _edit(request: HttpRequest, *, answer: CannedAnswer | None) -> HttpResponse:
    initial = {"title": answer.title, "language": answer.language, "text": answer.text} if answer else {}
    form = CannedAnswerForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            canned_answer_save(by=request.user, answer=answer, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Canned answer saved."))
            return redirect("backoffice:conversation_canned_list")
    return render(
        request,
        "conversations/backoffice_canned_form.html",
        {"form": form, "answer": answer},
        status=UNPROCESSABLE if form.is_bound else 200,
    )
