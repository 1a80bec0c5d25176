"""Paying an AM file's acts: each matched to its person by the NIR's digest, checked for cover and
mapped to a benefit, then decided through the one pipeline (``benefits.pipeline``) and written by the
one writer (``benefits.decisions``), under row locks on the households the acts touch."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from engine import AdjudicationError, Counters, Household, get_plan
from mutua.benefits import adapter, reasons
from mutua.benefits.decisions import NewClaim, Received, claims_write
from mutua.benefits.models import Claim, ClaimItem
from mutua.benefits.pipeline import ACCEPTED, IN_REVIEW, Decision, Earlier, Line, decide_lines
from mutua.benefits.same_care import SameCare
from mutua.benefits.selectors import sent_care
from mutua.benefits.services import claim_item_am_correct
from mutua.contracts.models import TELETRANSMISSION_WORKFLOW, Beneficiary, GroupContract, Member, Teletransmission
from mutua.contracts.selectors import Coverage, beneficiary_coverage_on, subscriber_coverage_on
from mutua.core.crypto import search_digest
from mutua.core.workflow import status_change_many
from mutua.teletransmission import fileformat
from mutua.teletransmission.fileformat import ActLine
from mutua.teletransmission.mappings import MappingTable
from mutua.teletransmission.models import ActMapping, AmException, AmFile, ExceptionReason

ZERO = Decimal("0.00")


@dataclass
class Person:
    member: Member
    beneficiary: Beneficiary | None

    @property
    def key(self) -> str:
        return adapter.person_key(
            member_id=self.member.pk, beneficiary_id=self.beneficiary.pk if self.beneficiary else None
        )

    @property
    def birth_date(self) -> date:
        return (self.beneficiary or self.member).birth_date


@dataclass
class Outcome:
    accepted: int = 0
    review: int = 0
    rejected: int = 0
    paid: Decimal = ZERO
    item_ids: list[int] = field(default_factory=list)
    held: list[ActLine] = field(default_factory=list)  # households another worker held: not processed
    unpaid: list[AmException] = field(default_factory=list)  # not saved: the caller decides how

    @property
    def exceptions(self) -> int:
        return len(self.unpaid)

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "review": self.review,
            "rejected": self.rejected,
            "exceptions": self.exceptions,
            "paid": f"{self.paid:.2f}",
        }


@dataclass
class _Line:
    """An act on its way to a claim item: where it stands after matching and the engine."""

    act: ActLine
    person: Person
    benefit_code: str
    attributes: dict[str, str]
    flags: frozenset[str]
    plan_code: str
    tiers: tuple[str, ...]

    @property
    def am_rate(self) -> Decimal | None:
        # Outside the care pathway the file gives the reduced rate: the engine applies it to doctors
        # itself, from the normal rate, so that the difference is never paid as a ticket modérateur.
        return None if "outside_pathway" in self.flags else Decimal(self.act.rate) / 100


class HouseholdsBusy(Exception):
    """Another worker holds one of the chunk's households: take another chunk meanwhile."""


def claim_source(am_file: AmFile) -> str:
    """What the claims of a file name as their source."""
    return f"AM {am_file.file_id}"


def _source_ref(am_file: AmFile, seq: int) -> str:
    return f"{claim_source(am_file)} #{seq}"


def _households(digests: set[str], *, wait: bool) -> tuple[list[Member], dict[str, set[int]]]:
    """The households these NIRs belong to, locked (in primary-key order) and loaded whole, and the
    households of each NIR. ``wait=False``: the households another worker holds are left out."""
    of_digest: dict[str, set[int]] = defaultdict(set)
    for digest, member_id in Member.objects.filter(nir_digest__in=digests).values_list("nir_digest", "pk"):
        of_digest[digest].add(member_id)
    for digest, member_id in Beneficiary.objects.filter(nir_digest__in=digests).values_list("nir_digest", "member_id"):
        of_digest[digest].add(member_id)
    return households_lock(set().union(*of_digest.values()), wait=wait), of_digest


def households_lock(ids: set[int], *, wait: bool = True) -> list[Member]:
    """``wait=False``: skip the households another transaction holds rather than wait for them (two
    workers sharing a household would otherwise take turns); ``HouseholdsBusy`` when it holds them all."""
    locked = set(Member.objects.select_for_update(skip_locked=not wait).filter(pk__in=ids).values_list("pk", flat=True))
    if ids and not locked:
        raise HouseholdsBusy
    # The NIR and IBAN are not needed (matching uses their digests): not decrypting them saves most of the time.
    beneficiaries = Beneficiary.objects.defer("nir").prefetch_related("situations")
    members = list(
        Member.objects.filter(pk__in=locked)
        .defer("nir", "iban")
        .prefetch_related(Prefetch("beneficiaries", queryset=beneficiaries))
        .order_by("pk")
    )
    # The households share a few contracts: each is loaded once with its plans, not once per member.
    contracts = GroupContract.objects.prefetch_related("plans").in_bulk({member.contract_id for member in members})
    for member in members:
        member.contract = contracts.get(member.contract_id)
    return members


class _Unmatched(Exception):
    def __init__(self, reason: ExceptionReason, detail: str = "", member: Member | None = None) -> None:
        self.reason, self.detail, self.member = reason, detail, member


def _owners(households: list[Member]) -> dict[str, list[Person]]:
    owners: dict[str, list[Person]] = defaultdict(list)
    for member in households:
        if member.nir_digest:
            owners[member.nir_digest].append(Person(member, None))
        for beneficiary in member.beneficiaries.all():
            if beneficiary.nir_digest:
                owners[beneficiary.nir_digest].append(Person(member, beneficiary))
    return owners


def _match(act: ActLine, digest: str, owners: dict[str, list[Person]]) -> Person:
    """Rank 0 is the insured (the owner of the NIR), as is rank 1 when that is the subscriber (the
    household's rank 1); otherwise the beneficiary of that rank in the household."""
    found = owners.get(digest, [])
    if not found:
        raise _Unmatched(ExceptionReason.UNKNOWN_INSURED)
    if len(found) > 1:
        raise _Unmatched(ExceptionReason.SEVERAL_PERSONS)
    owner = found[0]
    if act.rank == 0 or (act.rank == 1 and owner.beneficiary is None):
        person = owner
    else:
        beneficiary = next((b for b in owner.member.beneficiaries.all() if b.rank == act.rank), None)
        person = Person(owner.member, beneficiary)
        if beneficiary is None:
            raise _Unmatched(ExceptionReason.NO_SUCH_PERSON, member=owner.member)
    if person.birth_date != act.birth_date:
        raise _Unmatched(ExceptionReason.NO_SUCH_PERSON, member=owner.member)
    return person


def _prepare(act: ActLine, person: Person, mappings: MappingTable, coverages: dict[tuple, Coverage]) -> _Line:
    """Cover on the care date and the benefit the act is paid under, or why not."""
    coverage = coverages.get((person.key, act.care_date))
    if coverage is None:
        if person.beneficiary is None:
            coverage = subscriber_coverage_on(member=person.member, day=act.care_date)
        else:
            coverage = beneficiary_coverage_on(beneficiary=person.beneficiary, day=act.care_date)
        coverages[(person.key, act.care_date)] = coverage
    if not coverage.covered:
        raise _Unmatched(ExceptionReason.NOT_COVERED, str(coverage.explanation), person.member)
    mapping = mappings.find(act.system, act.code)
    if mapping is None:
        raise _Unmatched(ExceptionReason.UNMAPPED_ACT, f"{act.system} {act.code}", person.member)
    if get_plan(coverage.plan_code).benefit(mapping.benefit_code) is None:
        raise _Unmatched(
            ExceptionReason.NOT_IN_PLAN, f"{act.system} {act.code} → {mapping.benefit_code}", person.member
        )
    return _Line(
        act=act,
        person=person,
        benefit_code=mapping.benefit_code,
        attributes=mapping.attributes,
        flags=act.flags | frozenset(mapping.flags),
        plan_code=coverage.plan_code,
        tiers=coverage.tiers,
    )


def _mapping_table() -> MappingTable:
    return MappingTable(list(ActMapping.objects.values_list("system", "code", "benefit_code", "attributes", "flags")))


def acts_pay(am_file: AmFile, acts: list[ActLine], *, person: Person | None = None, wait: bool = True) -> Outcome:
    """Match, check and pay acts, in one transaction with the households locked; the lines that
    cannot be paid are returned as exceptions, unsaved.

    ``person`` is a handler's choice for a line whose person could not be found by its NIR.
    """
    digests = {act.nir: search_digest(act.nir) for act in acts}
    outcome = Outcome()
    if person is None:
        households, of_digest = _households(set(digests.values()), wait=wait)
        held = set().union(*of_digest.values()) - {member.pk for member in households}
        if held:  # another worker holds them: these lines wait in a chunk of their own
            outcome.held = [act for act in acts if of_digest.get(digests[act.nir], set()) & held]
            acts = [act for act in acts if not of_digest.get(digests[act.nir], set()) & held]
    else:
        households = households_lock({person.member.pk})
        member = households[0]
        chosen = person.beneficiary.pk if person.beneficiary else None
        person = Person(member, next((b for b in member.beneficiaries.all() if b.pk == chosen), None))
    owners = _owners(households)
    mappings = _mapping_table()
    lines: list[_Line] = []
    coverages: dict[tuple, Coverage] = {}
    for act in acts:
        try:
            line = _prepare(act, person or _match(act, digests[act.nir], owners), mappings, coverages)
        except _Unmatched as unmatched:
            outcome.unpaid.append(_exception(am_file, act, digests[act.nir], unmatched))
            continue
        lines.append(line)
    if lines:
        _decide(am_file, lines, {member.pk: adapter.household(member) for member in households}, outcome)
        _activate_teletransmission([line.person for line in lines])
    return outcome


def _exception(am_file: AmFile, act: ActLine, digest: str, unmatched: _Unmatched) -> AmException:
    return AmException(
        file=am_file,
        seq=act.seq,
        reason=unmatched.reason,
        detail=unmatched.detail,
        record=fileformat.act_record(act),
        nir_digest=digest,
        care_date=act.care_date,
        act=f"{act.system} {act.code}",
        charged=act.charged,
        mr=act.mr,
        member=unmatched.member,
    )


def _decide(am_file: AmFile, lines: list[_Line], households: dict[int, Household], outcome: Outcome) -> None:
    """The chunk's lines through the one pipeline, then its one writer; ``households`` as the engine
    sees them, from the households already loaded for cover."""
    now = timezone.now()
    member_ids = {line.person.member.pk for line in lines}
    first, last = min(line.act.care_date for line in lines), max(line.act.care_date for line in lines)
    same_care = SameCare(sent_care(member_ids=member_ids, first=first, last=last))
    counters = adapter.counters_of(member_ids, since=first)
    limits = reasons.limits_today()
    decided = []
    for line in lines:
        act, person = line.act, line.person
        source_ref = _source_ref(am_file, act.seq)
        earlier = same_care.find(
            member_id=person.member.pk,
            beneficiary_id=person.beneficiary.pk if person.beneficiary else None,
            benefit_code=line.benefit_code,
            care_date=act.care_date,
            amount=act.charged,
            channel=reasons.TELETRANSMISSION,
            provider=act.provider,
            source=claim_source(am_file),
        )
        if earlier is not None and earlier.paid:
            earlier = _correct_on_the_am_figures(earlier, line, counters, source=source_ref)
        decided.append(
            Line(
                care=adapter.care_line_of(
                    line_id=source_ref,
                    person=person.key,
                    on=act.care_date,
                    benefit_code=line.benefit_code,
                    amount=act.charged,
                    br=act.br,
                    mr=act.mr,
                    am_rate=line.am_rate,
                    quantity=act.quantity,
                    flags=line.flags,
                    attributes=line.attributes,
                ),
                household=person.member.pk,
                plan_code=line.plan_code,
                tiers=line.tiers,
                facts=reasons.line_facts(
                    plan_code=line.plan_code,
                    benefit_code=line.benefit_code,
                    channel=reasons.TELETRANSMISSION,
                    care_date=act.care_date,
                    amount=act.charged,
                    converted=False,
                    flags=line.flags,
                    mr=act.mr,
                    same_care=earlier is not None,
                ),
                earlier=earlier,
            )
        )
    decisions = decide_lines(decided, households=households, counters=counters, limits=limits)
    for decision in decisions:
        if decision.status == ACCEPTED:
            outcome.accepted += 1
            outcome.paid += decision.paid
        elif decision.status == IN_REVIEW:
            outcome.review += 1
        else:
            outcome.rejected += 1
    outcome.item_ids = _write(am_file, lines, decisions, now)


def _correct_on_the_am_figures(earlier: Earlier, line: _Line, counters: dict[int, Counters], *, source: str) -> Earlier:
    """Care paid on typed figures (online, a hospital's invoice) is computed again on the AM's; the
    household's counters of this chunk follow the new amounts. The AM's line is then the same care,
    already paid; when the rules cannot compute the care on the AM's figures, a handler compares them."""
    act, member_id = line.act, line.person.member.pk
    history = counters.get(member_id, Counters())
    same = ClaimItem.objects.select_related("claim").get(pk=earlier.item_id)
    try:
        usages = claim_item_am_correct(
            item=same, br=act.br, mr=act.mr, am_rate=line.am_rate, source=source, history=history
        )
    except AdjudicationError:
        return replace(earlier, paid=False)
    if usages is not None:
        counters[member_id] = history.without_lines({same.line_id}).plus(tuple(usages))
    return earlier


def _write(am_file: AmFile, lines: list[_Line], decisions: list[Decision], now: datetime) -> list[int]:
    """A person's decided items make one claim, paid at once; their items waiting for a handler make
    another, so that a pair of glasses under review never holds back a consultation's payment."""
    by_claim: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for index, (line, decision) in enumerate(zip(lines, decisions, strict=True)):
        by_claim[(line.person.key, decision.status == IN_REVIEW)].append(index)
    name = f"Assurance Maladie {am_file.created_at:%d/%m/%Y}"
    claims = [
        NewClaim(
            member_id=lines[indexes[0]].person.member.pk,
            beneficiary_id=lines[indexes[0]].person.beneficiary.pk if lines[indexes[0]].person.beneficiary else None,
            channel=Claim.Channel.TELETRANSMISSION,
            name=name,
            source=claim_source(am_file),
            indexes=tuple(indexes),
        )
        for indexes in by_claim.values()
    ]
    return claims_write(
        claims=claims,
        decisions=decisions,
        items=[Received(provider=line.act.provider, source_ref=_source_ref(am_file, line.act.seq)) for line in lines],
        now=now,
        reason=_("sent by the Assurance Maladie"),
    )


def _activate_teletransmission(people: list[Person]) -> None:
    """A person whose statements the AM sends us is evidently set up: "being set up" becomes "active"."""
    for model, ids in (
        (Member, {p.member.pk for p in people if p.beneficiary is None}),
        (Beneficiary, {p.beneficiary.pk for p in people if p.beneficiary is not None}),
    ):
        status_change_many(
            queryset=model.objects.filter(pk__in=ids, teletransmission=Teletransmission.PENDING),
            workflow=TELETRANSMISSION_WORKFLOW,
            to_status=Teletransmission.ACTIVE,
            by=None,
            reason=_("statements received from the Assurance Maladie"),
        )
