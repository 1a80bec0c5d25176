from django.contrib import admin

from mutua.providers.models import Provider


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "country", "finess", "in_network", "conventionne", "active"]
    list_filter = ["kind", "in_network", "conventionne", "active", "country"]
    search_fields = ["name", "city", "finess"]
