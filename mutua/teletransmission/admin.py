from django import forms
from django.contrib import admin

from mutua.teletransmission.mappings import mapping_problems
from mutua.teletransmission.models import ActMapping


class ActMappingForm(forms.ModelForm):
    class Meta:
        model = ActMapping
        fields = ("system", "code", "benefit_code", "attributes", "flags", "label")

    def clean(self):
        data = super().clean()
        if not self.errors:
            problems = mapping_problems(
                system=data["system"],
                code=data["code"],
                benefit_code=data["benefit_code"],
                attributes=data.get("attributes") or {},
                flags=data.get("flags") or [],
            )
            if problems:
                raise forms.ValidationError(problems)
        return data


@admin.register(ActMapping)
class ActMappingAdmin(admin.ModelAdmin):
    form = ActMappingForm
    list_display = ("system", "code", "benefit_code", "label")
    list_filter = ("system",)
    search_fields = ("code", "benefit_code", "label")
