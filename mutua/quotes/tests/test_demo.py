import pytest
from django.core.management import call_command

from mutua.quotes.models import Quote

pytestmark = pytest.mark.django_db


def test_the_demo_member_has_two_dental_quotes_to_compare_once():
    call_command("load_demo")
    call_command("load_demo")
    quotes = Quote.objects.filter(member__member_number="MU1000001")
    assert quotes.count() == 2 and {quote.kind for quote in quotes} == {"dental"}
    assert all(quote.estimated_at and quote.total_plan > 0 for quote in quotes)
