from django.contrib import admin

from mutua.contracts.models import (
    Beneficiary,
    BeneficiarySituation,
    ContractPlan,
    Employer,
    GroupContract,
    Insurer,
    ManagementUnit,
    Member,
)


@admin.register(ManagementUnit)
class ManagementUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "phone", "email")


admin.site.register(Insurer)
admin.site.register(Employer)


class ContractPlanInline(admin.TabularInline):
    model = ContractPlan
    extra = 0


@admin.register(GroupContract)
class GroupContractAdmin(admin.ModelAdmin):
    list_display = ("number", "employer", "insurer", "start_date", "termination_date")
    inlines = [ContractPlanInline]


# Identifiers and optional covers change only through the services that check them.
BENEFICIARY_EXCLUDED = ("nir", "optional_cover_from", "optional_cover_until")


class BeneficiaryInline(admin.StackedInline):
    model = Beneficiary
    extra = 0
    exclude = BENEFICIARY_EXCLUDED
    show_change_link = True


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    """The NIR and the IBAN are not shown here: they change through the services that check them."""

    list_display = ("member_number", "last_name", "first_name", "management_unit", "cover_start", "cover_end")
    search_fields = ("member_number", "last_name", "first_name", "email")
    list_select_related = ("management_unit",)
    exclude = ("nir", "iban")
    inlines = [BeneficiaryInline]


class SituationInline(admin.TabularInline):
    model = BeneficiarySituation
    extra = 0


@admin.register(Beneficiary)
class BeneficiaryAdmin(admin.ModelAdmin):
    list_display = ("first_name", "last_name", "member", "relationship", "rank", "cover_start", "removed_on")
    search_fields = ("last_name", "member__member_number")
    exclude = BENEFICIARY_EXCLUDED
    inlines = [SituationInline]
