from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError

from mutua.conversations.canned import canned_answer_problems, canned_answer_save
from mutua.conversations.models import CannedAnswer


class CannedAnswerAdminForm(forms.ModelForm):
    language = forms.ChoiceField(choices=settings.LANGUAGES)

    class Meta:
        model = CannedAnswer
        fields = ("title", "language", "text")

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["title"], data["text"] = data["title"].strip(), data["text"].strip()
            problems = canned_answer_problems(
                title=data["title"], language=data["language"], text=data["text"], answer=self.instance
            )
            if problems:
                raise ValidationError(problems)
        return data


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin):
    """The same rules as the back office's page (``conversations.canned``)."""

    form = CannedAnswerAdminForm
    list_display = ("title", "language")
    list_filter = ("language",)
    search_fields = ("title", "text")

    def save_model(self, request, obj, form, change):
        canned_answer_save(by=request.user, answer=obj, **{name: form.cleaned_data[name] for name in form.Meta.fields})
