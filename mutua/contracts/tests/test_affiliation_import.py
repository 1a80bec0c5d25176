"""The employer's affiliation file: all or nothing, row-by-row problems, idempotent re-import."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.contracts.affiliation_csv import COLUMNS, MAX_BYTES
from mutua.contracts.imports import affiliation_file_import
from mutua.contracts.models import CoverEndReason, Member
from mutua.contracts.tests.factories import GroupContractFactory, MemberFactory
from mutua.core.crypto import search_digest
from mutua.core.tests.helpers import member_login, staff_login

pytestmark = pytest.mark.django_db

TODAY = date(2025, 4, 15)
URL = "/backoffice/affiliations/import/"


def nir(body: str) -> str:
    """A NIR with its key: 97 minus the 13 digits modulo 97."""
    return f"{body}{97 - int(body) % 97:02d}"


def csv_file(*rows: dict[str, str], separator: str = ";", columns: tuple[str, ...] = COLUMNS) -> bytes:
    lines = [separator.join(columns)]
    lines += [separator.join(row.get(column, "") for column in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def hire(number: str, **values: str) -> dict[str, str]:
    row = {
        "action": "hire",
        "member_number": number,
        "last_name": "Durand",
        "first_name": "Claire",
        "birth_date": "1990-05-14",
        "email": f"{number.lower()}@example.org",
        "hire_date": "2025-03-03",
        "received_on": "2025-03-20",
    }
    return row | values


def leave(member: Member, **values: str) -> dict[str, str]:
    row = {
        "action": "leave",
        "member_number": member.member_number,
        "last_name": member.last_name,
        "first_name": member.first_name,
        "birth_date": member.birth_date.isoformat(),
        "leave_date": "2025-03-31",
        "leave_reason": "retirement",
    }
    return row | values


def run(contract, content: bytes, today: date = TODAY):
    return affiliation_file_import(contract=contract, file=io.BytesIO(content), filename="hr.csv", by=None, today=today)


def snapshot() -> list[tuple]:
    return list(
        Member.objects.order_by("member_number").values_list(
            "member_number",
            "contract_id",
            "hire_date",
            "affiliation_received_on",
            "cover_start",
            "cover_end",
            "cover_end_reason",
            "email",
        )
    )


@pytest.fixture
def contract():
    return GroupContractFactory(start_date=date(2020, 1, 1))


# --- A good file -----------------------------------------------------------------------------


def test_good_file_affiliates_with_the_30_day_rule_and_ends_covers(contract):
    retiring = MemberFactory(contract=contract, cover_start=date(2020, 1, 1))
    leaving = MemberFactory(contract=contract, cover_start=date(2020, 1, 1))
    capped = MemberFactory(contract=contract, cover_start=date(2020, 1, 1))
    suspended = MemberFactory(contract=contract, cover_start=date(2020, 1, 1))
    content = csv_file(
        hire("MU0100001", hire_date="2025-03-03", received_on="2025-04-02", nir=nir("2900575115004")),  # 30 days
        hire("MU0100002", hire_date="2025-03-03", received_on="2025-04-03", last_name="Nguyen"),  # 31 days
        hire("MU0100003", hire_date="2019-06-01", received_on="2025-03-20", previously_exempt="yes"),
        hire("MU0100004", hire_date="2019-06-01", received_on="2020-01-20"),  # before the contract
        hire("MU0100005", hire_date="2025-04-10", received_on=""),  # received: the import date
        leave(retiring, leave_date="2025-03-31", leave_reason="retirement"),
        leave(leaving, leave_date="2025-03-15", leave_reason="left_category"),
        leave(capped, leave_date="2025-03-15", leave_reason="left_category", portability_until="2025-09-30"),
        leave(suspended, leave_date="2025-04-01", leave_reason="employment_suspended"),
    )
    report = run(contract, content)

    assert report.accepted, report.problems
    assert (report.created, report.ended, report.unchanged) == (5, 4, 0)
    starts = dict(Member.objects.filter(member_number__startswith="MU01").values_list("member_number", "cover_start"))
    assert starts == {
        "MU0100001": date(2025, 3, 3),
        "MU0100002": date(2025, 5, 1),
        "MU0100003": date(2025, 3, 20),
        "MU0100004": date(2020, 1, 1),
        "MU0100005": date(2025, 4, 10),
    }
    first = Member.objects.get(member_number="MU0100001")
    assert first.contract == contract and first.management_unit == contract.management_unit
    assert first.nir == nir("2900575115004") and first.nir_digest
    assert Member.objects.get(member_number="MU0100005").affiliation_received_on == TODAY
    for member, end, reason in [
        (retiring, date(2025, 3, 30), CoverEndReason.RETIREMENT),
        (leaving, date(2026, 3, 14), CoverEndReason.PORTABILITY_ENDED),  # 12 months of portability
        (capped, date(2025, 9, 30), CoverEndReason.PORTABILITY_ENDED),
        (suspended, date(2025, 3, 31), CoverEndReason.EMPLOYMENT_SUSPENDED),
    ]:
        member.refresh_from_db()
        assert (member.cover_end, member.cover_end_reason) == (end, reason)


def test_comma_separator_bom_crlf_and_header_in_any_order(contract):
    columns = ("first_name", "Last_Name", "ACTION", "member_number", "birth_date", "email", "hire_date")
    row = hire("MU0200001", first_name="Zoé", last_name="Lefèvre, née Roux")
    lines = [",".join(columns), ",".join(f'"{row[c.lower()]}"' for c in columns)]
    content = "\ufeff".encode() + "\r\n".join(lines).encode() + b"\r\n"
    report = run(contract, content)
    assert report.accepted, report.problems
    member = Member.objects.get(member_number="MU0200001")
    assert (member.first_name, member.last_name) == ("Zoé", "Lefèvre, née Roux")


def test_a_leave_may_follow_the_hire_in_the_same_file(contract):
    content = csv_file(
        hire("MU0300001", hire_date="2025-03-03"),
        {
            **hire("MU0300001"),
            "action": "leave",
            "email": "",
            "hire_date": "",
            "received_on": "",
            "leave_date": "2025-03-28",
            "leave_reason": "employment_suspended",
        },
    )
    report = run(contract, content)
    assert report.accepted, report.problems
    assert (report.created, report.ended) == (1, 1)
    member = Member.objects.get(member_number="MU0300001")
    assert (member.cover_start, member.cover_end) == (date(2025, 3, 3), date(2025, 3, 27))
    assert run(contract, content).unchanged == 2


# --- Bad rows: reported where they are, nothing written --------------------------------------


def _bad_rows(other_person: Member, ended: Member) -> dict[str, tuple[dict[str, str], str, str]]:
    """Name → (the bad row, the column reported, the problem's code)."""
    unknown = Member(member_number="ZZ999", last_name="Nobody", first_name="X", birth_date=date(1980, 1, 1))
    return {
        "required": (hire("MU0400009", last_name=""), "last_name", "required"),
        "date format": (hire("MU0400009", birth_date="14/05/1990"), "birth_date", "date"),
        "impossible date": (hire("MU0400009", hire_date="2025-02-30"), "hire_date", "date"),
        "birth in the future": (hire("MU0400009", birth_date="2030-01-01"), "birth_date", "birth_date"),
        "hired before birth": (hire("MU0400009", hire_date="1980-01-01"), "hire_date", "hire_date"),
        "received in the future": (hire("MU0400009", received_on="2025-12-01"), "received_on", "received_on"),
        "NIR key": (hire("MU0400009", nir="290057511500499"), "nir", "nir"),
        "e-mail": (hire("MU0400009", email="claire.at.example.org"), "email", "email"),
        "action": (hire("MU0400009", action="fire"), "action", "action"),
        "yes or no": (hire("MU0400009", previously_exempt="maybe"), "previously_exempt", "yes_no"),
        "leave column on a hire": (hire("MU0400009", leave_reason="retirement"), "leave_reason", "not_applicable"),
        "leave reason": (leave(ended, leave_reason="contract_terminated"), "leave_reason", "leave_reason"),
        "portability without leaving the category": (
            leave(ended, portability_until="2025-12-31"),
            "portability_until",
            "not_applicable",
        ),
        "number of another person": (hire(other_person.member_number), "member_number", "number_in_use"),
        "leave of an unknown member": (leave(unknown), "member_number", "unknown_member"),
        "leave before the cover start": (leave(ended, leave_date="2019-12-31"), "leave_date", "end_before_start"),
        "duplicate in the file": (hire("MU0400001", email="other@example.org"), "member_number", "duplicate"),
        "already ended on another date": (leave(ended, leave_date="2025-01-31"), "leave_date", "already_ended"),
    }


BAD_ROW_NAMES = [
    "required",
    "date format",
    "impossible date",
    "birth in the future",
    "hired before birth",
    "received in the future",
    "NIR key",
    "e-mail",
    "action",
    "yes or no",
    "leave column on a hire",
    "leave reason",
    "portability without leaving the category",
    "number of another person",
    "leave of an unknown member",
    "leave before the cover start",
    "duplicate in the file",
    "already ended on another date",
]


@pytest.mark.parametrize("name", BAD_ROW_NAMES)
def test_each_bad_row_is_reported_with_its_row_and_column_and_nothing_is_written(contract, name):
    other_person = MemberFactory(contract=contract, first_name="Paul", birth_date=date(1970, 1, 1))
    ended = MemberFactory(contract=contract, cover_start=date(2020, 1, 1))
    ended.cover_end, ended.cover_end_reason = date(2025, 3, 30), CoverEndReason.RETIREMENT
    ended.save()
    bad, column, code = _bad_rows(other_person, ended)[name]
    good_leaver = MemberFactory(contract=contract, cover_start=date(2020, 1, 1))
    content = csv_file(hire("MU0400001"), leave(good_leaver), bad, hire("MU0400002"))
    before = snapshot()

    report = run(contract, content)

    assert not report.accepted
    assert (4, column, code) in [(p.row, p.column, p.code) for p in report.problems], report.problems
    assert all(p.row == 4 for p in report.problems), report.problems
    assert report.outcomes == [] and (report.created, report.ended, report.unchanged) == (0, 0, 0)
    assert snapshot() == before


def test_every_problem_of_the_file_is_listed_in_row_order(contract):
    content = csv_file(
        hire("MU0500001", email="wrong", birth_date="1990-13-01"),
        hire("MU0500002"),
        hire("MU0500003", hire_date=""),
    )
    with translation.override("en"):
        report = run(contract, content)
        lines = report.problem_lines()
    assert [(p.row, p.column, p.code) for p in report.problems] == [
        (2, "birth_date", "date"),
        (2, "email", "email"),
        (4, "hire_date", "required"),
    ]
    assert lines[0].startswith("Row 2, column birth_date: Not a date")
    assert Member.objects.count() == 0


def test_a_row_with_the_wrong_number_of_values_is_reported(contract):
    content = csv_file(hire("MU0600001")) + b"hire;MU0600002;Durand\n"
    report = run(contract, content)
    assert [(p.row, p.code) for p in report.problems] == [(3, "column_count")]
    assert Member.objects.count() == 0


@pytest.mark.parametrize(
    ("header", "column", "code"),
    [
        ("action;member_number;last_name;first_name;birth_date;email;hire_dat", "hire_dat", "unknown_column"),
        ("action;member_number;last_name;first_name;email;hire_date", "birth_date", "missing_column"),
        ("action;member_number;last_name;first_name;birth_date;email;email", "email", "duplicate_column"),
    ],
)
def test_header_problems_refuse_the_file(contract, header, column, code):
    report = run(contract, f"{header}\nhire;MU1;Durand;Claire;1990-05-14;a@example.org;2025-03-03\n".encode())
    assert (1, column, code) in [(p.row, p.column, p.code) for p in report.problems]
    assert Member.objects.count() == 0


def test_a_nir_already_on_file_for_another_member_is_refused(contract):
    MemberFactory(contract=contract, nir=nir("1850475115004"), nir_digest=search_digest(nir("1850475115004")))
    report = run(contract, csv_file(hire("MU0700001", nir=nir("1850475115004"))))
    assert [(p.row, p.column, p.code) for p in report.problems] == [(2, "nir", "nir_in_use")]


def test_a_hire_contradicting_the_members_file_is_refused_not_applied(contract):
    member = MemberFactory(contract=contract, last_name="Durand", first_name="Claire", birth_date=date(1990, 5, 14))
    row = hire(member.member_number, email=member.email, hire_date="2021-09-01", received_on="")
    report = run(contract, csv_file(row))
    assert [(p.column, p.code) for p in report.problems] == [("hire_date", "differs")]
    member.refresh_from_db()
    assert member.hire_date == date(2020, 1, 1)


def test_a_leave_of_a_member_of_another_contract_is_refused(contract):
    stranger = MemberFactory(cover_start=date(2020, 1, 1))
    report = run(contract, csv_file(leave(stranger)))
    assert [(p.column, p.code) for p in report.problems] == [("member_number", "other_contract")]


# --- Importing the same file again -----------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(contract):
    leaver = MemberFactory(contract=contract, cover_start=date(2020, 1, 1))
    porter = MemberFactory(contract=contract, cover_start=date(2020, 1, 1))
    content = csv_file(
        hire("MU0800001", nir=nir("2900575115004")),
        hire("MU0800002", received_on="", previously_exempt="no"),
        leave(leaver),
        leave(porter, leave_reason="left_category", portability_until="2025-12-31"),
    )
    first = run(contract, content)
    assert (first.created, first.ended, first.unchanged) == (2, 2, 0)
    after_first = snapshot()

    again = run(contract, content, today=date(2025, 4, 30))  # another day: the default receipt date is ignored

    assert again.accepted, again.problems
    assert (again.created, again.ended, again.unchanged) == (0, 0, 4)
    assert [line.outcome for line in again.outcomes] == ["unchanged"] * 4
    assert snapshot() == after_first


# --- Upload safety ---------------------------------------------------------------------------


def test_a_file_too_large_or_not_utf8_is_refused_with_a_clear_problem(contract):
    too_large = csv_file(hire("MU0900001")) + b"\n" * MAX_BYTES
    assert [p.code for p in run(contract, too_large).problems] == ["too_large"]
    latin1 = csv_file(hire("MU0900001", last_name="Lefèvre")).decode().encode("latin-1")
    assert [p.code for p in run(contract, latin1).problems] == ["not_utf8"]
    assert [p.code for p in run(contract, b"\x00\x01binary").problems] == ["not_text"]
    assert [p.code for p in run(contract, csv_file()).problems] == ["empty"]
    assert [p.code for p in run(contract, b"").problems] == ["empty"]
    assert Member.objects.count() == 0


# --- The back-office page --------------------------------------------------------------------


def upload(client, contract, content: bytes, name: str = "hr.csv"):
    return client.post(
        URL, {"contract": contract.pk, "file": SimpleUploadedFile(name, content, "text/csv")}, HTTP_ACCEPT_LANGUAGE="en"
    )


@pytest.mark.parametrize("role", [Role.CLAIMS_HANDLER, Role.ADMINISTRATOR])
def test_a_handler_or_an_administrator_imports_a_file_and_sees_the_counts(client, contract, role):
    staff_login(client, StaffUserFactory(role=role), PASSWORD)
    assert client.get(URL, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    response = upload(client, contract, csv_file(hire("MU1000001"), hire("MU1000002")))
    assert response.status_code == 200
    assert response.context["report"].created == 2
    body = response.content.decode()
    assert "The file was imported." in body and 'id="count-created">2<' in body
    assert Member.objects.filter(member_number__in=["MU1000001", "MU1000002"], contract=contract).count() == 2


def test_the_page_lists_the_problems_and_imports_nothing(client, contract):
    staff_login(client, StaffUserFactory(role=Role.CLAIMS_HANDLER), PASSWORD)
    response = upload(client, contract, csv_file(hire("MU1100001"), hire("MU1100002", email="nope")))
    body = response.content.decode()
    assert "nothing was imported" in body
    assert "<td>3</td><td>email</td>" in body
    assert Member.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"x" * (MAX_BYTES + 1), "too_large", "larger than 5 MB"),
        ("action;nom\nhire;Lefèvre\n".encode("latin-1"), "not_utf8", "not UTF-8"),
    ],
)
def test_the_page_refuses_a_file_too_large_or_not_utf8(client, contract, content, code, words):
    staff_login(client, StaffUserFactory(role=Role.CLAIMS_HANDLER), PASSWORD)
    response = upload(client, contract, content)
    assert [p.code for p in response.context["report"].problems] == [code]
    assert words in response.content.decode()


def test_finance_and_members_may_not_import(client, contract):
    staff_login(client, StaffUserFactory(role=Role.FINANCE), PASSWORD)
    assert client.get(URL).status_code == 403
    assert upload(client, contract, csv_file(hire("MU1200001"))).status_code == 403
    client.logout()
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    assert client.get(URL).status_code == 403
    assert upload(client, contract, csv_file(hire("MU1200001"))).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302
    assert not Member.objects.filter(member_number="MU1200001").exists()


# --- The command -----------------------------------------------------------------------------


def test_the_command_imports_and_prints_the_report(contract, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_file(hire("MU1300001")))
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_affiliations", contract.number, str(path), stdout=out)
        assert "1 created, 0 ended, 0 already up to date." in out.getvalue()
        assert "MU1300001" in out.getvalue()
        out = io.StringIO()
        call_command("import_affiliations", contract.number, str(path), stdout=out)
        assert "0 created, 0 ended, 1 already up to date." in out.getvalue()


def test_the_command_exits_non_zero_when_the_file_is_refused(contract, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_file(hire("MU1400001", birth_date="1990-02-30")))
    # call_command, not run_from_argv: the latter closes the database connections when done.
    errors = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("import_affiliations", contract.number, str(path), stderr=errors)
    assert refused.value.returncode == 1  # the exit code of `mutua import_affiliations`
    assert "Row 2, column birth_date" in errors.getvalue()
    assert Member.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("import_affiliations", "NO-SUCH-CONTRACT", str(path))
    with pytest.raises(CommandError):
        call_command("import_affiliations", contract.number, str(tmp_path / "missing.csv"))


# --- The documented example ------------------------------------------------------------------


def test_the_example_of_the_format_doc_imports_as_it_says(contract):
    doc = (Path(__file__).resolve().parents[3] / "docs" / "affiliation-file.md").read_text()
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    MemberFactory(
        contract=contract, member_number="MU0000042", last_name="Martin", first_name="Jean", birth_date=date(1970, 8, 9)
    )
    MemberFactory(
        contract=contract,
        member_number="MU0000057",
        last_name="Petit",
        first_name="Sophie",
        birth_date=date(1992, 12, 12),
    )
    report = run(contract, example.encode())
    assert report.accepted, report.problems
    dates = dict(Member.objects.values_list("member_number", "cover_start"))
    assert (dates["MU0100001"], dates["MU0100002"], dates["MU0100003"]) == (
        date(2025, 3, 3),
        date(2025, 4, 1),
        date(2025, 3, 20),
    )
    ends = dict(Member.objects.values_list("member_number", "cover_end"))
    assert (ends["MU0000042"], ends["MU0000057"]) == (date(2025, 3, 30), date(2025, 12, 31))
