"""The AM statement file, version 1 (``docs/teletransmission.md``): reading and checking it.

No database here: a file is read and checked whole, and either every record is valid or the
problems are returned with their line numbers, so that nothing of a broken file is ever used.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FORMAT = "MUTUA-AM"
VERSION = "1"
HEADER, ACT, TRAILER = "000", "255", "990"
HEADER_FIELDS, ACT_FIELDS, TRAILER_FIELDS = 7, 16, 5
SEPARATOR = "|"
# Past this many, the report says how many more there are instead of listing them.
MAX_PROBLEMS_LISTED = 100

# Qualifiers of an act and the engine flag each one sets.
QUALIFIER_FLAGS = {
    "DPTM": "dptm",  # doctor in OPTAM / DPTM
    "HP": "outside_pathway",  # outside the coordinated care pathway ("hors parcours")
    "ALD": "ald",  # long-term illness, 100 % AM
    "NC": "non_conventionne",  # provider outside the AM convention
    "ACC": "accident",
    "MAT": "maternity",
    "EXO": "deductions_exempt",  # no participation forfaitaire nor franchise withheld
}
CODE_PATTERNS = {
    "NGAP": re.compile(r"[A-Z]{1,4}[0-9]?"),  # key letters: G, CS, AMK, PH7…
    "CCAM": re.compile(r"[A-Z]{4}[0-9]{3}"),  # HBLD634…
    "LPP": re.compile(r"[0-9]{7}"),  # 2243304…
}
FILE_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
AMOUNT = re.compile(r"[0-9]{1,8}\.[0-9]{2}")
PROVIDER = re.compile(r"[0-9]{9}|[0-9]{11}")  # AM or FINESS number (9 digits), RPPS (11 digits)
NIR = re.compile(r"[12][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")

PROBLEM_TEXT: dict[str, Promise] = {
    "encoding": _("the file is not UTF-8 text"),
    "empty": _("the file is empty"),
    "unreadable": _("the file could not be read: send it again, or contact the administrator"),
    "no_header": _("the file must start with a header record (000)"),
    "header_again": _("a second header record (000)"),
    "no_trailer": _("the file must end with a trailer record (990)"),
    "after_trailer": _("records after the trailer (990)"),
    "record_type": _("unknown record type (expected 000, 255 or 990 at the start of the line)"),
    "bom": _("the file starts with a byte order mark: save it as UTF-8 without BOM"),
    "field_count": _("%(found)s fields instead of %(expected)s"),
    "format": _("not an AM statement file of version %(version)s (read “%(value)s”)"),
    "file_id": _("the file id must be 1 to 40 letters, digits, dashes or underscores"),
    "sender": _("the sender is missing"),
    "datetime": _("“%(value)s” is not a date and time (YYYY-MM-DDTHH:MM:SS)"),
    "sequence": _("line number %(found)s where %(expected)s was expected"),
    "nir": _("the social security number is not valid (15 characters and its key)"),
    "rank": _("the beneficiary rank must be a number from 0 to 99"),
    "date": _("“%(value)s” is not a date (YYYY-MM-DD)"),
    "care_before_birth": _("the care date is before the birth date"),
    "care_after_file": _("the care date is after the file was created"),
    "code_system": _("unknown act code system “%(value)s” (NGAP, CCAM or LPP)"),
    "act_code": _("“%(value)s” is not a valid %(system)s code"),
    "quantity": _("the quantity must be a whole number from 1 to 999"),
    "amount": _("“%(value)s” is not an amount in euros with two decimals"),
    "rate": _("the rate must be a whole percentage from 0 to 100"),
    "mr_over_charged": _("the AM paid more than the amount charged"),
    "overrun": _("the overrun must be the amount charged minus the BR (%(expected)s)"),
    "qualifier": _("unknown qualifier “%(value)s”"),
    "provider": _("the provider identifier must be 9 or 11 digits"),
    "line_count": _("the trailer counts %(found)s lines but the file holds %(expected)s"),
    "total": _("the trailer's total %(name)s is %(found)s but the lines add up to %(expected)s"),
    "already_imported": _("the file %(file_id)s was already received: each file is imported once"),
}


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based line of the file; 0 for the file as a whole
    code: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return str(PROBLEM_TEXT[self.code]) % self.params if self.params else str(PROBLEM_TEXT[self.code])

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "code": self.code, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Problem":
        return cls(int(data["line"]), str(data["code"]), dict(data.get("params") or {}))


@dataclass(frozen=True)
class Header:
    sender: str
    file_id: str
    created_at: datetime
    receiver: str


@dataclass(frozen=True, slots=True)
class ActLine:
    seq: int
    nir: str
    rank: int
    birth_date: date
    care_date: date
    system: str
    code: str
    quantity: int
    charged: Decimal
    br: Decimal
    rate: int
    mr: Decimal
    overrun: Decimal
    qualifiers: tuple[str, ...]
    provider: str

    @property
    def flags(self) -> frozenset[str]:
        return frozenset(QUALIFIER_FLAGS[q] for q in self.qualifiers)


@dataclass(frozen=True)
class Totals:
    lines: int
    charged: Decimal
    br: Decimal
    mr: Decimal


@dataclass
class Checked:
    """The outcome of reading a whole file: its header, its totals and its problems."""

    header: Header | None = None
    totals: Totals | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_LISTED:
            self.problems.append(problem)


class _LineProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems


def nir_valid(value: str) -> bool:
    if not NIR.fullmatch(value):
        return False
    digits = value[:13].replace("2A", "19").replace("2B", "18")
    return 97 - int(digits) % 97 == int(value[13:])


def _date(value: str, line: int, problems: list[Problem]) -> date:
    if DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(Problem(line, "date", {"value": value}))
    return date.min


def _amount(value: str, line: int, problems: list[Problem]) -> Decimal:
    if AMOUNT.fullmatch(value):
        return Decimal(value)
    problems.append(Problem(line, "amount", {"value": value}))
    return Decimal(0)


WHOLE = re.compile(r"[0-9]{1,10}")  # ASCII digits only: str.isdigit() also takes "²" and "٢"


def _int(value: str, low: int, high: int) -> int | None:
    return int(value) if WHOLE.fullmatch(value) and low <= int(value) <= high else None


def parse_header(fields: list[str], line: int) -> Header:
    problems: list[Problem] = []
    if len(fields) != HEADER_FIELDS:
        raise _LineProblems([Problem(line, "field_count", {"found": str(len(fields)), "expected": str(HEADER_FIELDS)})])
    _, kind, version, sender, file_id, created, receiver = fields
    if (kind, version) != (FORMAT, VERSION):
        problems.append(Problem(line, "format", {"version": VERSION, "value": f"{kind} {version}"}))
    if not sender.strip():
        problems.append(Problem(line, "sender"))
    if not FILE_ID.fullmatch(file_id):
        problems.append(Problem(line, "file_id"))
    created_at = datetime.min
    try:
        if DATETIME.fullmatch(created):
            created_at = datetime.fromisoformat(created)
    except ValueError:
        pass
    if created_at == datetime.min:
        problems.append(Problem(line, "datetime", {"value": created}))
    if problems:
        raise _LineProblems(problems)
    return Header(sender.strip(), file_id, created_at, receiver.strip())


def parse_act(fields: list[str], line: int, *, created_on: date | None = None) -> ActLine:
    """One act record; raises with every problem of the record at once."""
    if len(fields) != ACT_FIELDS:
        raise _LineProblems([Problem(line, "field_count", {"found": str(len(fields)), "expected": str(ACT_FIELDS)})])
    (_, seq, nir, rank, birth, care, system, code, quantity, charged, br, rate, mr, overrun, qualifiers, provider) = (
        fields
    )
    problems: list[Problem] = []
    sequence = _int(seq, 1, 10**9)
    if sequence is None:
        problems.append(Problem(line, "sequence", {"found": seq, "expected": "1…"}))
    if not nir_valid(nir):
        problems.append(Problem(line, "nir"))
    beneficiary_rank = _int(rank, 0, 99)
    if beneficiary_rank is None:
        problems.append(Problem(line, "rank"))
    birth_date, care_date = _date(birth, line, problems), _date(care, line, problems)
    if birth_date is not date.min and care_date is not date.min:
        if care_date < birth_date:
            problems.append(Problem(line, "care_before_birth"))
        if created_on is not None and care_date > created_on:
            problems.append(Problem(line, "care_after_file"))
    pattern = CODE_PATTERNS.get(system)
    if pattern is None:
        problems.append(Problem(line, "code_system", {"value": system}))
    elif not pattern.fullmatch(code):
        problems.append(Problem(line, "act_code", {"value": code, "system": system}))
    count = _int(quantity, 1, 999)
    if count is None:
        problems.append(Problem(line, "quantity"))
    amounts = [_amount(value, line, problems) for value in (charged, br, mr, overrun)]
    percent = _int(rate, 0, 100)
    if percent is None:
        problems.append(Problem(line, "rate"))
    if amounts[2] > amounts[0]:
        problems.append(Problem(line, "mr_over_charged"))
    expected_overrun = max(amounts[0] - amounts[1], Decimal("0.00"))
    if amounts[3] != expected_overrun:
        problems.append(Problem(line, "overrun", {"expected": f"{expected_overrun:.2f}"}))
    codes = tuple(q for q in qualifiers.split(",") if q)
    problems.extend(Problem(line, "qualifier", {"value": q}) for q in codes if q not in QUALIFIER_FLAGS)
    if not PROVIDER.fullmatch(provider):
        problems.append(Problem(line, "provider"))
    if problems:
        raise _LineProblems(problems)
    return ActLine(
        seq=sequence or 0,
        nir=nir,
        rank=beneficiary_rank or 0,
        birth_date=birth_date,
        care_date=care_date,
        system=system,
        code=code,
        quantity=count or 0,
        charged=amounts[0],
        br=amounts[1],
        rate=percent or 0,
        mr=amounts[2],
        overrun=amounts[3],
        qualifiers=codes,
        provider=provider,
    )


def check_file(raw_lines: Iterable[bytes]) -> Checked:
    """Read the whole file and report every problem; the file is usable only if ``ok``."""
    checked = Checked()
    totals = [Decimal("0.00")] * 3
    acts = 0
    trailer: list[str] | None = None
    trailer_line = 0
    header_seen = acts_broken = False
    line = 0
    for line, raw in enumerate(raw_lines, start=1):
        try:
            text = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            checked.add(Problem(line, "encoding"))
            continue
        if line == 1 and text.startswith("\ufeff"):
            checked.add(Problem(line, "bom"))
            text = text[1:]
        if not text.strip():
            continue
        fields = text.split(SEPARATOR)
        kind = fields[0]
        if trailer is not None:
            checked.add(Problem(line, "after_trailer"))
            break
        try:
            if kind == HEADER:
                if header_seen or acts:
                    checked.add(Problem(line, "header_again"))
                    continue
                header_seen = True
                checked.header = parse_header(fields, line)
            elif kind == ACT:
                if not header_seen and not acts:
                    checked.add(Problem(line, "no_header"))
                created_on = checked.header.created_at.date() if checked.header else None
                act = parse_act(fields, line, created_on=created_on)
                acts += 1
                if act.seq != acts:
                    checked.add(Problem(line, "sequence", {"found": str(act.seq), "expected": str(acts)}))
                totals[0] += act.charged
                totals[1] += act.br
                totals[2] += act.mr
            elif kind == TRAILER:
                trailer, trailer_line = fields, line
            else:
                # The value is not repeated: a line that lost its type starts with a NIR.
                checked.add(Problem(line, "record_type"))
        except _LineProblems as error:
            acts += kind == ACT
            acts_broken = acts_broken or kind == ACT
            for problem in error.problems:
                checked.add(problem)
    if line == 0:
        checked.add(Problem(0, "empty"))
        return checked
    if not header_seen and not any(p.code == "no_header" for p in checked.problems):
        checked.add(Problem(1, "no_header"))
    if trailer is None:
        checked.add(Problem(line, "no_trailer"))
        return checked
    _check_trailer(checked, trailer, trailer_line, acts, None if acts_broken else totals)
    return checked


def _check_trailer(checked: Checked, fields: list[str], line: int, acts: int, totals: list[Decimal] | None) -> None:
    """The count and the totals; the totals only when every act was read (else they would differ anyway)."""
    if len(fields) != TRAILER_FIELDS:
        checked.add(Problem(line, "field_count", {"found": str(len(fields)), "expected": str(TRAILER_FIELDS)}))
        return
    count = _int(fields[1], 0, 10**9)
    if count != acts:
        checked.add(Problem(line, "line_count", {"found": fields[1], "expected": str(acts)}))
    problems: list[Problem] = []
    declared = [_amount(value, line, problems) for value in fields[2:5]]
    for problem in problems:
        checked.add(problem)
    if problems or totals is None:
        return
    for name, found, expected in zip(("charged", "BR", "MR"), declared, totals, strict=True):
        if found != expected:
            checked.add(Problem(line, "total", {"name": name, "found": f"{found:.2f}", "expected": f"{expected:.2f}"}))
    if not checked.problem_count:
        checked.totals = Totals(acts, *totals)


def read_acts(text: str) -> Iterator[ActLine]:
    """The act records of a chunk (already checked when the file was accepted)."""
    for record in text.splitlines():
        if record:
            yield parse_act(record.split(SEPARATOR), 0)


def act_record(act: ActLine) -> str:
    """One act as its record, the inverse of ``parse_act`` (used to write test and benchmark files)."""
    return SEPARATOR.join(
        (
            ACT,
            str(act.seq),
            act.nir,
            str(act.rank),
            act.birth_date.isoformat(),
            act.care_date.isoformat(),
            act.system,
            act.code,
            str(act.quantity),
            f"{act.charged:.2f}",
            f"{act.br:.2f}",
            str(act.rate),
            f"{act.mr:.2f}",
            f"{act.overrun:.2f}",
            ",".join(act.qualifiers),
            act.provider,
        )
    )
