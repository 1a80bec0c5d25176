"""The member's own account pages."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.accounts import services
from mutua.accounts.forms import RecheckedPasswordChangeForm
from mutua.core.permissions import member_required


def signed_out_response(request: HttpRequest, error: ValidationError) -> HttpResponse:
    logout(request)
    messages.error(request, " ".join(error.messages))
    return redirect("accounts:login")


@member_required
def my_details_view(request: HttpRequest) -> HttpResponse:
    form = RecheckedPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and not form.is_valid():
        signed_out = [e for e in form.errors.as_data().get("old_password", []) if e.code == "signed_out"]
        if signed_out:
            return signed_out_response(request, signed_out[0])
    elif request.method == "POST":
        try:
            user = services.password_set(user=request.user, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            # Other sessions end with the change; this one carries on.
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed. Your other sessions are closed."))
            return redirect("accounts:my_details")
    member = request.user.member
    return render(request, "accounts/my_details.html", {"member": member, "password_form": form})


@require_POST
@member_required
def logout_everywhere_view(request: HttpRequest) -> HttpResponse:
    services.sessions_end_all(user=request.user)
    logout(request)
    messages.success(request, _("You are logged out on every device."))
    return redirect("accounts:login")
