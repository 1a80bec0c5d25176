"""Back office: AM statement files (upload, progress, report) and the exception queue."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES
from mutua.contracts.models import Member
from mutua.core.permissions import staff_required
from mutua.core.selectors import status_history
from mutua.core.uploads import uploads_in_memory
from mutua.teletransmission import selectors, services
from mutua.teletransmission.forms import (
    AmFileUploadForm,
    ExceptionAssignForm,
    ExceptionDismissForm,
    ExceptionFilterForm,
    ExceptionRetryForm,
    TeletransmissionStatusForm,
)
from mutua.teletransmission.models import AmException, AmFile


def _errors(request: HttpRequest, error: ValidationError | forms.Form) -> None:
    texts = error.messages if isinstance(error, ValidationError) else [e for es in error.errors.values() for e in es]
    messages.error(request, " ".join(str(text) for text in texts))


@uploads_in_memory
@require_http_methods(["GET", "POST"])
@staff_required(MANAGEMENT_UNIT_ROLES)
def files_view(request: HttpRequest) -> HttpResponse:
    form = AmFileUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                am_file = services.am_file_upload(upload=form.cleaned_data["file"], by=request.user)
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, _("File received: it is being checked."))
                return redirect("backoffice:am_file", am_file_id=am_file.pk)
        return render(
            request, "teletransmission/files.html", {"files": selectors.am_file_list()[:50], "form": form}, status=400
        )
    return render(request, "teletransmission/files.html", {"files": selectors.am_file_list()[:50], "form": form})


@require_GET
@staff_required(MANAGEMENT_UNIT_ROLES)
def file_view(request: HttpRequest, am_file_id: int) -> HttpResponse:
    am_file = get_object_or_404(AmFile, pk=am_file_id)
    return render(
        request,
        "teletransmission/file.html",
        {
            "am_file": am_file,
            "progress": selectors.am_file_progress(am_file=am_file),
            "summary": selectors.am_file_summary(am_file=am_file),
            "problems": selectors.am_file_problems(am_file=am_file),
            "failed_chunks": selectors.am_file_failed_chunks(am_file=am_file),
            "history": status_history(instance=am_file),
            "working": am_file.status in {AmFile.Status.RECEIVED, AmFile.Status.PROCESSING},
        },
    )


@require_POST
@staff_required(MANAGEMENT_UNIT_ROLES)
def file_retry_view(request: HttpRequest, am_file_id: int) -> HttpResponse:
    am_file = get_object_or_404(AmFile, pk=am_file_id)
    count = services.am_file_retry_failed(am_file=am_file, by=request.user)
    messages.success(request, _("%(count)s chunk(s) put back in the queue.") % {"count": count})
    return redirect("backoffice:am_file", am_file_id=am_file.pk)


@require_GET
@staff_required(MANAGEMENT_UNIT_ROLES)
def exceptions_view(request: HttpRequest) -> HttpResponse:
    form = ExceptionFilterForm(request.GET or None)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return render(
        request,
        "teletransmission/exceptions.html",
        {"exceptions": selectors.am_exception_queue(reason=reason)[:200], "form": form},
    )


def _exception(exception_id: int) -> AmException:
    exception = selectors.am_exception_get(exception_id=exception_id)
    if exception is None:
        raise Http404
    return exception


@require_GET
@staff_required(MANAGEMENT_UNIT_ROLES)
def exception_view(request: HttpRequest, exception_id: int) -> HttpResponse:
    exception = _exception(exception_id)
    return render(
        request,
        "teletransmission/exception.html",
        {
            "exception": exception,
            # Prefixed: the three forms share a page, their fields need distinct ids.
            "retry_form": ExceptionRetryForm(prefix="retry"),
            "assign_form": ExceptionAssignForm(prefix="assign"),
            "dismiss_form": ExceptionDismissForm(prefix="dismiss"),
            "history": status_history(instance=exception),
        },
    )


@require_POST
@staff_required(MANAGEMENT_UNIT_ROLES)
def exception_action_view(request: HttpRequest, exception_id: int, action: str) -> HttpResponse:
    exception = _exception(exception_id)
    forms_by_action = {"retry": ExceptionRetryForm, "assign": ExceptionAssignForm, "dismiss": ExceptionDismissForm}
    if action not in forms_by_action:
        raise Http404
    form = forms_by_action[action](request.POST, prefix=action)
    if not form.is_valid():
        _errors(request, form)
        return redirect("backoffice:am_exception", exception_id=exception.pk)
    data = form.cleaned_data
    try:
        if action == "retry":
            exception = services.am_exception_retry(exception=exception, by=request.user, note=data["note"])
        elif action == "assign":
            exception = services.am_exception_assign(
                exception=exception,
                by=request.user,
                member_number=data["member_number"],
                rank=data["rank"],
                note=data["note"],
            )
        else:
            exception = services.am_exception_dismiss(exception=exception, by=request.user, note=data["note"])
    except ValidationError as error:
        _errors(request, error)
        return redirect("backoffice:am_exception", exception_id=exception.pk)
    if exception.status == AmException.Status.OPEN:
        messages.error(
            request,
            _("Still not payable: %(reason)s %(detail)s")
            % {"reason": exception.get_reason_display(), "detail": exception.detail},
        )
        return redirect("backoffice:am_exception", exception_id=exception.pk)
    messages.success(request, _("Line handled."))
    return redirect("backoffice:am_exceptions")


@require_POST
@staff_required(MANAGEMENT_UNIT_ROLES)
def teletransmission_status_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_object_or_404(Member, pk=member_id)
    form = TeletransmissionStatusForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("backoffice:household", member_id=member.pk)
    data = form.cleaned_data
    person = member if data["person"] == "m" else member.beneficiaries.filter(pk=data["person"]).first()
    if person is None:
        raise Http404
    try:
        services.teletransmission_status_set(
            person=person, status=data["status"], by=request.user, reason=data["reason"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Teletransmission status changed."))
    return redirect("backoffice:household", member_id=member.pk)
