"""The quotes API: create with lines, read the estimate, compare, have it checked; scoped to the household."""

from decimal import Decimal

import pytest

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.api.services import api_token_create
from mutua.api.tests.conftest import ApiClient
from mutua.claims.tests.helpers import receipt
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.quotes.models import Quote
from mutua.quotes.tests.helpers import make_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return MemberUserFactory()


@pytest.fixture
def api(user):
    return ApiClient(api_token_create(user=user, name="phone")[1])


def glasses(**changes):
    line = {"benefit_code": "optical.equipment", "amount": "480.00", "br": "0.15", "lens_class": "simple"}
    return {
        "name": "Lunettes",
        "kind": "optical",
        "provider": "Optique du Centre",
        "planned_date": "2026-12-15",
        "lines": [line | changes],
    }


def test_create_read_compare_and_check_through_the_api(api, user):
    child = BeneficiaryFactory(member=user.member)
    created = api.post("/quotes", glasses() | {"person": str(child.pk)})
    assert created.status_code == 201, created.content
    quote = created.json()
    assert quote["person"] == {"id": str(child.pk), "name": child.full_name} and quote["status"] == "estimated"
    estimate, line = quote["estimate"], quote["lines"][0]
    assert estimate["label"] == "Estimate" and "computed on" in estimate["note"]
    assert estimate["plan_code"] == "fr-base-surco" and estimate["plan_version_from"] == "2020-01-01"
    assert Decimal(estimate["am_paid"]) + Decimal(estimate["paid_total"]) + Decimal(estimate["out_of_pocket"]) == 480
    assert line["attributes"] == {"lens_class": "simple"} and line["rules"] and line["explanation"]
    assert Decimal(line["network_saving"]) > 0
    assert quote["document"] is None

    sent = api.post_multipart(f"/quotes/{quote['id']}/document", {"document": receipt("devis.pdf", salt="api")})
    assert sent.status_code == 200 and sent.json()["document"]["content_type"] == "application/pdf"
    again = api.post_multipart(f"/quotes/{quote['id']}/document", {"document": receipt("devis.pdf", salt="again")})
    assert again.status_code == 422 and again.json()["code"] == "has_document"

    second = api.post("/quotes", glasses(amount="390.00", network=True) | {"name": "Réseau"}).json()
    compared = api.get(f"/quotes/compare?ids={quote['id']}&ids={second['id']}")
    assert compared.status_code == 200
    assert [q["id"] for q in compared.json()["quotes"]] == [quote["id"], second["id"]]
    assert compared.json()["cheapest"] == [second["id"]]
    assert api.get(f"/quotes/compare?ids={quote['id']}").status_code == 422

    listed = api.get("/quotes").json()
    assert listed["count"] == 2 and {q["id"] for q in listed["items"]} == {quote["id"], second["id"]}
    assert api.post(f"/quotes/{quote['id']}/estimate").status_code == 200
    checked = api.post(f"/quotes/{quote['id']}/check", {"question": "Cohérent ?"})
    assert checked.status_code == 200 and checked.json()["status"] == "review_requested"
    twice = api.post(f"/quotes/{quote['id']}/check", {})
    assert twice.status_code == 422 and twice.json()["code"] == "invalid_transition"


def test_errors_are_json_in_the_request_language(user):
    key = api_token_create(user=user)[1]
    missing_br = glasses(benefit_code="dental.crown_bridge", br=None, lens_class="")
    english = ApiClient(key, language="en").post("/quotes", missing_br)
    assert english.status_code == 422 and english.json()["detail"] == [
        "Line 1: enter the reimbursement base (BR) printed on the quote."
    ]
    french = ApiClient(key, language="fr").post("/quotes", glasses() | {"planned_date": "2019-01-01"})
    assert french.status_code == 422 and french.json()["code"] == "not_covered"
    assert french.json()["detail"][0].startswith("Non couvert")
    unknown = ApiClient(key).post("/quotes", glasses(benefit_code="care.unknown"))
    assert unknown.status_code == 422 and unknown.json()["code"] == "benefit"
    assert not Quote.objects.exists()


def test_another_households_quote_does_not_exist(api, user):
    theirs = make_quote(MemberUserFactory(), name="Secret")
    mine = make_quote(user, name="Mine")
    assert api.get(f"/quotes/{theirs.pk}").status_code == 404
    assert api.get(f"/quotes/compare?ids={mine.pk}&ids={theirs.pk}").status_code == 404
    for path in ("estimate", "check"):
        assert api.post(f"/quotes/{theirs.pk}/{path}", {}).status_code == 404
    upload = api.post_multipart(f"/quotes/{theirs.pk}/document", {"document": receipt(salt="theirs")})
    assert upload.status_code == 404
    assert [q["id"] for q in api.get("/quotes").json()["items"]] == [mine.pk]
    other_child = BeneficiaryFactory()
    refused = api.post("/quotes", glasses() | {"person": str(other_child.pk)})
    assert refused.status_code == 422 and refused.json()["code"] == "beneficiary"
    assert ApiClient().get("/quotes").status_code == 401
