"""Statement PDFs: the member downloads their own; a claims handler downloads any."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from mutua.accounts.models import Role
from mutua.benefits.models import Statement
from mutua.claims.statements import statement_document, statement_for_staff, statement_of_member, statement_pdf_render
from mutua.core.permissions import member_required, staff_required


def _pdf_response(statement: Statement, *, language: str) -> HttpResponse:
    pdf = statement_pdf_render(document=statement_document(statement=statement, language=language))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="statement-{statement.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@member_required
def statement_pdf_view(request: HttpRequest, statement_id: int) -> HttpResponse:
    """In the language the member reads the portal in; another household's statement does not exist."""
    statement = statement_of_member(member=request.user.member, statement_id=statement_id)
    if statement is None:
        raise Http404
    return _pdf_response(statement, language=get_language())


@require_safe
@staff_required((Role.CLAIMS_HANDLER, Role.ADMINISTRATOR))
def backoffice_statement_pdf_view(request: HttpRequest, statement_id: int) -> HttpResponse:
    """The statement as the member receives it: in the member's language."""
    statement = statement_for_staff(statement_id=statement_id)
    if statement is None:
        raise Http404
    languages = {code for code, _name in settings.LANGUAGES}
    language = statement.member.preferred_language
    return _pdf_response(statement, language=language if language in languages else settings.LANGUAGE_CODE)
