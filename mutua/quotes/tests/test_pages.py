"""Member, back-office and simulator pages; nobody reaches another household's quotes."""

from datetime import date

import pytest
from django.test import Client

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.benefits.models import Claim
from mutua.claims.tests.helpers import receipt
from mutua.core.formatting import money_format
from mutua.core.tests.helpers import member_login, staff_login
from mutua.quotes.models import Quote
from mutua.quotes.services import quote_review_request
from mutua.quotes.tests.helpers import CROWN, GLASSES, make_quote

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def member(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    return user


def quote_form(**changes):
    data = {
        "name": "Lunettes A",
        "person": "",
        "kind": "optical",
        "provider": "Optique du Centre",
        "planned_date": "2026-12-15",
        "document": receipt("devis.pdf", salt=str(changes)),
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "10",
        "lines-0-benefit_code": "optical.equipment",
        "lines-0-amount": "480.00",
        "lines-0-br": "0.15",
        "lines-0-quantity": "1",
        "lines-0-lens_class": "simple",
        "lines-1-quantity": "1",
        "lines-2-quantity": "1",
    }
    return data | changes


def test_a_member_sends_a_quote_sees_the_estimate_and_compares(client, member):
    assert "Send a quote" in client.get("/portal/quotes/", **EN).content.decode()
    response = client.post("/portal/quotes/new/", quote_form())
    quote = Quote.objects.get(member=member.member)
    assert response["Location"] == f"/portal/quotes/{quote.pk}/"
    assert quote.document is not None and quote.document.member == member.member
    page = client.get(f"/portal/quotes/{quote.pk}/", **EN).content.decode()
    assert "Estimate" in page and "computed on" in page and "Remains for you" in page
    assert money_format(quote.total_out_of_pocket, language="en") in page and "How was it estimated?" in page
    assert "partner network would leave you" in page
    client.post(
        "/portal/quotes/new/",
        quote_form(**{"name": "Lunettes B", "lines-0-amount": "390.00", "lines-0-network": "on"}),
    )
    other = Quote.objects.get(name="Lunettes B")
    compare = client.get("/portal/quotes/compare/", {"ids": [quote.pk, other.pk]}, **EN)
    assert compare.status_code == 200
    columns = compare.context["columns"]
    assert [column.quote for column in columns] == [quote, other]
    assert [column.cheapest for column in columns] == [False, True]
    assert "Least to pay" in compare.content.decode()
    assert client.get("/portal/quotes/compare/", {"ids": [quote.pk]}).status_code == 302


def test_a_quote_with_two_lines_and_errors_on_the_form(client, member):
    response = client.post(
        "/portal/quotes/new/",
        quote_form(
            **{
                "lines-1-benefit_code": "dental.crown_bridge",
                "lines-1-amount": "600.00",
                "lines-1-basket": "libre",
                "lines-1-tooth": "36",
            }
        ),
        **EN,
    )
    assert response.status_code == 200 and "Line 2: enter the reimbursement base" in response.content.decode()
    response = client.post("/portal/quotes/new/", quote_form(**{"lines-0-benefit_code": ""}), **EN)
    assert response.status_code == 200 and not Quote.objects.exists()
    client.post(
        "/portal/quotes/new/",
        quote_form(
            **{"lines-1-benefit_code": "dental.crown_bridge", "lines-1-amount": "600.00", "lines-1-br": "107.50"}
        ),
    )
    assert Quote.objects.get().lines.count() == 2


def test_the_member_corrects_the_lines_and_asks_for_a_check(client, member):
    quote = make_quote(member)
    page = client.get(f"/portal/quotes/{quote.pk}/lines/")
    assert page.status_code == 200
    data = {
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "1",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "10",
        "lines-0-benefit_code": "optical.equipment",
        "lines-0-amount": "350.00",
        "lines-0-br": "0.15",
        "lines-0-quantity": "1",
        "lines-0-lens_class": "simple",
        "lines-1-quantity": "1",
        "lines-2-quantity": "1",
    }
    assert client.post(f"/portal/quotes/{quote.pk}/lines/", data).status_code == 302
    quote.refresh_from_db()
    assert str(quote.total_amount) == "350.00"
    assert client.post(f"/portal/quotes/{quote.pk}/estimate/").status_code == 302
    client.post(f"/portal/quotes/{quote.pk}/check/", {"question": "Le prix est-il normal ?"})
    quote.refresh_from_db()
    assert quote.status == Quote.Status.REVIEW_REQUESTED and quote.review_question == "Le prix est-il normal ?"
    assert "is checking this quote" in client.get(f"/portal/quotes/{quote.pk}/", **EN).content.decode()


def test_nobody_reaches_another_households_quotes(client, member):
    other = MemberUserFactory()
    theirs = make_quote(other, name="Secret")
    mine = make_quote(member, name="Mine")
    pages = (f"/portal/quotes/{theirs.pk}/", f"/portal/quotes/{theirs.pk}/lines/", f"/documents/{theirs.document_id}/")
    for url in pages:
        assert client.get(url).status_code == 404
    for url in ("estimate", "check", "claim"):
        assert client.post(f"/portal/quotes/{theirs.pk}/{url}/").status_code == 404
    assert client.get("/portal/quotes/compare/", {"ids": [mine.pk, theirs.pk]}).status_code == 404
    assert "Secret" not in client.get("/portal/quotes/").content.decode()
    theirs.refresh_from_db()
    assert theirs.status == Quote.Status.ESTIMATED
    for url in ("/backoffice/quotes/review/", f"/backoffice/quotes/{theirs.pk}/"):
        assert client.get(url).status_code == 403


def test_the_management_unit_reviews_and_wrong_roles_are_refused(client, django_capture_on_commit_callbacks):
    user = MemberUserFactory()
    first, second = make_quote(user, name="Premier"), make_quote(user, [CROWN], name="Second")
    quote_review_request(quote=second, by=user)
    quote_review_request(quote=first, by=user)
    for role in (Role.FINANCE, Role.MEDICAL_ADVISOR):
        other = Client()
        staff_login(other, StaffUserFactory(role=role), PASSWORD)
        assert other.get("/backoffice/quotes/review/").status_code == 403
        assert other.post(f"/backoffice/quotes/{first.pk}/", {"advice": "Non."}).status_code == 403
    staff_login(client, StaffUserFactory(role=Role.CLAIMS_HANDLER), PASSWORD)
    assert "Quotes to check" in client.get("/backoffice/", **EN).content.decode()
    queue = client.get("/backoffice/quotes/review/")
    assert list(queue.context["quotes"]) == [second, first]  # the oldest request first
    page = client.get(f"/backoffice/quotes/{first.pk}/", **EN).content.decode()
    assert "Send the advice to the member" in page
    line = first.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/backoffice/quotes/{first.pk}/", {"advice": "Prix cohérent.", f"line{line.pk}_amount": "450.00"}
        )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Quote.Status.REVIEWED and first.total_amount == 450
    member = Client()
    member_login(member, user.username, PASSWORD)
    page = member.get(f"/portal/quotes/{first.pk}/", **EN).content.decode()
    assert "Advice of your management unit" in page and "Prix cohérent." in page


def test_turn_a_done_quote_into_a_claim_pre_filled_from_it(client, member, django_capture_on_commit_callbacks):
    quote = make_quote(member, [GLASSES, CROWN], planned=date(2026, 11, 2))
    response = client.post(f"/portal/quotes/{quote.pk}/claim/")
    claim = Claim.objects.get(member=member.member)
    assert response["Location"] == f"/portal/claims/{claim.pk}/"
    form = client.get(response["Location"]).context["form"]
    assert form.initial["benefit_code"] == "optical.equipment" and form.initial["provider"] == "Optique du Centre"
    assert form.initial["amount"] == GLASSES.amount and form.initial["lens_class"] == "simple"
    assert form.initial["care_date"] == date(2026, 11, 2)
    added = client.post(
        f"/portal/claims/{claim.pk}/items/",
        {
            **{key: value for key, value in form.initial.items() if value is not None},
            "amount": "400.00",
            "currency": "EUR",
            "mr": "0.09",
            "documents": [receipt("facture.pdf", salt="from-quote")],
        },
    )
    assert added.status_code == 302, added.content.decode()[:3000]
    second = client.get(f"/portal/claims/{claim.pk}/").context["form"]
    assert second.initial["benefit_code"] == "dental.crown_bridge" and second.initial["basket"] == "libre"


def test_the_simulator_estimates_without_login_and_stores_nothing():
    client = Client()
    page = client.get("/simulator/", **EN)
    assert page.status_code == 200 and "Reimbursement simulator" in page.content.decode()
    query = {
        "plan": "fr-base-surco",
        "tiers": ["base", "surco"],
        "benefit_code": "optical.equipment",
        "age": "40",
        "on": "2026-12-15",
        "amount": "480.00",
        "br": "0.15",
        "quantity": "1",
        "lens_class": "simple",
    }
    response = client.get("/simulator/", query, **EN)
    content = response.content.decode()
    assert response.status_code == 200 and "Remains for you" in content and "Estimate" in content
    line = response.context["line"]
    assert line.fields["out_of_pocket"] + line.fields["am_paid"] + line.fields["paid_total"] == 480
    assert line.network_saving > 0 and "partner network" in content
    # In plain words first, the formula one click away.
    plain, _, exact = content.partition("<details>")
    assert "Base pays €356.00 under the benefit" in plain and "formula" not in plain
    assert "formula 356 € per equipment" in exact
    base_only = client.get("/simulator/", query | {"tiers": ["base"]}).context["line"]
    assert list(base_only.fields["tiers_paid"]) == ["base"]
    assert "Choose the kind" not in content
    far = client.get("/simulator/", query | {"on": "0001-01-01"}, **EN)
    assert far.status_code == 200 and "ten years before" in far.content.decode()
    assert not Quote.objects.exists()


def test_the_simulator_is_rate_limited(settings):
    client = Client()
    query = {"plan": "fr-base-surco", "tiers": ["base"], "benefit_code": "care.gp", "age": "30"}
    query |= {"on": "2026-03-02", "amount": "30.00", "quantity": "1", "dptm": "on"}
    from mutua.quotes.views.simulator import SIMULATIONS_PER_MINUTE

    for _ in range(SIMULATIONS_PER_MINUTE):
        assert client.get("/simulator/", query).status_code == 200
    assert client.get("/simulator/", query).status_code == 429


def test_only_quotes_for_the_same_kind_of_care_are_compared(client, member):
    """Glasses set against a crown say nothing: the list offers comparison within a kind, the page refuses
    a mix and says why."""
    client.post("/portal/quotes/new/", quote_form())
    client.post("/portal/quotes/new/", quote_form(**{"name": "Lunettes B", "lines-0-amount": "390.00"}))
    client.post(
        "/portal/quotes/new/",
        quote_form(
            **{"name": "Couronne", "kind": "dental", "lines-0-benefit_code": "dental.crown_bridge", "lines-0-br": "120"}
        ),
    )
    glasses, other, crown = Quote.objects.filter(member=member.member).order_by("pk")
    assert crown.kind == "dental" and glasses.kind == other.kind == "optical"
    listing = client.get("/portal/quotes/", **EN).content.decode()
    assert listing.count('type="checkbox"') == 2  # the lone crown has nothing to be compared with
    assert f'value="{crown.pk}"' not in listing
    refused = client.get("/portal/quotes/compare/", {"ids": [glasses.pk, crown.pk]}, follow=True, **EN)
    assert refused.redirect_chain[-1][0] == "/portal/quotes/"
    assert "Only quotes for the same kind of care can be compared" in refused.content.decode()
    assert client.get("/portal/quotes/compare/", {"ids": [glasses.pk, other.pk]}, **EN).status_code == 200
