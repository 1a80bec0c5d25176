import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import formats, translation

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.guarantees.models import Guarantee
from mutua.guarantees.pdf import guarantee_pdf
from mutua.guarantees.tests.planned import planned_guarantee
from mutua.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("MISSING: pdftotext (poppler-utils) is needed to read the PDF back")
    path = tmp_path / "guarantee.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def money(value: Decimal, language: str) -> str:
    with translation.override(language):
        return " ".join(formats.number_format(value, 2, use_l10n=True, force_grouping=True).split())


def day(value, language: str) -> str:
    with translation.override(language):
        return formats.date_format(value, "SHORT_DATE_FORMAT")


@pytest.fixture
def guarantee():
    provider = ProviderFactory(name="Clinique des Lilas", city="Paris", finess="750000123")
    return planned_guarantee(user=MemberUserFactory(member__first_name="Claire"), provider=provider)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pdf_states_what_was_issued(guarantee, tmp_path, language):
    assert guarantee.status == Guarantee.Status.ISSUED
    data = guarantee_pdf(guarantee=guarantee, language=language)
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    flat = " ".join(text.split())

    assert guarantee.reference in text
    assert day(guarantee.valid_from, language) in text
    assert day(guarantee.valid_until, language) in text
    assert "750000123" in text and "Clinique des Lilas" in text
    assert guarantee.member.member_number in text and "Claire" in text
    assert guarantee.total_plan > 0
    for total in (guarantee.total_amount, guarantee.total_am, guarantee.total_plan, guarantee.total_out_of_pocket):
        assert money(total, language) in flat
    for line in guarantee.lines.all():
        assert money(line.paid_total, language) in flat
        # How it is computed, in small print (spaces flattened as in the text: French has no-break ones).
        assert " ".join(line.explanation[language][0].split(":")[0].split()) in flat
    title = {"fr": "Garantie de paiement", "en": "Guarantee of payment"}[language]
    limit = {"fr": "par jour", "en": "per day"}[language]
    if language == "en" or title in flat:  # French wording depends on the catalogue being compiled
        assert title in flat
    assert limit in flat or "per day" in flat
    assert guarantee.member.management_unit.email in flat


def test_the_pdf_is_read_from_what_was_stored_not_recomputed(guarantee, tmp_path):
    Guarantee.objects.filter(pk=guarantee.pk).update(total_plan=Decimal("1234.56"))
    guarantee.refresh_from_db()
    text = " ".join(pdf_text(guarantee_pdf(guarantee=guarantee, language="en"), tmp_path).split())
    assert "1,234.56" in text


def test_a_request_not_yet_answered_says_it_is_not_a_guarantee(guarantee, tmp_path):
    Guarantee.objects.filter(pk=guarantee.pk).update(status=Guarantee.Status.REQUESTED, issued_at=None)
    guarantee.refresh_from_db()
    text = " ".join(pdf_text(guarantee_pdf(guarantee=guarantee, language="en"), tmp_path).split())
    assert "not yet a guarantee of payment" in text
