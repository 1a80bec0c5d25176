"""The member's forms: a new message or complaint, a reply, the request to the quality cell. They only ask; the
services check the text, the files and that a linked claim, quote or guarantee is the household's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.contracts.forms import MultipleFileField
from mutua.conversations.messages import MAX_TEXT
from mutua.conversations.models import Conversation
from mutua.conversations.services import SUBJECT_MAX

TEXT = forms.Textarea(attrs={"rows": 8, "dir": "auto", "maxlength": MAX_TEXT})


def _documents() -> MultipleFileField:
    return MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("PDF, JPEG or PNG, at most 5 files of 10 MB each.")
    )


class LinkField(forms.ChoiceField):
    """Offers the household's own; takes any "kind:id" so that the service refuses another household's in the same
    words as an unknown one."""

    def valid_value(self, value: str) -> bool:
        kind, _sep, number = value.partition(":")
        return kind in LINK_KINDS and number.isdigit()


LINK_KINDS = ("claim", "quote", "guarantee")


class ReplyForm(forms.Form):
    # Not required here: the service says what is wrong with an empty text, in the same words as the API.
    text = forms.CharField(label=_("Your message"), widget=TEXT, required=False, strip=False)
    documents = _documents()


class ConversationStartForm(ReplyForm):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX, widget=forms.TextInput(attrs={"dir": "auto"}))
    topic = forms.ChoiceField(label=_("What is it about?"), choices=[("", "—"), *Conversation.Topic.choices])
    link = LinkField(label=_("Which one? (optional)"), required=False)
    kind = forms.ChoiceField(
        label=_("Is this a complaint?"),
        choices=[
            (Conversation.Kind.MESSAGE, _("No, a question or a request")),
            (Conversation.Kind.COMPLAINT, _("Yes, I am not satisfied and I make a complaint")),
        ],
        initial=Conversation.Kind.MESSAGE,
        widget=forms.RadioSelect,
        help_text=_("A complaint brings deadlines the management unit must keep: see below."),
    )
    medical = forms.BooleanField(
        label=_("It contains medical details"),
        required=False,
        help_text=_(
            "Then only our medical advisor reads it, and the files you attach: nobody else in the management unit."
        ),
    )

    field_order = ["subject", "topic", "link", "kind", "medical", "text", "documents"]

    def __init__(self, *args: object, links: list[tuple[str, list[tuple[str, str]]]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["link"].choices = [("", _("None in particular")), *links]

    def linked_ids(self) -> dict[str, int | None]:
        """The chosen claim, quote or guarantee as the service takes it (an id the household may not own: the
        service refuses it)."""
        ids: dict[str, int | None] = {f"{kind}_id": None for kind in LINK_KINDS}
        if self.cleaned_data.get("link"):
            kind, _sep, number = self.cleaned_data["link"].partition(":")
            ids[f"{kind}_id"] = int(number)
        return ids


class QualityCellForm(forms.Form):
    text = forms.CharField(label=_("Why the answer does not satisfy you"), widget=TEXT, required=False, strip=False)
