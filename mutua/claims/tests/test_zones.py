"""The international plan's zones on the claim side: the form asks where the care was given only under a plan
with zones and says beforehand on which conditions a restricted zone is covered; the facts reach the engine
(country, urgent, duty travel, the medical advisor's approval), which decides what is paid."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, StaffUserFactory
from mutua.approvals.services import prior_approval_decide, prior_approval_request
from mutua.approvals.tests.helpers import intl_member_user, report_upload, request_fields
from mutua.benefits.lines import care_line
from mutua.benefits.models import ClaimItem
from mutua.claims.care_groups import groups_for_plan
from mutua.claims.item_form import ClaimItemForm
from mutua.claims.review import claim_item_decide
from mutua.claims.services import claim_create, claim_item_add
from mutua.claims.tests.helpers import receipt, submitted_claim
from mutua.core.tests.helpers import member_login, staff_login

pytestmark = pytest.mark.django_db

NEW_YORK_STAY = {
    "benefit_code": "intl.inpatient_fees",
    "care_date": date(2026, 3, 10),
    "amount": Decimal("120.00"),
    "currency": "USD",
    "provider": "Mount Sinai",
    "care_country": "US",
}
NEW_YORK_VISIT = NEW_YORK_STAY | {"benefit_code": "intl.consultation", "amount": Decimal("150.00")}


def form_for(plan_code, duty_station="KE", language="en"):
    with translation.override(language):
        group = groups_for_plan(plan_code)[0]
        return ClaimItemForm(plan_code=plan_code, group=group, language=language, duty_station=duty_station)


@time_machine.travel(datetime(2026, 3, 12, 10, tzinfo=UTC), tick=False)
def test_the_online_limit_is_said_in_the_plans_currency_too():
    """Bills of 500 € or more go by post: a dollar member reads what that is in dollars, at today's rate."""
    with translation.override("en"):
        assert "€500.00 (about US$" in str(form_for("intl-staff").fields["amount"].help_text)
        assert "€500.00 or more" in str(form_for("fr-base-surco").fields["amount"].help_text)


def test_the_zone_questions_are_asked_only_under_a_plan_with_zones():
    french = form_for("fr-base-surco")
    assert not {"care_country", "care_urgent", "duty_travel"} & set(french.fields)
    international = form_for("intl-staff")
    assert {"care_country", "care_urgent", "duty_travel"} <= set(international.fields)
    assert international.fields["care_country"].initial == "KE"  # the duty station, preselected


def test_the_form_says_each_restricted_zones_conditions_in_words():
    with translation.override("en"):
        notices = {notice.label: notice for notice in form_for("intl-staff").zone_notices}
        assert set(notices) == {"North America", "Singapore", "Republic of South Africa"}
        conditions = notices["Republic of South Africa"].conditions
        assert "your duty station is in Republic of South Africa" in conditions
        assert any("Mozambique" in condition and "Madagascar" in condition for condition in conditions)
        assert notices["North America"].approval_url == "/portal/prior-approvals/request/?country=US"
        # Stationed in Washington, North America is open: it is not mentioned.
        stationed = {notice.label for notice in form_for("intl-staff", duty_station="US").zone_notices}
    assert "North America" not in stationed


def test_the_member_sees_the_zone_questions_in_their_language(client):
    user = intl_member_user()
    member_login(client, user.member.member_number, PASSWORD)
    claim = client.post("/portal/claims/new/", {"name": "New York", "person": ""})
    url = claim.headers["Location"]
    page = client.get(f"{url}?care={groups_for_plan('intl-staff')[0].key}", headers={"Accept-Language": "fr"})
    html = page.content.decode()
    assert '<option value="KE" selected>Kenya</option>' in html
    assert "États-Unis" in html and "Amérique du Nord" in html


def test_the_international_claim_form_asks_nothing_of_the_french_scheme(client):
    user = intl_member_user()
    member_login(client, user.member.member_number, PASSWORD)
    url = client.post("/portal/claims/new/", {"name": "Nairobi", "person": ""}).headers["Location"]
    html = client.get(f"{url}?care={groups_for_plan('intl-staff')[0].key}", headers={"Accept-Language": "en"})
    page = html.content.decode()
    assert "Other situations (rare): another insurer paid first" in page
    assert "long-term illness" not in page and "Assurance Maladie" not in page


def test_care_in_north_america_pays_nothing_and_says_why(run_tasks):
    user = intl_member_user()
    claim = run_tasks(submitted_claim, user, [NEW_YORK_VISIT])
    item = ClaimItem.objects.get(claim=claim)
    assert (item.care_country, item.care_urgent, item.duty_travel) == ("US", False, False)
    assert item.paid_total == Decimal("0.00")
    assert "North America" in " ".join(map(str, item.explanation["en"]))


def test_the_claim_page_of_care_the_zone_refused_says_how_planned_care_there_is_covered(client, run_tasks):
    """Not a dead end: under the refusal, the way to the medical advisor's prior approval, for that country."""
    user = intl_member_user()
    claim = run_tasks(submitted_claim, user, [NEW_YORK_VISIT])
    member_login(client, user.member.member_number, PASSWORD)
    page = client.get(f"/portal/claims/{claim.pk}/", headers={"Accept-Language": "es"}).content.decode()
    assert 'href="/portal/prior-approvals/request/?country=US"' in page
    nairobi = run_tasks(submitted_claim, user, [NEW_YORK_VISIT | {"care_country": "KE"}])
    assert "prior-approvals" not in client.get(f"/portal/claims/{nairobi.pk}/").content.decode()


def test_care_the_zone_paid_nothing_for_does_not_read_as_validated(client, run_tasks):
    """Decided, but nothing reimbursed: neither the care nor the claim says "Validated" in green."""
    user = intl_member_user()
    claim = run_tasks(submitted_claim, user, [NEW_YORK_VISIT])
    member_login(client, user.member.member_number, PASSWORD)
    page = client.get(f"/portal/claims/{claim.pk}/", headers={"Accept-Language": "en"}).content.decode()
    assert "Nothing reimbursed" in page and "Decided: nothing reimbursed" in page
    assert "Validated" not in page and "status ok" not in page
    listing = client.get("/portal/claims/", headers={"Accept-Language": "en"}).content.decode()
    assert "Decided: nothing reimbursed" in listing
    later_in_nairobi = {"care_country": "KE", "care_date": date(2026, 3, 20)}
    nairobi = run_tasks(submitted_claim, user, [NEW_YORK_VISIT | later_in_nairobi])
    page = client.get(f"/portal/claims/{nairobi.pk}/", headers={"Accept-Language": "en"}).content.decode()
    assert "Validated" in page and "nothing reimbursed" not in page


def test_urgent_care_on_duty_travel_is_paid_once_a_handler_checked_the_travel(run_tasks):
    """Ticking two boxes must not open North America by itself: the member's word that the care was urgent
    and on duty travel sends the line to a handler, who checks the travel (the mission order), then pays."""
    user = intl_member_user()
    visit = NEW_YORK_VISIT | {"care_urgent": True, "duty_travel": True}
    item = ClaimItem.objects.get(claim=run_tasks(submitted_claim, user, [visit]))
    assert item.status == ClaimItem.Status.IN_REVIEW and item.review_reasons == ["zone_declared"]
    assert {"urgent", "duty_travel"} <= care_line(item).flags
    item = claim_item_decide(item=item, by=StaffUserFactory(role=Role.CLAIMS_HANDLER), accept=True)
    assert item.status == ClaimItem.Status.ACCEPTED and item.paid_total > 0


def test_the_members_word_goes_to_a_handler_only_when_it_alone_opens_the_zone(run_tasks):
    """In Kenya, or in New York for a member stationed in Washington, the boxes change nothing: paid at once."""
    user = intl_member_user()
    nairobi = NEW_YORK_VISIT | {"care_country": "KE", "care_urgent": True, "duty_travel": True}
    item = ClaimItem.objects.get(claim=run_tasks(submitted_claim, user, [nairobi]))
    assert item.status == ClaimItem.Status.ACCEPTED, item.review_reasons
    user.member.duty_station = "US"
    user.member.save(update_fields=["duty_station"])
    visit = NEW_YORK_VISIT | {"care_urgent": True, "duty_travel": True, "amount": Decimal("90.00")}
    item = ClaimItem.objects.get(claim=run_tasks(submitted_claim, user, [visit]))
    assert item.status == ClaimItem.Status.ACCEPTED, item.review_reasons


def test_an_approval_opens_the_zone_inside_its_dates_only(run_tasks):
    user = intl_member_user()
    advisor = StaffUserFactory(role=Role.MEDICAL_ADVISOR)
    approval = prior_approval_request(member=user.member, medical_report=report_upload(), by=user, **request_fields())
    prior_approval_decide(
        approval=approval,
        by=advisor,
        approve=True,
        valid_from=date(2026, 3, 1),
        valid_to=date(2026, 3, 15),
        section="inpatient",
        country="US",
    )
    inside = NEW_YORK_STAY
    after = NEW_YORK_STAY | {"care_date": date(2026, 3, 20), "amount": Decimal("110.00")}
    in_canada = NEW_YORK_STAY | {"care_country": "CA", "provider": "Toronto General", "amount": Decimal("100.00")}
    claim = run_tasks(submitted_claim, user, [inside, after, in_canada])
    items = list(claim.items.all())
    assert all(item.status == ClaimItem.Status.ACCEPTED for item in items), [item.review_reasons for item in items]
    paid = {item.care_date.day if item.care_country == "US" else "CA": item.paid_total for item in items}
    assert paid[10] > 0
    assert paid[20] == Decimal("0.00") and paid["CA"] == Decimal("0.00")
    item = claim.items.get(care_date=date(2026, 3, 10), care_country="US")
    assert "prior_approval" in care_line(item, plan_code="intl-staff").flags
    assert "prior_approval" not in care_line(item).flags  # without the plan, no approval is looked up


def test_under_a_plan_with_zones_the_country_of_the_care_is_required():
    user = intl_member_user()
    claim = claim_create(member=user.member, beneficiary=None, name="Somewhere")
    visit = {key: value for key, value in NEW_YORK_VISIT.items() if key != "care_country"}
    with pytest.raises(ValidationError) as error:
        claim_item_add(claim=claim, by=user, uploads=[receipt()], **visit)
    assert error.value.code == "care_country"


def test_the_handler_reads_where_the_care_was_given_and_its_circumstances(client, run_tasks):
    user = intl_member_user()
    visit = NEW_YORK_VISIT | {"care_urgent": True, "duty_travel": True}
    claim = run_tasks(submitted_claim, user, [visit])
    staff_login(client, StaffUserFactory(role=Role.CLAIMS_HANDLER), PASSWORD)
    page = client.get(f"/backoffice/claims/{claim.pk}/", headers={"Accept-Language": "en"}).content.decode()
    assert "Care given in United States · urgent, not planned · on duty travel" in page


def test_the_online_limit_is_said_in_the_plans_currency_and_the_french_sentence_is_not_shown(client):
    """A member paid in dollars read "bills of 500 € or more, hospitalisation and thermal cures": the
    list and the claim say what their plan takes by post and the limit with its dollar value today."""
    from unittest import mock

    from mutua.core.money import Rate

    user = intl_member_user()
    member_login(client, user.member.member_number, PASSWORD)
    rate = Rate(value=Decimal("1.10"), on=date(2026, 12, 1), source="ECB")
    with mock.patch("mutua.core.money.exchange_rate", return_value=rate):
        listing = client.get("/portal/claims/", headers={"Accept-Language": "en"}).content.decode()
    assert "thermal cures" not in listing
    assert "Not claimed online: Medical evacuation, and bills of €500.00 (about US$550.00 today) or more" in listing


def test_what_ocr_read_on_a_receipt_is_shown_to_the_handler_in_the_currency_paid(client, run_tasks):
    """A Nairobi receipt read "6500.00 € 2026-11-20" in the review: the amount read is in the currency the
    member paid in, and the date in the reader's format."""
    user = intl_member_user()
    visit = NEW_YORK_VISIT | {"care_country": "KE", "currency": "KES", "amount": Decimal("6500.00")}
    claim = run_tasks(submitted_claim, user, [visit])
    document = claim.items.get().documents.get()
    document.ocr_amounts, document.ocr_dates = ["6500.00"], [visit["care_date"].isoformat()]
    document.save(update_fields=["ocr_amounts", "ocr_dates"])
    staff_login(client, StaffUserFactory(role=Role.CLAIMS_HANDLER), PASSWORD)
    page = client.get(f"/backoffice/claims/{claim.pk}/", headers={"Accept-Language": "en"}).content.decode()
    read = page.split("read on it:")[1].split("</li>")[0]
    assert "KES" in read and "6,500.00" in read and "€" not in read
