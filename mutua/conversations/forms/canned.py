"""A canned answer as an administrator writes it; the rules (lengths, one per title and language) are the
service's (``conversations.canned``)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mutua.conversations.canned import TEXT_MAX, TITLE_MAX


class CannedAnswerForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    text = forms.CharField(
        label=_("Text"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_("Staff edit it before sending: write it for any member, without a name or a date."),
    )
