from django.contrib import admin

from mutua.contracts.models import ManagementUnit, Member


@admin.register(ManagementUnit)
class ManagementUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "phone", "email")


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("member_number", "last_name", "first_name", "management_unit")
    search_fields = ("member_number", "last_name", "first_name", "email")
    list_select_related = ("management_unit",)
