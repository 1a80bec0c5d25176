"""A conversation between a member (or someone who cannot sign in) and their management unit, and its messages.

One model for every kind, so the management unit has one inbox: a message, a complaint (seed 001: acknowledged
within 10 days, answered within 2 months), a request that a person review an automatic decision (seed 001's data
charter), and a sign-in help request from the public contact form."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.workflow import Workflow


class Conversation(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", _("message")
        COMPLAINT = "complaint", _("complaint")
        REVIEW = "review", _("request for a person to review a decision")
        CONTACT = "contact", _("sign-in help request")

    class Topic(models.TextChoices):
        CLAIM = "claim", _("a claim")
        QUOTE = "quote", _("a quote")
        GUARANTEE = "guarantee", _("a hospital guarantee")
        CONTRACT = "contract", _("my contract, my family or my bank details")
        PAYMENT = "payment", _("a payment")
        OTHER = "other", _("something else")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for the management unit")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    WORKFLOW = Workflow(
        transitions={
            Status.OPEN: frozenset({Status.ANSWERED, Status.CLOSED}),
            Status.ANSWERED: frozenset({Status.OPEN, Status.CLOSED}),  # the member writes again, or it is closed
            Status.CLOSED: frozenset({Status.OPEN}),  # the member writes again
        }
    )

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MESSAGE)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    subject = models.CharField(_("subject"), max_length=150)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    language = models.CharField(_("language"), max_length=8)  # the member's: the unit answers in it
    # Read only by the medical advisor (and the member): health details the other roles must not see.
    medical = models.BooleanField(_("medical"), default=False)

    # Whose it is: the subscriber's household, or, for a sign-in help request, whoever wrote.
    member = models.ForeignKey(
        "contracts.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="conversations"
    )
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    member_number_given = models.CharField(_("member number (as given)"), max_length=40, blank=True)

    # What it is about, one of the household's own (checked when it is linked).
    claim = models.ForeignKey("benefits.Claim", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    claim_item = models.ForeignKey(
        "benefits.ClaimItem", on_delete=models.PROTECT, null=True, blank=True, related_name="review_requests"
    )
    quote = models.ForeignKey("quotes.Quote", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    guarantee = models.ForeignKey(
        "guarantees.Guarantee", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)

    # A complaint's legal deadlines (``conversations.deadlines``) in two rounds kept side by side
    # (``conversations.rounds``): the unit's, then the quality cell's after an unsatisfying answer.
    acknowledge_by = models.DateField(_("to acknowledge by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answer_by = models.DateField(_("to answer by"), null=True, blank=True)  # in force: moved when extended
    answer_legal_by = models.DateField(_("to answer by (legal date)"), null=True, blank=True)  # never moved
    answer_extended_because = models.TextField(_("why the answer takes longer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    quality_cell_at = models.DateTimeField(_("sent to the quality cell at"), null=True, blank=True)
    qc_acknowledge_by = models.DateField(_("quality cell: to acknowledge by"), null=True, blank=True)
    qc_acknowledged_at = models.DateTimeField(_("quality cell: acknowledged at"), null=True, blank=True)
    qc_answer_by = models.DateField(_("quality cell: to answer by"), null=True, blank=True)
    qc_answer_legal_by = models.DateField(_("quality cell: to answer by (legal date)"), null=True, blank=True)
    qc_answer_extended_because = models.TextField(_("quality cell: why the answer takes longer"), blank=True)
    qc_answered_at = models.DateTimeField(_("quality cell: answered at"), null=True, blank=True)
    deadline_alerted_at = models.DateTimeField(null=True, blank=True)  # the last alert of a coming deadline

    # A review request's outcome: the decision confirmed or changed by a person, and why.
    class ReviewOutcome(models.TextChoices):
        CONFIRMED = "confirmed", _("decision confirmed")
        CHANGED = "changed", _("decision changed")

    review_outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices, blank=True)
    review_reason = models.TextField(_("reason of the outcome"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["status", "kind"]), models.Index(fields=["member", "last_message_at"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        return f"M-{self.pk:06d}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    from_member = models.BooleanField(default=False)  # False: the management unit (or the contact form's sender)
    # A note between the unit's staff: the member never sees it.
    internal = models.BooleanField(_("internal note"), default=False)
    text = models.TextField(_("message"), max_length=5000)
    attachments = models.ManyToManyField("documents.Document", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)  # by the other side: the read receipt

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.conversation.reference} #{self.pk}"


class WeeklyReportSent(models.Model):
    """The week whose complaint report was sent: one row a week, written with the report's notifications, so
    however many workers run the job the report goes once (and again if its transaction failed)."""

    week_start = models.DateField(unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.week_start.isoformat()


class CannedAnswer(models.Model):
    """A ready answer the unit's staff start from (edited before it is sent), in each language."""

    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("text"), max_length=5000)

    class Meta:
        ordering = ["title", "language"]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"
