from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from mutua.accounts.models import User
from mutua.accounts.services import user_role_flags_apply


@admin.register(User)
class MutuaUserAdmin(UserAdmin):
    """Users and roles. A staff user also needs a TOTP device (OTP_TOTP › TOTP devices) to log in."""

    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "language")}),
        (_("Role"), {"fields": ("role", "member", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "role", "email", "password1", "password2")}),)
    raw_id_fields = ("member",)
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, user_role_flags_apply(user=obj), form, change)
