"""Paying an AM file's acts: each matched to its person by the NIR's digest, checked for cover and
mapped to a benefit, then decided through the one pipeline (``benefits.pipeline``) and written by the
one writer (``benefits.decisions``), under row locks on the households the acts touch."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

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
from mutua.contracts.cover import Coverage, CoveredPerson, households_cover
from mutua.contracts.models import TELETRANSMISSION_WORKFLOW, Beneficiary, Member, Teletransmission
from mutua.core.crypto import search_digest
from mutua.core.workflow import status_change_many
from mutua.teletransmission import fileformat
from mutua.teletransmission.fileformat import ActLine
from mutua.teletransmission.mappings import MappingTable
from mutua.teletransmission.models import ActMapping, AmException, AmFile, ExceptionReason

ZERO = Decimal("0.00")


def _key(person: CoveredPerson) -> str:
    return adapter.person_key(member_id=person.member_id, beneficiary_id=person.beneficiary_id)


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
    person: CoveredPerson
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


Households = dict[int, tuple[CoveredPerson, ...]]


def _households(digests: set[str], *, wait: bool) -> tuple[Households, dict[str, set[int]]]:
    """The households these NIRs belong to, locked (in primary-key order) and read as values, and the
    households of each NIR. ``wait=False``: the households another worker holds are left out."""
    of_digest: dict[str, set[int]] = defaultdict(set)
    for digest, member_id in Member.objects.filter(nir_digest__in=digests).values_list("nir_digest", "pk"):
        of_digest[digest].add(member_id)
    for digest, member_id in Beneficiary.objects.filter(nir_digest__in=digests).values_list("nir_digest", "member_id"):
        of_digest[digest].add(member_id)
    return households_lock(set().union(*of_digest.values()), wait=wait), of_digest


def households_lock(ids: set[int], *, wait: bool = True) -> Households:
    """``wait=False``: skip the households another transaction holds rather than wait for them (two
    workers sharing a household would otherwise take turns); ``HouseholdsBusy`` when it holds them all."""
    locked = set(Member.objects.select_for_update(skip_locked=not wait).filter(pk__in=ids).values_list("pk", flat=True))
    if ids and not locked:
        raise HouseholdsBusy
    return households_cover(locked)


class _Unmatched(Exception):
    def __init__(self, reason: ExceptionReason, detail: str = "", member_id: int | None = None) -> None:
        self.reason, self.detail, self.member_id = reason, detail, member_id


def _owners(households: Households) -> dict[str, list[CoveredPerson]]:
    owners: dict[str, list[CoveredPerson]] = defaultdict(list)
    for people in households.values():
        for person in people:
            if person.nir_digest:
                owners[person.nir_digest].append(person)
    return owners


def _match(act: ActLine, digest: str, owners: dict[str, list[CoveredPerson]], households: Households) -> CoveredPerson:
    """Rank 0 is the insured (the owner of the NIR), as is rank 1 when that is the subscriber (the
    household's rank 1); otherwise the beneficiary of that rank in the household."""
    found = owners.get(digest, [])
    if not found:
        raise _Unmatched(ExceptionReason.UNKNOWN_INSURED)
    if len(found) > 1:
        raise _Unmatched(ExceptionReason.SEVERAL_PERSONS)
    owner = found[0]
    if act.rank == 0 or (act.rank == 1 and owner.beneficiary_id is None):
        person = owner
    else:
        beneficiaries = households[owner.member_id][1:]
        person = next((b for b in beneficiaries if b.rank == act.rank), None)
        if person is None:
            raise _Unmatched(ExceptionReason.NO_SUCH_PERSON, member_id=owner.member_id)
    if person.birth_date != act.birth_date:
        raise _Unmatched(ExceptionReason.NO_SUCH_PERSON, member_id=owner.member_id)
    return person


def _prepare(act: ActLine, person: CoveredPerson, mappings: MappingTable, coverages: dict[tuple, Coverage]) -> _Line:
    """Cover on the care date and the benefit the act is paid under, or why not."""
    seen = (person.member_id, person.beneficiary_id, act.care_date)
    coverage = coverages.get(seen)
    if coverage is None:
        coverage = coverages[seen] = person.coverage_on(act.care_date)
    if not coverage.covered:
        raise _Unmatched(ExceptionReason.NOT_COVERED, str(coverage.explanation), person.member_id)
    mapping = mappings.find(act.system, act.code)
    if mapping is None:
        raise _Unmatched(ExceptionReason.UNMAPPED_ACT, f"{act.system} {act.code}", person.member_id)
    if get_plan(coverage.plan_code).benefit(mapping.benefit_code) is None:
        raise _Unmatched(
            ExceptionReason.NOT_IN_PLAN, f"{act.system} {act.code} → {mapping.benefit_code}", person.member_id
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


def acts_pay(
    am_file: AmFile, acts: list[ActLine], *, person: tuple[int, int | None] | None = None, wait: bool = True
) -> Outcome:
    """Match, check and pay acts, in one transaction with the households locked; the lines that
    cannot be paid are returned as exceptions, unsaved.

    ``person`` is a handler's choice, (member id, beneficiary id or None), for a line whose person
    could not be found by its NIR.
    """
    digests = {act.nir: search_digest(act.nir) for act in acts}
    outcome = Outcome()
    chosen = None
    if person is None:
        households, of_digest = _households(set(digests.values()), wait=wait)
        held = set().union(*of_digest.values()) - households.keys()
        if held:  # another worker holds them: these lines wait in a chunk of their own
            outcome.held = [act for act in acts if of_digest.get(digests[act.nir], set()) & held]
            acts = [act for act in acts if not of_digest.get(digests[act.nir], set()) & held]
    else:
        member_id, beneficiary_id = person
        households = households_lock({member_id})
        chosen = next(p for p in households[member_id] if p.beneficiary_id == beneficiary_id)
    owners = _owners(households)
    mappings = _mapping_table()
    lines: list[_Line] = []
    coverages: dict[tuple, Coverage] = {}
    for act in acts:
        try:
            line = _prepare(act, chosen or _match(act, digests[act.nir], owners, households), mappings, coverages)
        except _Unmatched as unmatched:
            outcome.unpaid.append(_exception(am_file, act, digests[act.nir], unmatched))
            continue
        lines.append(line)
    if lines:
        engine_households = {
            member_id: Household(
                tuple(
                    adapter.engine_member(
                        member_id=p.member_id,
                        beneficiary_id=p.beneficiary_id,
                        birth_date=p.birth_date,
                        relationship=p.relationship,
                        duty_station=p.duty_station,
                    )
                    for p in people
                )
            )
            for member_id, people in households.items()
        }
        _decide(am_file, lines, engine_households, outcome)
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
        member_id=unmatched.member_id,
    )


def _decide(am_file: AmFile, lines: list[_Line], households: dict[int, Household], outcome: Outcome) -> None:
    """The chunk's lines through the one pipeline, then its one writer; ``households`` as the engine
    sees them, from the households already loaded for cover."""
    now = timezone.now()
    member_ids = {line.person.member_id for line in lines}
    first, last = min(line.act.care_date for line in lines), max(line.act.care_date for line in lines)
    same_care = SameCare(sent_care(member_ids=member_ids, first=first, last=last))
    counters = adapter.counters_of(member_ids, since=first)
    limits = reasons.limits_today()
    decided = []
    for line in lines:
        act, person = line.act, line.person
        source_ref = _source_ref(am_file, act.seq)
        earlier = same_care.find(
            member_id=person.member_id,
            beneficiary_id=person.beneficiary_id,
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
                    person=_key(person),
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
                household=person.member_id,
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
    act, member_id = line.act, line.person.member_id
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
        by_claim[(_key(line.person), decision.status == IN_REVIEW)].append(index)
    name = f"Assurance Maladie {am_file.created_at:%d/%m/%Y}"
    claims = [
        NewClaim(
            member_id=lines[indexes[0]].person.member_id,
            beneficiary_id=lines[indexes[0]].person.beneficiary_id,
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


def _activate_teletransmission(people: list[CoveredPerson]) -> None:
    """A person whose statements the AM sends us is evidently set up: "being set up" becomes "active"."""
    for model, ids in (
        (Member, {p.member_id for p in people if p.beneficiary_id is None}),
        (Beneficiary, {p.beneficiary_id for p in people if p.beneficiary_id is not None}),
    ):
        status_change_many(
            queryset=model.objects.filter(pk__in=ids, teletransmission=Teletransmission.PENDING),
            workflow=TELETRANSMISSION_WORKFLOW,
            to_status=Teletransmission.ACTIVE,
            by=None,
            reason=_("statements received from the Assurance Maladie"),
        )
