"""The ready answers the unit's staff start a reply from, kept by administrators: one per title and language (the
conversation's page offers those in the member's language). Each change is audited (``auditlog``, registered in
the app's config)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from mutua.accounts.models import Role, User
from mutua.conversations.models import CannedAnswer

TITLE_MAX = 120
TEXT_MAX = 5000


def canned_answers_all() -> QuerySet[CannedAnswer]:
    return CannedAnswer.objects.order_by("title", "language", "pk")


def canned_answer_problems(
    *, title: str, language: str, text: str, answer: CannedAnswer | None = None
) -> list[ValidationError]:
    """What is wrong with a canned answer as given (``title`` and ``text`` already stripped), every problem."""
    problems = []
    if not title:
        problems.append(ValidationError(_("Give the answer a title."), code="title"))
    elif len(title) > TITLE_MAX:
        problems.append(ValidationError(_("Keep the title under %(limit)s characters."), params={"limit": TITLE_MAX}))
    if language not in dict(settings.LANGUAGES):
        problems.append(ValidationError(_("Choose the language the answer is written in."), code="language"))
    if not text:
        problems.append(ValidationError(_("Write the answer's text."), code="text"))
    elif len(text) > TEXT_MAX:
        problems.append(ValidationError(_("Keep the text under %(limit)s characters."), params={"limit": TEXT_MAX}))
    others = CannedAnswer.objects.exclude(pk=answer.pk) if answer and answer.pk else CannedAnswer.objects.all()
    if title and others.filter(title__iexact=title, language=language).exists():
        problems.append(
            ValidationError(_("An answer with this title already exists in this language."), code="duplicate")
        )
    return problems


def canned_answer_save(
    *, by: User, title: str, language: str, text: str, answer: CannedAnswer | None = None
) -> CannedAnswer:
    """Add a canned answer, or change ``answer``; every problem said at once."""
    _administrator_require(by)
    title, text = (title or "").strip(), (text or "").strip()
    problems = canned_answer_problems(title=title, language=language, text=text, answer=answer)
    if problems:
        raise ValidationError(problems)
    answer = answer or CannedAnswer()
    answer.title, answer.language, answer.text = title, language, text
    with transaction.atomic():
        answer.save()
    return answer


def canned_answer_delete(*, by: User, answer: CannedAnswer) -> None:
    """Replies already sent from it keep their text: they were copied, never linked."""
    _administrator_require(by)
    answer.delete()


def _administrator_require(by: User) -> None:
    if by.role != Role.ADMINISTRATOR:
        raise PermissionDenied
