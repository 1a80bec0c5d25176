from decimal import Decimal

import pytest

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.api.services import api_token_create
from mutua.api.tests.conftest import ApiClient
from mutua.benefits.models import Claim, ClaimItem
from mutua.claims.services import claim_create, claim_item_add
from mutua.claims.tests.helpers import GP_VISIT, receipt, submitted_claim
from mutua.contracts.tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db
MONEY = r"^\d+\.\d{2}$"


def item_fields(**overrides):
    return {
        "benefit_code": "care.gp",
        "care_date": "2026-03-02",
        "provider": "Dr Martin",
        "amount": "30.00",
        "mr": "19.00",
        "doctor_fees": "sector_1",
    } | overrides


def test_the_whole_journey_create_add_submit_read_decided_and_statements(api, user, run_on_commit):
    child = BeneficiaryFactory(member=user.member, first_name="Léa")
    people = api.get("/people").json()
    assert people[0]["id"] == "" and people[1] == {"id": str(child.pk), "name": child.full_name}
    sections = api.get("/benefits").json()
    assert "care.gp" in [benefit["code"] for section in sections for benefit in section["benefits"]]

    created = api.post("/claims", {"name": "Médecin mars", "person": str(child.pk)})
    assert created.status_code == 201
    claim = created.json()
    assert claim["status"] == "draft" and claim["person"]["id"] == str(child.pk) and claim["items"] == []

    added = api.post_multipart(
        f"/claims/{claim['id']}/items", item_fields() | {"documents": [receipt("facture.pdf", salt="api")]}
    )
    assert added.status_code == 201, added.content
    item = added.json()
    assert item["status"] == "in_progress" and item["amount"] == "30.00" and item["flags"] == ["dptm"]
    assert [(d["name"], d["content_type"]) for d in item["documents"]] == [("facture.pdf", "application/pdf")]
    document = api.get(f"/documents/{item['documents'][0]['id']}")
    assert document.status_code == 200 and b"".join(document.streaming_content).startswith(b"%PDF")

    refused = api.post(f"/claims/{claim['id']}/submit", {"terms_accepted": False})
    assert refused.status_code == 422 and refused.json()["code"] == "terms"
    sent = run_on_commit(api.post, f"/claims/{claim['id']}/submit", {"terms_accepted": True})
    assert sent.status_code == 200 and sent.json()["status"] == "in_progress"

    decided = api.get(f"/claims/{claim['id']}").json()
    assert decided["status"] == "validated" and decided["status_label"] == "Validated"
    assert decided["terms_version"] and decided["terms_accepted_at"]
    line = decided["items"][0]
    assert line["status"] == "validated" and line["care"]
    for field in ("am_paid", "paid_total", "out_of_pocket"):
        assert line[field] is not None and Decimal(line[field]) >= 0
    assert Decimal(line["am_paid"]) + Decimal(line["paid_total"]) + Decimal(line["out_of_pocket"]) == Decimal("30.00")
    assert sum(Decimal(tier["amount"]) for tier in line["tiers"]) == Decimal(line["paid_total"])
    assert line["explanation"] and decided["notice"].startswith("Keep the original documents")
    assert decided["statement"]["total_paid"] == line["paid_total"] == decided["total_paid"]

    statements = api.get("/statements").json()
    assert statements["count"] == 1
    pdf = api.get(f"/statements/{statements['items'][0]['id']}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert statements["items"][0] | {"issued_at": None} == decided["statement"] | {"issued_at": None}
    listed = api.get("/claims").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == claim["id"] and listed["items"][0]["item_count"] == 1


def test_explanation_and_labels_follow_accept_language(user, run_on_commit):
    run_on_commit(submitted_claim, user, [GP_VISIT])
    key = api_token_create(user=user)[1]
    claim_id = Claim.objects.get().pk
    english = ApiClient(key, language="en").get(f"/claims/{claim_id}").json()
    french = ApiClient(key, language="fr").get(f"/claims/{claim_id}").json()
    item = ClaimItem.objects.get()
    assert english["items"][0]["explanation"] == item.explanation["en"]
    assert french["items"][0]["explanation"] == item.explanation["fr"]
    assert english["items"][0]["explanation"] != french["items"][0]["explanation"]
    english_care = {
        b["code"]: b["label"] for s in ApiClient(key, language="en").get("/benefits").json() for b in s["benefits"]
    }
    french_care = {
        b["code"]: b["label"] for s in ApiClient(key, language="fr").get("/benefits").json() for b in s["benefits"]
    }
    assert english_care.keys() == french_care.keys() and english_care != french_care
    assert english["items"][0]["care"] == english_care["care.gp"]
    assert french["items"][0]["care"] == french_care["care.gp"]


@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_explanation_is_in_spanish_or_arabic_and_in_english_when_stored_before_them(user, run_on_commit, language):
    run_on_commit(submitted_claim, user, [GP_VISIT])
    reader = ApiClient(api_token_create(user=user)[1], language=language)
    item = ClaimItem.objects.get()
    assert reader.get(f"/claims/{item.claim_id}").json()["items"][0]["explanation"] == item.explanation[language]
    item.explanation = {lang: item.explanation[lang] for lang in ("fr", "en")}  # decided before es and ar
    item.save(update_fields=["explanation"])
    assert reader.get(f"/claims/{item.claim_id}").json()["items"][0]["explanation"] == item.explanation["en"]


def test_service_rules_come_back_as_422_with_the_message_and_code(api, user):
    claim = api.post("/claims", {"name": "Soins"}).json()
    too_much = api.post_multipart(
        f"/claims/{claim['id']}/items", item_fields(amount="650.00") | {"documents": [receipt(salt="a")]}
    )
    assert too_much.status_code == 422
    assert too_much.json()["code"] == "over_limit" and "500" in too_much.json()["detail"][0]
    no_document = api.post_multipart(f"/claims/{claim['id']}/items", item_fields())
    assert no_document.status_code == 422 and no_document.json()["code"] == "no_document"
    six = api.post_multipart(
        f"/claims/{claim['id']}/items", item_fields() | {"documents": [receipt(salt=str(n)) for n in range(6)]}
    )
    assert six.status_code == 422 and six.json()["code"] == "too_many_documents"
    empty = api.post(f"/claims/{claim['id']}/submit", {"terms_accepted": True})
    assert empty.status_code == 422 and empty.json() == {"detail": ["Add at least one care item."], "code": "empty"}
    bad_form = api.post_multipart(f"/claims/{claim['id']}/items", item_fields(amount="-3", care_date="soon"))
    assert bad_form.status_code == 422 and bad_form.json()["code"] == "invalid"
    assert set(bad_form.json()["detail"]) == {"Check the field “amount”.", "Check the field “care_date”."}


def test_a_person_outside_the_household_is_refused(api, user):
    stranger = BeneficiaryFactory()
    for person in (str(stranger.pk), "abc", "99999999999999999999"):
        response = api.post("/claims", {"name": "Soins", "person": person})
        assert response.status_code == 422 and response.json()["code"] == "beneficiary", person
    assert not Claim.objects.exists()


def test_items_are_removed_from_a_draft_only(api, user, run_on_commit):
    claim = api.post("/claims", {"name": "Soins"}).json()
    url = f"/claims/{claim['id']}/items"
    first = api.post_multipart(url, item_fields() | {"documents": [receipt(salt="1")]}).json()
    second = api.post_multipart(url, item_fields(care_date="2026-03-03") | {"documents": [receipt(salt="2")]}).json()
    assert api.delete(f"{url}/{first['id']}").status_code == 204
    assert api.delete(f"{url}/{first['id']}").status_code == 404
    assert [i["id"] for i in api.get(f"/claims/{claim['id']}").json()["items"]] == [second["id"]]
    run_on_commit(api.post, f"/claims/{claim['id']}/submit", {"terms_accepted": True})
    sent = api.delete(f"{url}/{second['id']}")
    assert sent.status_code == 422 and sent.json()["code"] == "not_draft"
    again = api.post(f"/claims/{claim['id']}/submit", {"terms_accepted": True})
    assert again.status_code == 422 and again.json()["code"] == "not_draft"


def test_pagination(api, user):
    for n in range(3):
        claim_create(member=user.member, beneficiary=None, name=f"Claim {n}")
    page = api.get("/claims", data={"page": 2, "page_size": 2}).json()
    assert page["count"] == 3 and [c["name"] for c in page["items"]] == ["Claim 0"]
    assert api.get("/claims", data={"page": 10**12}).status_code == 422
    assert api.get("/claims", data={"page": 50}).json()["items"] == []


def test_another_households_claims_items_documents_and_statements_are_not_found(api, user, run_on_commit):
    other = MemberUserFactory()
    decided = run_on_commit(submitted_claim, other, [GP_VISIT])
    statement = Claim.objects.get(pk=decided.pk).statement
    theirs = claim_create(member=other.member, beneficiary=None, name="Theirs")
    item = claim_item_add(claim=theirs, by=other, provider="Dr X", uploads=[receipt(salt="theirs")], **GP_VISIT)
    document = item.documents.get()
    mine = claim_create(member=user.member, beneficiary=None, name="Mine")
    missing = api.get("/claims/987654321").json()

    responses = {
        "read": api.get(f"/claims/{theirs.pk}"),
        "add item": api.post_multipart(
            f"/claims/{theirs.pk}/items", item_fields() | {"documents": [receipt(salt="x")]}
        ),
        "remove item": api.delete(f"/claims/{theirs.pk}/items/{item.pk}"),
        "remove their item through my claim": api.delete(f"/claims/{mine.pk}/items/{item.pk}"),
        "submit": api.post(f"/claims/{theirs.pk}/submit", {"terms_accepted": True}),
        "document": api.get(f"/documents/{document.pk}"),
        "statement": api.get(f"/statements/{statement.pk}/pdf"),
        "decided claim": api.get(f"/claims/{decided.pk}"),
    }
    for name, response in responses.items():
        assert response.status_code == 404, name
        assert response.json() == missing == {"detail": "Not found."}, name
    theirs.refresh_from_db()
    assert theirs.status == Claim.Status.DRAFT and theirs.items.count() == 1
    assert [c["id"] for c in api.get("/claims").json()["items"]] == [mine.pk]
    assert api.get("/statements").json()["count"] == 0
    assert api.get("/claims/0").status_code == api.get(f"/claims/{2**70}").status_code == 404
    assert api.get(f"/statements/{2**70}/pdf").status_code == 404


def test_openapi_schema_is_served_without_the_docs_page():
    client = ApiClient()
    schema = client.get("/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/claims", "/api/v1/claims/{claim_id}/items", "/api/v1/auth/token", "/api/v1/statements"} <= set(
        paths
    )
    assert schema.json()["components"]["securitySchemes"]["MemberTokenAuth"]["scheme"] == "bearer"
    assert client.get("/docs").status_code == 404
