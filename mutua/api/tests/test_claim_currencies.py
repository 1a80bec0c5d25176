"""The API's claim shows a bill in another currency as the pages do: both amounts and the rate."""

from datetime import date
from decimal import Decimal

import pytest

from mutua.accounts.tests.factories import StaffUserFactory
from mutua.api.services import api_token_create
from mutua.api.tests.conftest import ApiClient
from mutua.benefits.models import ClaimItem
from mutua.claims.review import claim_item_decide
from mutua.claims.tests.helpers import submitted_claim
from mutua.claims.tests.test_currencies import NAIROBI_VISIT, intl_member_user

pytestmark = pytest.mark.django_db


def test_a_bill_in_shillings_waits_without_an_amount_then_shows_the_rate(run_on_commit):
    user = intl_member_user()
    claim = run_on_commit(submitted_claim, user, [NAIROBI_VISIT])
    api = ApiClient(api_token_create(user=user, name="phone")[1], language="en")
    waiting = api.get(f"/claims/{claim.pk}").json()["items"][0]
    assert (waiting["currency"], waiting["plan_currency"], waiting["plan_amount"]) == ("KES", "USD", None)
    assert waiting["exchange"]["rate"] is None and "no exchange rate is known" in waiting["exchange"]["text"]
    item = ClaimItem.objects.get(claim=claim)
    claim_item_decide(
        item=item,
        by=StaffUserFactory(),
        accept=True,
        adjust={"rate": Decimal("0.0077419"), "rate_source": "Central Bank of Kenya"},
    )
    decided = api.get(f"/claims/{claim.pk}").json()["items"][0]
    assert decided["amount"] == "6500.00" and decided["plan_amount"] == "50.32"
    assert decided["amount_eur"] == decided["plan_amount"]  # the deprecated name, kept for v1
    assert decided["exchange"] == {
        "rate": "0.0077419",
        "rate_date": date(2026, 3, 12).isoformat(),
        "source": "Central Bank of Kenya",
        "text": "Paid KES6,500.00 = US$50.32 at 1 KES = 0.007742 USD on 12 March 2026 "
        "(rate entered by your management unit: Central Bank of Kenya).",
    }
