"""The inbox's filters and what the unit's staff write on a conversation's page. The forms only read the fields:
the rules (text, attachments, deadlines, who may handle it) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.accounts.models import User
from mutua.contracts.forms import MultipleFileField
from mutua.conversations.inbox import InboxFilters
from mutua.conversations.models import CannedAnswer, Conversation

ASSIGNED_CHOICES = [("", _("Anyone")), ("me", _("Assigned to me")), ("none", _("Not assigned"))]


class InboxFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Conversation.Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Not closed")), *Conversation.Status.choices], required=False
    )
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("All topics")), *Conversation.Topic.choices], required=False
    )
    assigned = forms.ChoiceField(label=_("Assigned"), choices=ASSIGNED_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Past a legal deadline"), required=False)

    def filters(self) -> InboxFilters:
        """The valid filters (an unknown value in the address is ignored, not an error page)."""
        data = self.cleaned_data if self.is_valid() else {}
        return InboxFilters(
            kind=data.get("kind", ""),
            status=data.get("status", ""),
            topic=data.get("topic", ""),
            assigned=data.get("assigned", ""),
            overdue=bool(data.get("overdue")),
        )


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 8, "maxlength": 5000}))
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("PDF, JPEG or PNG, at most 5 files of 10 MB each.")
    )
    complaint_step = forms.ChoiceField(
        label=_("For the complaint, this reply"),
        choices=[
            ("", _("is neither an acknowledgement nor the answer")),
            ("acknowledges", _("acknowledges the complaint")),
            ("answers", _("answers the complaint")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: object, complaint: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not complaint:
            del self.fields["complaint_step"]


class CannedChoiceForm(forms.Form):
    """Start the reply from a canned answer in the member's language (no script: the page is sent again)."""

    canned = forms.ModelChoiceField(label=_("Canned answer"), queryset=CannedAnswer.objects.none())

    def __init__(self, *args: object, answers: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["canned"].queryset = answers
        self.fields["canned"].label_from_instance = lambda answer: answer.title  # all in the member's language


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note (never shown to the member)"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000}),
    )


class ExtendForm(forms.Form):
    new_date = forms.DateField(label=_("New answer date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Why it takes longer (the member reads it)"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("Assign to"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: object, assignees: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to"].queryset = assignees


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)
