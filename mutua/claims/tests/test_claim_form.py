"""The claim form asks the kind of care first, then only what matters for it; the service's refusals
(10 items, 500 € a bill) come back on the page with nothing written."""

from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from engine import get_plan
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.benefits.models import Claim, ClaimItem
from mutua.claims.care_groups import group_of, groups_for_plan
from mutua.claims.services import claim_create, claim_item_add
from mutua.claims.tests.helpers import GP_VISIT, receipt
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.core.formatting import money_format
from mutua.core.tests.helpers import member_login
from mutua.documents.models import Document

pytestmark = pytest.mark.django_db
PLAN = "fr-base-surco"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DAY = timezone.localdate() - timedelta(days=20)

# Which questions each kind of care asks (beyond care, date, provider, amount, currency, documents).
ASKED = {
    "doctor": {"doctor_fees", "mr", "br", "outside_pathway", "ald", "non_conventionne", "other_paid"},
    "pharmacy": {"mr", "br", "quantity", "ald", "other_paid"},
    "dentist": {"mr", "br", "basket", "quantity", "ald", "other_paid"},
    "glasses": {"mr", "br", "basket", "lens_class", "network", "side", "other_paid"},
    "lab": {"mr", "br", "ald", "non_conventionne", "other_paid"},
    "imaging": {"doctor_fees", "mr", "ald", "non_conventionne", "other_paid"},
    "paramedical": {"mr", "quantity", "ald", "non_conventionne", "other_paid"},
    "practitioners": {"quantity", "ald", "other_paid"},
    "hearing": {"mr", "br", "basket", "side", "other_paid"},
}
ALWAYS = {"group", "benefit_code", "care_date", "provider", "amount", "currency", "documents"}


@pytest.fixture
def member(client):
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1))
    member_login(client, user.username, PASSWORD)
    return user


@pytest.fixture
def claim(member):
    return claim_create(member=member.member, beneficiary=None, name="Soins")


def post(client, claim, **fields):
    data = {
        "care_date": DAY.isoformat(),
        "provider": "Cabinet Durand",
        "amount": "60.00",
        "currency": "EUR",
        "documents": [receipt(salt=f"{fields}")],
    } | fields
    return client.post(f"/portal/claims/{claim.pk}/items/", data, **EN)


def test_every_kind_of_care_the_online_service_takes_is_in_one_group_and_nothing_it_refuses():
    plan = get_plan(PLAN)
    offered = [code for group in groups_for_plan(PLAN) for code in group.codes]
    assert len(offered) == len(set(offered))
    # The plan data's groups, in its sections' order, and no group of leftovers.
    declared = [key for section in plan.sections.values() for key in section.claim_groups]
    assert (
        [group.key for group in groups_for_plan(PLAN)]
        == declared
        == [
            "doctor",
            "pharmacy",
            "lab",
            "imaging",
            "paramedical",
            "dentist",
            "glasses",
            "hearing",
            "practitioners",
        ]
    )
    for benefit in plan.benefits:
        online = not plan.sections[benefit.section].by_post
        assert (group_of(PLAN, benefit.code) is not None) == online, benefit.code
    assert group_of(PLAN, "optical.equipment_100").key == "glasses"  # the quote's basket says which


@pytest.mark.parametrize("key", list(ASKED))
def test_each_kind_of_care_asks_only_its_questions(client, claim, key):
    page = client.get(f"/portal/claims/{claim.pk}/?care={key}", **EN)
    form = page.context["form"]
    assert set(form.fields) == ALWAYS | ASKED[key], key
    assert form["group"].value() == key
    html = unescape(page.content.decode())
    assert "Documents to attach for this care" in html and "the detailed, receipted invoice" in html


def test_the_first_step_lists_kinds_of_care_in_plain_words_and_says_what_goes_by_post(client, claim):
    page = unescape(client.get(f"/portal/claims/{claim.pk}/", **EN).content.decode())
    assert "What kind of care?" in page and "Glasses or contact lenses" in page and "?care=practitioners" in page
    limit = money_format(settings.CLAIMS_ONLINE_LIMIT_EUR, language="en")
    assert f"Not claimed online: Hospital, Thermal cures, and bills of {limit} or more" in page
    assert "Frais de séjour" not in page and "Hospital stay costs" not in page and 'name="benefit_code"' not in page


def test_the_doctors_fees_are_a_choice_with_its_meaning_and_a_default(client, claim):
    page = unescape(client.get(f"/portal/claims/{claim.pk}/?care=doctor", **EN).content.decode())
    assert "How does the doctor charge?" in page
    assert "The doctor charges the Assurance Maladie's rate (€30 for a GP visit). Most GPs do." in page
    assert client.get(f"/portal/claims/{claim.pk}/?care=doctor").context["form"]["doctor_fees"].value() == "sector_1"
    limit = money_format(settings.CLAIMS_ONLINE_LIMIT_EUR, language="en")
    assert f"A bill of {limit} or more is sent by post, even split into several care items" in page


def test_a_gp_visit_is_added_with_its_questions_only(client, claim):
    response = post(client, claim, group="doctor", benefit_code="care.gp", mr="19.00", doctor_fees="optam")
    assert response.status_code == 302
    item = claim.items.get()
    assert item.benefit_code == "care.gp" and item.mr == Decimal("19.00") and "dptm" in item.flags
    assert item.quantity == 1 and item.attributes == {}


def test_an_osteopath_needs_no_am_figure_and_what_is_typed_in_hidden_questions_is_not_kept(client, claim):
    response = post(
        client,
        claim,
        group="practitioners",
        benefit_code="prevention.osteopath",
        quantity="2",
        mr="10.00",  # typed while another care was chosen: the osteopath asks no AM figure
        doctor_fees="free",
        lens_class="simple",
    )
    assert response.status_code == 302, response.context["form"].errors
    item = claim.items.get()
    assert item.mr is None and item.quantity == 2 and item.flags == [] and item.attributes == {}


def test_glasses_at_100_sante_are_the_100_sante_care_and_need_no_lenses(client, claim):
    response = post(
        client, claim, group="glasses", benefit_code="optical.equipment", basket="100_sante", mr="10.00", br="20"
    )
    assert response.status_code == 302, response.context["form"].errors
    item = claim.items.get()
    assert item.benefit_code == "optical.equipment_100" and "lens_class" not in item.attributes


def test_glasses_at_free_prices_need_their_lenses(client, claim):
    response = post(
        client, claim, group="glasses", benefit_code="optical.equipment", basket="libre", mr="0.09", br="0.15"
    )
    assert response.status_code == 200 and not claim.items.exists()
    form = response.context["form"]
    assert "Say which lenses the quote shows" in form.errors["lens_class"][0]
    added = post(
        client,
        claim,
        group="glasses",
        benefit_code="optical.equipment",
        basket="libre",
        lens_class="complex",
        network="on",
        mr="0.09",
        br="0.15",
    )
    assert added.status_code == 302
    item = claim.items.get()
    assert item.benefit_code == "optical.equipment" and item.attributes == {"basket": "libre", "lens_class": "complex"}
    assert item.flags == ["network"]


def test_a_hearing_aid_asks_the_ear(client, claim):
    response = post(client, claim, group="hearing", benefit_code="hearing.aid", basket="libre", mr="240", br="400")
    assert "Say which side: left or right." in response.context["form"].errors["side"][0]


def test_an_invalid_post_comes_back_on_the_same_step_with_what_was_typed(client, claim):
    response = post(
        client, claim, group="doctor", benefit_code="care.specialist", amount="abc", mr="", provider="Dr Lee"
    )
    assert response.status_code == 200 and not claim.items.exists()
    form = response.context["form"]
    assert form.group.key == "doctor" and set(form.errors) >= {"amount", "documents"}
    html = unescape(response.content.decode())
    assert 'value="Dr Lee"' in html and 'value="care.specialist" id="id_benefit_code_1" data-needs' in html
    assert "Attach your documents again" in html and "Your care item is not added yet" in html
    checked = [option for option in form.care_options if option["checked"]]
    assert [option["code"] for option in checked] == ["care.specialist"]


def test_a_care_refused_online_posted_from_elsewhere_gets_the_reason(client, claim):
    response = post(client, claim, benefit_code="hosp.stay", mr="0")
    assert response.status_code == 200 and not claim.items.exists()
    assert "Hospital is not claimed online" in response.content.decode()


def fill(user, claim, count):
    for n in range(count):
        item = GP_VISIT | {"care_date": DAY - timedelta(days=n), "provider": f"Dr {n}"}
        claim_item_add(claim=claim, by=user, uploads=[receipt(salt=f"full-{claim.pk}-{n}")], **item)


def test_a_full_claim_offers_another_claim_for_the_same_person(client, member):
    child = BeneficiaryFactory(member=member.member, first_name="Léa")
    claim = claim_create(member=member.member, beneficiary=child, name="Léa")
    fill(member, claim, settings.CLAIMS_MAX_ITEMS)
    page = client.get(f"/portal/claims/{claim.pk}/?care=doctor", **EN)
    html = unescape(page.content.decode())
    assert "This claim is full: 10 care items" in html and f'action="/portal/claims/{claim.pk}/items/"' not in html
    assert f"/portal/claims/new/?person={child.pk}&amp;name=L%C3%A9a+%282%29&amp;care=doctor" in page.content.decode()
    start = client.get(f"/portal/claims/new/?person={child.pk}&name=L%C3%A9a+%282%29&care=doctor")
    assert start.context["form"]["person"].value() == str(child.pk)
    assert start.context["form"]["name"].value() == "Léa (2)"
    created = client.post("/portal/claims/new/", {"person": str(child.pk), "name": "Léa (2)", "care": "doctor"})
    second = Claim.objects.get(name="Léa (2)")
    assert second.beneficiary == child and created["Location"] == f"/portal/claims/{second.pk}/?care=doctor#add"


def test_an_eleventh_item_from_another_tab_gets_the_message_and_nothing_is_written(client, member, claim):
    page = client.get(f"/portal/claims/{claim.pk}/?care=doctor")  # the other tab, opened at 9 items
    assert page.context["form"] is not None
    fill(member, claim, settings.CLAIMS_MAX_ITEMS)
    documents = Document.objects.count()
    response = post(client, claim, group="doctor", benefit_code="care.gp", mr="19.00", doctor_fees="sector_1")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "A claim holds at most 10 care items: start another claim for the rest." in html
    assert "Your care item was not added and none of its documents was kept" in html
    assert "Start another claim" in html
    assert ClaimItem.objects.filter(claim=claim).count() == 10 and Document.objects.count() == documents
    # Invalid as well: the claim being full is what the member needs to hear.
    response = post(client, claim, group="doctor", benefit_code="care.gp", amount="")
    assert "at most 10 care items" in unescape(response.content.decode())


def test_one_bill_split_into_items_is_still_one_bill_for_the_500_eur_rule(client, claim):
    crown = {"group": "dentist", "benefit_code": "dental.crown_bridge", "basket": "libre", "mr": "75.25"}
    assert post(client, claim, **crown, amount="300.00", provider="Dr Martin").status_code == 302
    refused = post(client, claim, **crown, amount="250.00", provider=" dr   MARTIN ")
    assert refused.status_code == 200 and claim.items.count() == 1
    message = refused.context["form"].errors["amount"][0]
    assert "even split into several care items" in message and money_format(Decimal("550"), language="en") in message
    assert "Dr Martin" in unescape(refused.content.decode())  # typed values kept
    other_day = post(
        client, claim, **crown, amount="250.00", provider="Dr Martin", care_date=(DAY - timedelta(1)).isoformat()
    )
    assert other_day.status_code == 302 and claim.items.count() == 2


def test_the_service_says_the_split_bill_rule_whoever_calls_it(member, claim):
    claim_item_add(
        claim=claim,
        by=member,
        provider="Optique",
        uploads=[receipt(salt="a")],
        **(GP_VISIT | {"amount": Decimal("400.00"), "care_date": DAY}),
    )
    with translation.override("en"), pytest.raises(ValidationError, match="even split") as refused:
        claim_item_add(
            claim=claim,
            by=member,
            provider="optique",
            uploads=[receipt(salt="b")],
            **(GP_VISIT | {"amount": Decimal("100.00"), "care_date": DAY}),
        )
    assert refused.value.error_list[0].code == "over_limit"
    assert claim.items.count() == 1


def test_the_groups_words_come_from_the_plan_in_the_readers_language():
    from django.utils import translation

    doctor = next(group for group in groups_for_plan(PLAN) if group.key == "doctor")
    with translation.override("fr"):
        assert (str(doctor.label), str(doctor.provider_label)) == ("Une consultation chez un médecin", "Nom du médecin")
    with translation.override("es"):
        assert str(doctor.label) == "Una consulta médica"
    with translation.override("en"):
        assert str(doctor.label) == "A doctor's visit"


def test_the_international_plan_offers_its_sections_as_kinds_of_care():
    groups = {group.key: group for group in groups_for_plan("intl-staff")}
    assert list(groups) == [
        "section-inpatient",
        "section-outpatient",
        "section-maternity",
        "section-dental",
        "section-optical",
    ]  # evacuation goes by post
    from django.utils import translation

    with translation.override("en"):
        assert str(groups["section-outpatient"].label) == "Out-patient care"
        assert "Doctor's consultation" in str(groups["section-outpatient"].examples)
