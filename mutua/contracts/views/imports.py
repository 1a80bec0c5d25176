"""Back office: a claims handler or an administrator imports an employer's affiliation file."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES
from mutua.contracts.affiliation_csv import MAX_BYTES
from mutua.contracts.affiliation_report import ImportReport
from mutua.contracts.imports import affiliation_file_import
from mutua.contracts.models import GroupContract
from mutua.core.permissions import staff_required

IMPORT_ROLES = MANAGEMENT_UNIT_ROLES


class AffiliationImportForm(forms.Form):
    contract = forms.ModelChoiceField(
        label=_("Group contract"),
        queryset=GroupContract.objects.select_related("employer").order_by("number"),
    )
    file = forms.FileField(
        label=_("Affiliation file (CSV)"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )


@staff_required(IMPORT_ROLES)
def affiliation_import_view(request: HttpRequest) -> HttpResponse:
    report: ImportReport | None = None
    if request.method == "POST":
        form = AffiliationImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = affiliation_file_import(
                contract=form.cleaned_data["contract"],
                file=upload,
                filename=upload.name,
                by=request.user,
            )
    else:
        form = AffiliationImportForm()
    return render(
        request,
        "contracts/backoffice_affiliation_import.html",
        {"form": form, "report": report, "max_megabytes": MAX_BYTES // (1024 * 1024)},
    )
