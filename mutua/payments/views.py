"""Back office for finance: payment runs (prepare, approve, file, settle, cancel), bank returns,
a payee's payment history; one run and one file per currency."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutua.accounts.models import FINANCE_ROLES
from mutua.core.permissions import staff_required
from mutua.core.selectors import status_history
from mutua.payments import selectors, services
from mutua.payments.bank_returns import BankReturnsOutcome, bank_returns_import
from mutua.payments.forms import BankReturnsForm, RunCancelForm, RunCreateForm, RunSettleForm
from mutua.payments.models import PaymentRun


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _run(run_id: int) -> PaymentRun:
    run = selectors.run_detail(run_id=run_id)
    if run is None:
        raise Http404
    return run


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))


@require_GET
@staff_required(FINANCE_ROLES)
def runs_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "payments/runs.html",
        {
            "runs": selectors.runs_list(),
            "form": RunCreateForm(
                initial={"execution_date": timezone.localdate()}, currencies=selectors.due_currencies()
            ),
        },
    )


@require_POST
@staff_required(FINANCE_ROLES)
def run_create_view(request: HttpRequest) -> HttpResponse:
    form = RunCreateForm(request.POST, currencies=selectors.due_currencies())
    if not form.is_valid():
        return render(request, "payments/runs.html", {"runs": selectors.runs_list(), "form": form}, status=400)
    try:
        run = services.run_create(
            by=request.user, execution_date=form.cleaned_data["execution_date"], currency=form.cleaned_data["currency"]
        )
    except ValidationError as error:
        _error(request, error)
        return redirect("backoffice:payment_runs")
    messages.success(request, _("Run prepared. Another person from finance must approve it."))
    return redirect("backoffice:payment_run", run_id=run.pk)


@require_GET
@staff_required(FINANCE_ROLES)
def run_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(run_id)
    return render(
        request,
        "payments/run.html",
        {
            "run": run,
            "transfers": selectors.run_transfers(run=run),
            "history": status_history(instance=run),
            "prepared_by_me": run.created_by_id == request.user.pk,
            "settle_form": RunSettleForm(initial={"paid_on": timezone.localdate()}),
            "cancel_form": RunCancelForm(),
        },
    )


@require_POST
@staff_required(FINANCE_ROLES)
def run_approve_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(run_id)
    try:
        services.run_approve(run=run, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Run approved. Download its file for the bank."))
    return redirect("backoffice:payment_run", run_id=run.pk)


@require_http_methods(["GET", "POST"])
@staff_required(FINANCE_ROLES)
def run_file_view(request: HttpRequest, run_id: int) -> HttpResponse:
    """POST produces the file of an approved run (once); GET downloads a file already produced."""
    run = _run(run_id)
    if request.method == "GET" and not run.file:
        raise Http404
    try:
        xml = services.run_file(run=run)
    except ValidationError as error:
        _error(request, error)
        return redirect("backoffice:payment_run", run_id=run.pk)
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mutua-run-{run.pk}-pain.001.xml"'
    return response


@require_POST
@staff_required(FINANCE_ROLES)
def run_settle_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(run_id)
    form = RunSettleForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("backoffice:payment_run", run_id=run.pk)
    try:
        services.run_settle(run=run, paid_on=form.cleaned_data["paid_on"], by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Run recorded as paid."))
    return redirect("backoffice:payment_run", run_id=run.pk)


@require_POST
@staff_required(FINANCE_ROLES)
def run_cancel_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(run_id)
    form = RunCancelForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("backoffice:payment_run", run_id=run.pk)
    try:
        services.run_cancel(run=run, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Run cancelled: its payables are due again."))
    return redirect("backoffice:payment_run", run_id=run.pk)


@require_http_methods(["GET", "POST"])
@staff_required(FINANCE_ROLES)
def bank_returns_view(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    form = BankReturnsForm(request.POST, request.FILES) if request.method == "POST" else BankReturnsForm()
    if request.method == "POST" and form.is_valid():
        try:
            outcome = bank_returns_import(content=form.cleaned_data["file"].read(), by=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            for level, text in _outcome_messages(outcome):
                messages.add_message(request, level, text)
            return redirect("backoffice:bank_returns")
    return render(request, "payments/bank_returns.html", {"form": form, "problems": problems})


# What a bank file changed or only reported, by the outcome's count that says how many (the number
# is named, so that each sentence is a literal for makemessages and agrees with its count).
CHANGED_SENTENCES = (
    (
        "blocked",
        ngettext_lazy(
            "%(count)s returned transfer recorded: the amount is due again and the account is blocked "
            "until the member changes it.",
            "%(count)s returned transfers recorded: the amounts are due again and the accounts are "
            "blocked until the members change them.",
            "count",
        ),
    ),
    (
        "paid_again",
        ngettext_lazy(
            "%(count)s transfer refused for a reason on the paying side: the amount is due again and goes "
            "into the next run, to the same account.",
            "%(count)s transfers refused for a reason on the paying side: the amounts are due again and go "
            "into the next run, to the same accounts.",
            "count",
        ),
    ),
)
REPORTED_SENTENCES = (
    (
        "duplicates",
        ngettext_lazy(
            "%(count)s transfer refused as a duplicate of one already sent: the first one stands, nothing changed.",
            "%(count)s transfers refused as duplicates of ones already sent: the first ones stand, nothing changed.",
            "count",
        ),
    ),
    (
        "accepted",
        ngettext_lazy(
            "%(count)s transfer accepted by the bank: nothing changes.",
            "%(count)s transfers accepted by the bank: nothing changes.",
            "count",
        ),
    ),
    (
        "pending",
        ngettext_lazy(
            "%(count)s transfer still pending at the bank: nothing changes until its final status comes.",
            "%(count)s transfers still pending at the bank: nothing changes until their final status comes.",
            "count",
        ),
    ),
    (
        "other_entries",
        ngettext_lazy(
            "%(count)s other movement in the file is not a return: left aside.",
            "%(count)s other movements in the file are not returns: left aside.",
            "count",
        ),
    ),
)


def _counted(outcome: BankReturnsOutcome, sentences: tuple) -> list[tuple[int, object]]:
    return [(getattr(outcome, name), sentence) for name, sentence in sentences if getattr(outcome, name)]


def _outcome_messages(outcome: BankReturnsOutcome) -> list[tuple[int, str]]:
    """What the file changed first, then what it only reported."""
    changed, reported = [], []
    if outcome.file_refused:
        changed.append(
            ngettext(
                "The bank refused the whole file of run %(run)s (%(reason)s): %(count)s transfer is due again and "
                "goes into the next run; no account is blocked.",
                "The bank refused the whole file of run %(run)s (%(reason)s): %(count)s transfers are due again and "
                "go into the next run; no account is blocked.",
                outcome.file_refused,
            )
            % {"run": outcome.run, "reason": outcome.file_reason, "count": outcome.file_refused}
        )
    changed += [sentence % {"count": count} for count, sentence in _counted(outcome, CHANGED_SENTENCES)]
    if outcome.duplicate_file:
        reported.append(
            _(
                "The bank refused a second sending of the file of run %(run)s (%(reason)s): the first sending "
                "stands, nothing changed."
            )
            % {"run": outcome.run, "reason": outcome.file_reason}
        )
    reported += [sentence % {"count": count} for count, sentence in _counted(outcome, REPORTED_SENTENCES)]
    if not changed and not reported:
        reported.append(_("The file reports nothing about Mutua's transfers: nothing changed."))
    heading = _("%(message)s file read.") % {"message": outcome.message}
    return [
        (messages.SUCCESS if changed else messages.INFO, heading),
        *((messages.SUCCESS, text) for text in changed),
        *((messages.INFO, text) for text in reported),
    ]


@require_GET
@staff_required(FINANCE_ROLES)
def payee_view(request: HttpRequest, payee_id: int) -> HttpResponse:
    payee = selectors.payee_detail(payee_id=payee_id)
    if payee is None:
        raise Http404
    iban = payee.iban
    return render(
        request,
        "payments/payee.html",
        {
            "payee": payee,
            "account": selectors.masked_account(iban),
            "blocked": services.payee_blocked(payee),
            "history": selectors.payee_history(payee=payee),
        },
    )


@require_POST
@staff_required(FINANCE_ROLES)
def run_take_on_view(request: HttpRequest, run_id: int) -> HttpResponse:
    try:
        services.run_take_on(run=_run(run_id), by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("You prepared this run: another person approves it."))
    return redirect("backoffice:payment_run", run_id=run_id)
