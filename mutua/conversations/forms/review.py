"""The forms of a review of an automatic decision: the member's request (why, and files), and the handler's
answer (confirmed, or changed on corrected facts the engine computes again: the figure fields are those of the
claims review form). They only ask; the services check."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mutua.benefits.models import ClaimItem, RejectionReason
from mutua.benefits.review import FIGURES
from mutua.claims.decision_forms import ItemDecisionForm
from mutua.claims.selectors import ATTRIBUTE_CHOICES
from mutua.contracts.forms import MultipleFileField
from mutua.conversations.messages import MAX_TEXT
from mutua.conversations.models import Conversation

TEXT = forms.Textarea(attrs={"rows": 6, "dir": "auto", "maxlength": MAX_TEXT})


class ReviewRequestForm(forms.Form):
    # Not required here: the service says what is wrong with an empty text, in the same words as the API.
    text = forms.CharField(
        label=_("Why should a person look at this decision again?"),
        help_text=_("Say what you think is wrong: the amount, the kind of care, a detail of the bill…"),
        widget=TEXT,
        required=False,
        strip=False,
    )
    documents = MultipleFileField(
        label=_("Documents (optional)"),
        required=False,
        help_text=_("A bill, a statement, a letter: PDF, JPEG or PNG, at most 5 files of 10 MB each."),
    )


class ReviewDecisionForm(forms.Form):
    ACCEPT, REJECT = "accept", "reject"
    # The field that shows a refusal of the service, by its code; others go above the form.
    FIELD_OF_ERROR = {"reason": "reason", "refusal": "refusal", "amounts": "amount", "unchanged": "amount"}

    outcome = forms.ChoiceField(
        label=_("Outcome of the review"),
        choices=[
            (Conversation.ReviewOutcome.CONFIRMED, _("Confirm the decision")),
            (Conversation.ReviewOutcome.CHANGED, _("Change the decision")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Confirm the decision or change it.")},
    )
    reason = forms.CharField(
        label=_("Reason, for the member"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("The member reads it, in their language: write in plain words."),
        error_messages={"required": _("Give the reason for the decision: the member reads it.")},
    )
    decision = forms.ChoiceField(
        label=_("New decision"),
        required=False,
        choices=[
            (ACCEPT, _("Pay it, computed by the rules on the facts below")),
            (REJECT, _("Refuse it")),
        ],
        widget=forms.RadioSelect,
    )
    # The facts the rules decided on, as the claims review form asks them: never an amount to pay.
    amount = ItemDecisionForm.base_fields["amount"]
    br = ItemDecisionForm.base_fields["br"]
    mr = ItemDecisionForm.base_fields["mr"]
    quantity = ItemDecisionForm.base_fields["quantity"]
    basket = ItemDecisionForm.base_fields["basket"]
    lens_class = ItemDecisionForm.base_fields["lens_class"]
    side = ItemDecisionForm.base_fields["side"]
    refusal = forms.ChoiceField(
        label=_("Reason for the refusal"),
        required=False,
        choices=[("", "—")] + [choice for choice in RejectionReason.choices if choice[0] != RejectionReason.SUSPENDED],
    )

    def __init__(
        self, *args: Any, item: ClaimItem, attribute_names: list[str], national_scheme: bool, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                **{name: getattr(item, name) for name in FIGURES},
                **{name: item.attributes.get(name, "") for name in ATTRIBUTE_CHOICES},
                "decision": self.ACCEPT,
            },
        )
        super().__init__(*args, **kwargs)
        for name in ATTRIBUTE_CHOICES:  # only the details this care has or needs
            if name not in attribute_names:
                del self.fields[name]
        if not national_scheme:
            del self.fields["br"], self.fields["mr"]
        if item.status == ClaimItem.Status.REJECTED:  # a refused item can only be paid: refusing it is confirming
            del self.fields["refusal"]
            self.fields["decision"].choices = self.fields["decision"].choices[:1]

    def figure_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*FIGURES, *ATTRIBUTE_CHOICES) if name in self.fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") == Conversation.ReviewOutcome.CHANGED:
            if not data.get("decision"):
                self.add_error("decision", _("Choose the new decision."))
            elif data["decision"] == self.REJECT and not data.get("refusal"):
                self.add_error("refusal", _("Choose the reason for the refusal."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        accept = data.get("decision") != self.REJECT
        return {
            "outcome": data["outcome"],
            "reason": data["reason"],
            "accept": accept,
            "facts": {
                **{name: data.get(name) for name in FIGURES},
                "attributes": {name: data[name] for name in ATTRIBUTE_CHOICES if name in self.fields},
            },
            "refusal": RejectionReason(data["refusal"]) if not accept else None,
        }

    def add_service_error(self, error: ValidationError) -> None:
        for problem in error.error_list:
            self.add_error(self.FIELD_OF_ERROR.get(problem.code or ""), problem)
