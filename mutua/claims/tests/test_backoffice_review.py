"""The management unit's review: the queue grouped by claim in words, one small decision per item (a
normal post or htmx), and refused input sent back with its message, never an empty 400."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.benefits.models import ClaimItem
from mutua.claims.tests.helpers import GLASSES, GP_VISIT, submitted_claim
from mutua.core.tests.helpers import staff_login

pytestmark = pytest.mark.django_db

GP_OVER_LIMIT = GP_VISIT | {"amount": Decimal("250.00")}  # waits: above the automatic limit
HTMX = {"HX-Request": "true"}


@pytest.fixture
def claim(django_capture_on_commit_callbacks):
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1), member__first_name="Léa", member__last_name="Roux")
    with django_capture_on_commit_callbacks(execute=True):
        return submitted_claim(user, [GLASSES, GP_OVER_LIMIT])


@pytest.fixture
def handler(client):
    user = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    staff_login(client, user, PASSWORD)
    return user


def items_of(claim):
    glasses, gp = claim.items.order_by("benefit_code").reverse()  # optical…, care…
    assert glasses.status == gp.status == ClaimItem.Status.IN_REVIEW
    return glasses, gp


def decide(client, item, headers=None, **fields):
    return client.post(
        f"/backoffice/claims/items/{item.pk}/decide/",
        {f"item{item.pk}-{name}": value for name, value in fields.items()},
        headers={"Accept-Language": "en", **(headers or {})},
    )


def test_the_queue_names_the_member_the_claim_the_care_the_amount_and_the_reason_grouped_by_claim(
    client, claim, handler, django_capture_on_commit_callbacks
):
    other = MemberUserFactory(member__cover_start=date(2020, 1, 1), member__first_name="Paul", member__last_name="Nez")
    with django_capture_on_commit_callbacks(execute=True):
        theirs = submitted_claim(other, [GLASSES])
    html = client.get("/backoffice/claims/review/", headers={"Accept-Language": "en"}).content.decode()
    groups = re.findall(r'<section class="queue-claim".*?</section>', html, re.S)
    assert len(groups) == 2
    first, second = groups
    assert "Léa Roux · Soins" in first and "Paul Nez · Soins" in second
    assert "Optical equipment at free prices" in first and "General practitioner" in first
    assert "€420.00" in first and "€250.00" in first
    assert "equipment checked by a handler" in first
    assert "Amount above the automatic limit" in first
    assert first.count("<tr>") == 3 and second.count("<tr>") == 2  # a header row and one per waiting item
    assert f"/backoffice/claims/{theirs.pk}/#item-" in second
    assert "care.gp" not in html and "optical.equipment" not in html
    assert "amount_over_auto_limit" not in first + second  # a code only as the filter's value
    french = client.get("/backoffice/claims/review/", headers={"Accept-Language": "fr"}).content.decode()
    assert "Médecin généraliste" in french and "250,00\xa0€" in french

    glasses = client.get("/backoffice/claims/review/?reason=review_section").context["page"]
    assert [[row.item.benefit_code for row in group.items] for group in glasses] == [["optical.equipment"]] * 2
    assert [group.claim for group in glasses] == [claim, theirs]
    everyday = client.get("/backoffice/claims/review/?section=soins_courants").context["page"]
    assert [[row.item.benefit_code for row in group.items] for group in everyday] == [["care.gp"]]


def test_a_claims_page_is_one_small_decision_per_waiting_item_with_the_rules_proposal(client, claim, handler):
    html = client.get(f"/backoffice/claims/{claim.pk}/", headers={"Accept-Language": "en"}).content.decode()
    glasses, gp = items_of(claim)
    assert html.count('<form method="post" action="/backoffice/claims/items/') == 2
    assert html.count('class="decision"') == 2 and f'hx-target="#item-{gp.pk}"' in html
    assert "Proposed:" in html and "Mutua pays" in html and "remains for the member" in html
    assert "General practitioner" in html and "lenses single vision" in html
    text = re.sub(r"<[^>]*>", "", html)  # what a handler reads, not the fields' names
    assert "care.gp" not in text and "lens_class" not in text and "amount_over_auto_limit" not in text
    # Lenses can be corrected on the glasses, where the care needs them; the GP visit has no such detail.
    assert f'name="item{glasses.pk}-lens_class"' in html and f'name="item{gp.pk}-lens_class"' not in html


def test_deciding_an_item_by_a_normal_post_comes_back_to_its_row(client, claim, handler):
    glasses, _gp = items_of(claim)
    response = decide(client, glasses, decision="correct", amount="400.00", br="0.15", mr="0.09", quantity="1")
    assert response.status_code == 302
    assert response["Location"] == f"/backoffice/claims/{claim.pk}/#item-{glasses.pk}"
    glasses.refresh_from_db()
    assert glasses.status == "accepted" and glasses.amount == 400 and glasses.decided_by == handler
    page = client.get(response["Location"], headers={"Accept-Language": "en"}).content.decode()
    assert "Decision recorded." in page and page.count('class="decision"') == 1


def test_deciding_an_item_with_htmx_returns_just_its_row_and_the_claims_status(client, claim, handler):
    glasses, gp = items_of(claim)
    response = decide(client, gp, HTMX, decision="reject", reason="missing_document")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article id="item-{gp.pk}"') and "<html" not in html
    assert "Decision recorded." in html and "Refused:" in html and "a supporting document is missing" in html
    assert 'id="claim-status" hx-swap-oob="true"' in html and 'class="decision"' not in html
    gp.refresh_from_db()
    assert gp.status == "rejected" and gp.rejection_reason == "missing_document"
    # The last item decided: the claim's status, swapped out of band, has moved too.
    response = decide(client, glasses, HTMX, decision="accept")
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status != "in_progress"
    assert f'hx-swap-oob="true">{claim.get_status_display()}</span>' in response.content.decode()


@pytest.mark.parametrize("headers", [None, HTMX], ids=["normal post", "htmx"])
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Choose a decision: accept, accept with corrected figures, or refuse."),
        ({"decision": "correct", "amount": "-5"}, "Enter an amount above zero."),
        ({"decision": "correct", "amount": "400", "mr": "-1"}, "Enter zero or a positive amount."),
        ({"decision": "reject"}, "Choose the reason for the refusal."),
        ({"decision": "maybe"}, "Select a valid choice. maybe is not one of the available choices."),
        ({"decision": "reject", "reason": "other"}, "Explain the reason in a few words."),  # the service's own check
        (
            {"decision": "correct", "amount": "10", "mr": "20"},
            "Check the amounts: the amount paid must be positive and cover the AM part.",
        ),
    ],
)
def test_refused_input_gets_the_form_back_with_the_message(client, claim, handler, fields, message, headers):
    _glasses, gp = items_of(claim)
    response = decide(client, gp, headers, **fields)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert f'<article id="item-{gp.pk}"' in html and f'action="/backoffice/claims/items/{gp.pk}/decide/"' in html
    assert ("<html" in html) is (headers is None)  # the whole page without JavaScript, the row with htmx
    for name, value in fields.items():
        if name != "decision":
            assert f'name="item{gp.pk}-{name}"' in html and f'value="{value}"' in html  # what was typed is kept
    gp.refresh_from_db()
    assert gp.status == "in_review"


def test_an_item_decided_meanwhile_says_so(client, claim, handler):
    glasses, _gp = items_of(claim)
    decide(client, glasses, decision="accept")
    response = decide(client, glasses, HTMX, decision="reject", reason="illegible")
    assert response.status_code == 422 and "This item is not waiting for a decision." in response.content.decode()
    glasses.refresh_from_db()
    assert glasses.status == "accepted"


@pytest.mark.parametrize("role", [Role.MEDICAL_ADVISOR, Role.FINANCE, Role.ADMINISTRATOR])
def test_only_the_management_unit_decides(role, claim):
    client = Client()
    staff_login(client, StaffUserFactory(role=role), PASSWORD)
    _glasses, gp = items_of(claim)
    page = client.get(f"/backoffice/claims/{claim.pk}/")
    assert page.status_code == (403 if role == Role.FINANCE else 200)
    if role == Role.MEDICAL_ADVISOR:  # reads the claim, decides nothing: no form is shown
        assert 'class="decision"' not in page.content.decode()
    for headers in (None, HTMX):
        response = decide(client, gp, headers, decision="reject", reason="illegible")
        assert response.status_code == (302 if role == Role.ADMINISTRATOR else 403)
        if role == Role.ADMINISTRATOR:
            break
    gp.refresh_from_db()
    assert gp.status == ("rejected" if role == Role.ADMINISTRATOR else "in_review")
