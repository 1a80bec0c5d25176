from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.workflow import Workflow


class ContactRequest(models.Model):
    """A message from someone who cannot log in ("I still can't log in").

    The sender is not authenticated, so nothing they type is trusted to identify a member:
    the member number is kept as written, for the handler to check.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    WORKFLOW = Workflow(
        transitions={
            Status.NEW: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
            Status.IN_PROGRESS: frozenset({Status.CLOSED}),
            Status.CLOSED: frozenset({Status.IN_PROGRESS}),
        }
    )

    name = models.CharField(_("name"), max_length=200)
    member_number_given = models.CharField(_("member number (as given)"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    message = models.TextField(_("message"), max_length=4000)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.name}"
