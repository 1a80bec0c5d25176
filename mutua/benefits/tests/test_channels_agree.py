"""The same care lines reach the plan online, in the AM's file and on a hospital's invoice: the channels
must give the engine the same line and get the same decision, the same amounts on the items and the
same counter usages. Compared channel against channel, never against figures written here, so that a
rule that changes changes every channel or fails this test."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from engine import get_plan
from engine.parameters import default_parameters
from mutua.accounts.tests.factories import MemberUserFactory
from mutua.benefits import services as benefits_services
from mutua.benefits.models import ClaimItem, CounterUsage
from mutua.benefits.pipeline import ACCEPTED
from mutua.claims.tests.helpers import receipt, submitted_claim
from mutua.core.crypto import search_digest
from mutua.guarantees.models import Guarantee
from mutua.guarantees.requests import guarantee_request
from mutua.guarantees.settlement import guarantee_settle
from mutua.guarantees.stays import Cost
from mutua.guarantees.tests.planned import stay_over
from mutua.providers.tests.factories import ProviderFactory, ProviderUserFactory
from mutua.teletransmission import fakes, paying
from mutua.teletransmission import services as teletransmission
from mutua.teletransmission.models import ActMapping
from mutua.teletransmission.tests.helpers import SUBSCRIBER_NIR, write

pytestmark = pytest.mark.django_db
BORN = date(1985, 4, 1)
ALL = ("online", "am", "hospital")


@dataclass(frozen=True)
class Care:
    """One care line, given to each channel in its own terms, with the same figures everywhere."""

    benefit_code: str
    act: tuple[str, str]  # how the AM's file names it; its mapping is (re)made here with ``flags``
    amount: str
    br: str
    mr: str
    rate: int  # the AM's rate in %, which only its file states
    quantity: int = 1
    dptm: bool = False  # online: controlled fees (OPTAM); hospital: Cost.dptm; AM: the DPTM qualifier
    flags: tuple[str, ...] = ()  # online: typed; AM: the mapping's; hospital: from the kind of stay


# A psychiatric stay, whose private-room days are counted (90 a year): fees of a DPTM doctor the AM
# covers, two days of room and of daily charge. A hospital's invoice carries only the stay's costs.
# The AM covers neither room nor charge and would never send them: the mappings made here send them
# anyway, its part and BR at 0.00 as typed elsewhere, so that the rest of the chain is compared.
PSY = ("psychiatry",)
STAY = (
    Care("hosp.surgeon_fees", ("CCAM", "NFKA007"), "150.00", "100.00", "80.00", 80, dptm=True, flags=PSY),
    Care("hosp.rehab_private_room", ("NGAP", "CHP"), "180.00", "0.00", "0.00", 0, quantity=2, flags=PSY),
    Care("hosp.daily_forfait", ("NGAP", "FJP"), "30.00", "0.00", "0.00", 0, quantity=2, flags=PSY),
)
# Everyday care, whose AM deductions are counted: no hospital invoice carries it, so online and AM only.
VISITS = (
    Care("care.specialist", ("NGAP", "CS"), "60.00", "30.00", "19.00", 70, dptm=True),
    Care("care.medicines", ("NGAP", "PH7"), "12.50", "12.50", "7.13", 65),
)


def member_user(**member):
    """Households alike but for who they are: one channel's care is never another's duplicate."""
    return MemberUserFactory(member__cover_start=date(2020, 1, 1), member__birth_date=BORN, **member)


def online(care_date, stay, run_tasks, tmp_path):
    user = member_user()
    fees = {True: "optam", False: "free"}
    items = [
        {"benefit_code": c.benefit_code, "care_date": care_date, "amount": Decimal(c.amount), "br": Decimal(c.br)}
        | {"mr": Decimal(c.mr), "quantity": c.quantity, "flags": list(c.flags), "doctor_fees": fees[c.dptm]}
        for c in stay
    ]
    run_tasks(submitted_claim, user, items)
    return user


def am_file(care_date, stay, run_tasks, tmp_path):
    user = member_user(member__nir=SUBSCRIBER_NIR, member__nir_digest=search_digest(SUBSCRIBER_NIR))
    acts = []
    for seq, c in enumerate(stay, start=1):
        system, code = c.act
        ActMapping.objects.update_or_create(
            system=system, code=code, defaults={"benefit_code": c.benefit_code, "flags": list(c.flags)}
        )
        line = fakes.act_line(seq, SUBSCRIBER_NIR, birth_date=BORN, care_date=care_date, system=system, code=code)
        figures = {"charged": Decimal(c.amount), "br": Decimal(c.br), "mr": Decimal(c.mr), "rate": c.rate}
        overrun = max(figures["charged"] - figures["br"], Decimal("0.00"))
        qualifiers = ("DPTM",) if c.dptm else ()
        acts.append(replace(line, **figures, overrun=overrun, quantity=c.quantity, qualifiers=qualifiers))
    # Created today: a file cannot state care after its own date.
    text = fakes.file_text(acts, file_id="F-AGREE", created=datetime.combine(timezone.localdate(), time(6)))
    teletransmission.am_file_drain(am_file_id=teletransmission.am_file_import(path=write(tmp_path, text)).pk)
    return user


def hospital(care_date, stay, run_tasks, tmp_path):
    user, clinic = member_user(), ProviderFactory(in_network=True)
    costs = [Cost(c.benefit_code, Decimal(c.amount), br=Decimal(c.br), quantity=c.quantity, dptm=c.dptm) for c in stay]
    assert all(c.flags == PSY for c in stay)  # what a psychiatric stay sets on each of its lines
    admission = timezone.localdate() + timedelta(days=5)
    guarantee = guarantee_request(
        member=user.member,
        beneficiary=None,
        by=user,
        channel=Guarantee.Channel.PORTAL,
        kind=Guarantee.Kind.PLANNED,
        stay_kind=Guarantee.StayKind.PSYCHIATRIC,
        admission_date=admission,
        expected_discharge=admission + timedelta(days=3),
        provider=clinic,
        # With the stay's own costs the guarantee is far above these lines: their decision is the
        # engine's alone, not the ceiling's (which only a hospital invoice has).
        costs=[*costs, Cost("hosp.rehab_stay", Decimal("3000.00"), br=Decimal("2500.00"))],
    )
    guarantee = stay_over(guarantee, days_ago=(timezone.localdate() - care_date).days)
    assert guarantee.status == Guarantee.Status.ISSUED and guarantee.valid_from == care_date
    invoice = [(care_date, replace(cost, am_paid=Decimal(c.mr))) for cost, c in zip(costs, stay, strict=True)]
    provider_user = ProviderUserFactory(provider=clinic)
    guarantee_settle(guarantee=guarantee, by=provider_user, invoice_number="F-1", invoice=receipt(), costs=invoice)
    return user


CHANNELS = {"online": online, "am": am_file, "hospital": hospital}


@pytest.fixture
def decided(monkeypatch):
    """Every decision ``decide_lines`` returns, where the claims (online, hospital) and the AM file call it."""
    seen = []

    def spy(real):
        def decide_lines(lines, **kwargs):
            seen.extend(decisions := real(lines, **kwargs))
            return decisions

        return decide_lines

    for module in (benefits_services, paying):
        monkeypatch.setattr(module, "decide_lines", spy(module.decide_lines))
    return seen


def plan_rate(care) -> Decimal | None:
    """The AM's rate the engine takes for a line that states none; None for care the AM does not
    cover, whose rate the engine never reads."""
    scheme = get_plan("fr-base-surco").benefit(care.benefit).am
    return None if scheme == "none" else default_parameters().value(f"am_rate.{scheme}", care.date)


def engine_view(decision):
    """The engine's input and the decision, without what names the line or the person."""
    care, result = decision.line.care, decision.result
    if result is not None:
        person = {care.member: "person"}
        usages = tuple(replace(u, line_id="", scope=person.get(u.scope, u.scope)) for u in result.usages)
        result = replace(result, line_id="", member="", usages=usages)
    # Only the AM's file states its rate: it must be the plan's, or one the engine never reads.
    assert care.am_rate is None or plan_rate(care) in (None, care.am_rate), care
    # Only the hospital knows where the care was given (its own country); a plan without zones never reads it.
    assert get_plan("fr-base-surco").zones is None and care.country in ("", "FR"), care
    care = replace(care, id="", member="", am_rate=None, country="")
    return care, decision.status, decision.reasons, decision.rejection, result


def written(user):
    """What a channel wrote per care line: its item's decision and amounts, the counters it consumed."""
    fields = ("status", "review_reasons", "am_paid", "tiers_paid", "paid_total", "out_of_pocket")
    person, usages = f"m{user.member.pk}", CounterUsage.objects.filter(member=user.member)
    return {
        item.benefit_code: (
            [getattr(item, name) for name in fields],
            sorted(
                (u.counter, "person" if u.scope == person else u.scope, u.slot, u.on, u.amount, u.count)
                for u in usages.filter(line_id=f"item-{item.pk}")
            ),
        )
        for item in ClaimItem.objects.filter(claim__member=user.member)
    }


def through(channels, stay, decided, run_tasks, tmp_path, monkeypatch):
    """Per channel: the raw decisions, and per benefit what the engine saw and what was written."""
    # A hospital's costs claimed online, as the others carry them (the plan sends them by post).
    monkeypatch.setattr("mutua.benefits.rules.sent_by_post", lambda **_: False)
    care_date = timezone.localdate() - timedelta(days=10)
    seen = {}
    for channel in channels:
        decided.clear()
        user = CHANNELS[channel](care_date, stay, run_tasks, tmp_path)
        views = {d.line.care.benefit: engine_view(d) for d in decided}
        stored = written(user)
        assert len(decided) == len(views) == len(stored) == len(stay), channel  # one per line, none lost
        seen[channel] = list(decided), views, stored
    return seen


@pytest.mark.parametrize(("stay", "channels"), [(STAY, ALL), (VISITS, ("online", "am"))], ids=["stay", "visits"])
def test_the_same_care_gets_the_same_decision_whatever_the_channel(
    stay, channels, decided, run_tasks, tmp_path, monkeypatch
):
    seen = through(channels, stay, decided, run_tasks, tmp_path, monkeypatch)
    first, *others = channels
    for care in stay:
        code = care.benefit_code
        for other in others:
            assert seen[other][1][code] == seen[first][1][code], (other, code)  # engine input and decision
            assert seen[other][2][code] == seen[first][2][code], (other, code)  # item and its counters
    # Not equal by being empty: every line is paid something, and counters are consumed.
    assert all(d.status == ACCEPTED and d.paid > 0 for d in seen[first][0])
    assert any(usages for _item, usages in seen[first][2].values())


def test_a_line_a_handler_must_see_waits_for_the_same_reasons(decided, run_tasks, tmp_path, monkeypatch):
    """Hospital costs under a handler's check (a review section) wait in all three channels.

    Fees the AM paid nothing for also wait online and on the invoice, where someone typed that zero; in
    the AM's own file the zero is the AM's statement and is paid on it (``reasons.AM_FIGURES_TYPED``), so
    there the line waits for the section alone. The AM's part left out (``am_part_missing``) is compared
    nowhere: online refuses such an item when it is typed, and the AM's file always states its part.
    """
    monkeypatch.setattr(
        "mutua.benefits.reasons.reviewed_section", lambda *, plan_code, section: section == "hospitalisation"
    )
    fees, room, _charge = STAY
    stay = (replace(fees, mr="0.00"), room)
    seen = through(ALL, stay, decided, run_tasks, tmp_path, monkeypatch)
    for care in stay:
        code = care.benefit_code
        reasons = {channel: seen[channel][1][code][2] for channel in ALL}
        stored = {channel: tuple(seen[channel][2][code][0][1]) for channel in ALL}
        assert reasons == stored  # what was decided is what was written
        assert "review_section" in reasons["online"]
        assert reasons["online"] == reasons["hospital"]
        assert reasons["am"] == tuple(reason for reason in reasons["online"] if reason != "am_paid_nothing")
        assert all(seen[channel][2][code][1] == [] for channel in ALL)  # a waiting line consumes nothing
    assert "am_paid_nothing" in seen["hospital"][1][fees.benefit_code][2]
