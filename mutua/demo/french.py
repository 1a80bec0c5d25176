"""Demo data for the embedded mode: a management unit, households, one user per staff role, and
hospitals with their staff.

Everything here is public and fixed (passwords, TOTP secrets) so that a tester can log in
from the README; ``load_demo`` refuses to run in production.
"""

import base64
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutua.accounts.models import Role, User
from mutua.accounts.services import member_account_create, password_set, staff_user_create
from mutua.contracts.models import (
    BeneficiarySituation,
    ContractPlan,
    Employer,
    GroupContract,
    Insurer,
    ManagementUnit,
    Member,
    Relationship,
    SituationKind,
)
from mutua.contracts.services import beneficiary_add, member_affiliate
from mutua.demo.canned import demo_canned_answers_load
from mutua.demo.international import INTL_MEMBER_NUMBER, demo_international_load
from mutua.guarantees.models import Guarantee
from mutua.guarantees.requests import guarantee_request
from mutua.guarantees.stays import Cost
from mutua.providers.models import Provider
from mutua.quotes.estimates import LineInput
from mutua.quotes.services import quote_create
from mutua.teletransmission.fakes import act_line, file_text
from mutua.teletransmission.models import AmFile
from mutua.teletransmission.services import am_file_drain, am_file_import

DEMO_PASSWORD = "Mutua-demo-2026!"


@dataclass(frozen=True)
class DemoMember:
    member_number: str
    first_name: str
    last_name: str
    birth_date: date
    email: str
    with_account: bool
    nir: str
    hire_date: date


@dataclass(frozen=True)
class DemoStaff:
    username: str
    role: Role
    first_name: str
    totp_key: str  # hex, as django-otp stores it

    @property
    def otpauth_uri(self) -> str:
        return TOTPDevice(key=self.totp_key, user=User(username=self.username), name="Mutua").config_url

    @property
    def base32_secret(self) -> str:
        return base64.b32encode(bytes.fromhex(self.totp_key)).decode().rstrip("=")


DEMO_MEMBERS = (
    DemoMember(
        "MU1000001",
        "Claire",
        "Martin",
        date(1984, 3, 12),
        "claire.martin@example.org",
        True,
        "284037510812347",
        date(2019, 4, 1),
    ),
    DemoMember(
        "MU1000002",
        "Karim",
        "Benali",
        date(1979, 11, 2),
        "karim.benali@example.org",
        False,
        "179112A00112351",
        date(2021, 9, 6),
    ),
    DemoMember(
        "MU1000003",
        "Sophie",
        "Durand",
        date(1991, 6, 30),
        "sophie.durand@example.org",
        False,
        "291066938800175",
        date(2024, 2, 12),
    ),
)
# (member number, relationship, first name, birth date, facts)
DEMO_BENEFICIARIES = (
    ("MU1000001", Relationship.SPOUSE, "Julien", date(1982, 7, 21), {"has_income": False}),
    ("MU1000001", Relationship.CHILD, "Léa", date(2012, 5, 3), {}),
    ("MU1000001", Relationship.CHILD, "Hugo", date(2004, 9, 18), {}),
    ("MU1000002", Relationship.PACS_PARTNER, "Nadia", date(1983, 2, 14), {"has_income": True}),
)
DEMO_HUGO_STUDIES = (date(2022, 9, 1), date(2027, 6, 30))

DEMO_STAFF = (
    DemoStaff("handler", Role.CLAIMS_HANDLER, "Hélène", "3132333435363738393031323334353637383930"),
    DemoStaff("advisor", Role.MEDICAL_ADVISOR, "Marc", "4142434445464748494a4b4c4d4e4f5051525354"),
    DemoStaff("finance", Role.FINANCE, "Fatou", "6162636465666768696a6b6c6d6e6f7071727374"),
    DemoStaff("admin", Role.ADMINISTRATOR, "Alex", "0102030405060708090a0b0c0d0e0f1011121314"),
)


@dataclass(frozen=True)
class DemoProvider:
    name: str
    kind: str
    finess: str  # empty abroad; unique in France, so it names the demo provider
    country: str
    city: str
    address: str
    phone: str
    email: str
    in_network: bool
    conventionne: bool
    iban: str
    bic: str


DEMO_PROVIDERS = (
    DemoProvider(
        "Clinique des Lilas",
        Provider.Kind.CLINIC,
        "750300139",
        "FR",
        "Paris",
        "41 avenue Gambetta, 75020 Paris",
        "+33 1 43 62 22 00",
        "admissions@clinique-des-lilas.example.org",
        True,
        True,
        "FR7630004000031234567890143",
        "BNPAFRPP",
    ),
    DemoProvider(
        "Clinique Belle-Rive",
        Provider.Kind.CLINIC,
        "",
        "CH",
        "Genève",
        "12 quai du Mont-Blanc, 1201 Genève",
        "+41 22 700 00 00",
        "admissions@belle-rive.example.ch",
        False,
        False,
        "CH9300762011623852957",
        "",
    ),
    # In the network, at the international member's duty station: the hospital that gets a guarantee of
    # payment at once (seed 000). Kenyan banks have no IBAN: it is paid as the management unit arranges.
    DemoProvider(
        "Nairobi Hospital",
        Provider.Kind.CLINIC,  # a private hospital
        "",
        "KE",
        "Nairobi",
        "Argwings Kodhek Road, Nairobi",
        "+254 20 284 5000",
        "admissions@nairobi-hospital.example.org",
        True,
        False,
        "",
        "",
    ),
)
# One user per network provider, who logs in to the hospital space with a code from an authenticator.
DEMO_PROVIDER_STAFF = (
    (DEMO_PROVIDERS[0].name, DemoStaff("clinique", Role.PROVIDER, "Inès", "7172737475767778797a7b7c7d7e7f8081828384")),
    (DEMO_PROVIDERS[2].name, DemoStaff("nairobi", Role.PROVIDER, "Wanjiru", "8182838485868788898a8b8c8d8e8f90919293")),
)


@transaction.atomic
def demo_load() -> None:
    """Create the demo records that are missing; running it twice changes nothing."""
    unit, _ = ManagementUnit.objects.get_or_create(
        name="Mutua — Unité de gestion Santé",
        defaults={
            "phone": "+33 1 23 45 67 89",
            "email": "gestion@mutua.example.org",
            "postal_address": "Mutua Gestion\nTSA 12345\n75000 Paris",
            "opening_hours": "Lun.–ven. 8h30–18h / Mon–Fri 8:30–18:00",
        },
    )
    contract = GroupContract.objects.filter(number="GC-2019-001").first()
    if contract is None:
        contract = GroupContract.objects.create(
            number="GC-2019-001",
            employer=Employer.objects.create(name="Acme Santé SA", hr_email="rh@acme.example.org"),
            insurer=Insurer.objects.create(name="Mutua Prévoyance"),
            management_unit=unit,
            start_date=date(2019, 1, 1),
        )
        ContractPlan.objects.create(
            contract=contract, plan_code="fr-base-surco", tiers=["base", "surco"], valid_from=date(2019, 1, 1)
        )
    for demo in DEMO_MEMBERS:
        member = Member.objects.filter(member_number=demo.member_number).first() or member_affiliate(
            contract=contract,
            member_number=demo.member_number,
            first_name=demo.first_name,
            last_name=demo.last_name,
            birth_date=demo.birth_date,
            email=demo.email,
            hire_date=demo.hire_date,
            received_on=demo.hire_date,
            nir=demo.nir,
            postal_address="12 rue des Lilas\n75011 Paris",
        )
        if demo.with_account and not User.objects.filter(member=member).exists():
            password_set(user=member_account_create(member=member), password=DEMO_PASSWORD)
    for number, relationship, first_name, birth_date, facts in DEMO_BENEFICIARIES:
        member = Member.objects.get(member_number=number)
        if not member.beneficiaries.filter(first_name=first_name).exists():
            beneficiary = beneficiary_add(
                member=member,
                relationship=relationship,
                first_name=first_name,
                last_name=member.last_name,
                birth_date=birth_date,
                qualifies_from=member.cover_start,
                received_on=member.cover_start,
                **facts,
            )
            if first_name == "Hugo":
                BeneficiarySituation.objects.create(
                    beneficiary=beneficiary,
                    kind=SituationKind.STUDIES,
                    valid_from=DEMO_HUGO_STUDIES[0],
                    valid_to=DEMO_HUGO_STUDIES[1],
                )
    for staff in DEMO_STAFF:
        if not User.objects.filter(username=staff.username).exists():
            staff_user_create(
                username=staff.username,
                email=f"{staff.username}@mutua.example.org",
                role=staff.role,
                password=DEMO_PASSWORD,
                first_name=staff.first_name,
                totp_key=staff.totp_key,
            )
    providers = {demo.name: _demo_provider(demo) for demo in DEMO_PROVIDERS}
    for provider_name, staff in DEMO_PROVIDER_STAFF:
        if not User.objects.filter(username=staff.username).exists():
            staff_user_create(
                username=staff.username,
                email=f"{staff.username}@{providers[provider_name].email.split('@')[1]}",
                role=staff.role,
                password=DEMO_PASSWORD,
                first_name=staff.first_name,
                totp_key=staff.totp_key,
                provider=providers[provider_name],
            )
    claire = User.objects.get(username=DEMO_MEMBERS[0].member_number)
    if not claire.member.quotes.exists():
        _demo_quotes(claire)
    if not claire.member.guarantees.exists():
        _demo_guarantee(claire, providers[DEMO_PROVIDERS[0].name])
    if not AmFile.objects.filter(file_id=DEMO_AM_FILE).exists():
        _demo_teletransmission()
    demo_international_load(password=DEMO_PASSWORD, handler=User.objects.get(username="handler"))
    demo_canned_answers_load()


def _demo_quotes(user: User) -> None:
    """Two quotes for the same crown, to compare (seed 001: ask for two quotes for large expenses)."""
    for name, provider, amount, basket in (
        ("Couronne, cabinet Moreau", "Dr Moreau", "650.00", "libre"),
        ("Couronne, centre dentaire Voltaire", "Centre dentaire Voltaire", "520.00", "maitrise"),
    ):
        line = LineInput(
            benefit_code="dental.crown_bridge",
            amount=Decimal(amount),
            br=Decimal("120.00"),
            attributes={"basket": basket},
            label="Couronne céramo-métallique",
            tooth="36",
        )
        quote_create(
            member=user.member,
            by=user,
            beneficiary=None,
            name=name,
            kind="dental",
            provider=provider,
            planned_date=timezone.localdate() + timedelta(days=30),
            lines=[line],
        )


def _demo_provider(demo: DemoProvider) -> Provider:
    provider = Provider.objects.filter(name=demo.name, country=demo.country, city=demo.city).first()
    if provider is None:
        provider = Provider.objects.create(
            **{field: getattr(demo, field) for field in DemoProvider.__dataclass_fields__}
        )
    return provider


def _demo_guarantee(user: User, provider: Provider) -> Guarantee:
    """A planned knee operation at the network clinic, guaranteed at once (seed 000)."""
    admission = timezone.localdate() + timedelta(days=10)
    return guarantee_request(
        member=user.member,
        beneficiary=None,
        by=user,
        channel=Guarantee.Channel.PORTAL,
        kind=Guarantee.Kind.PLANNED,
        stay_kind=Guarantee.StayKind.SURGICAL,
        admission_date=admission,
        expected_discharge=admission + timedelta(days=3),
        provider=provider,
        costs=[
            Cost("hosp.stay", Decimal("2850.00"), br=Decimal("2400.00")),
            Cost("hosp.surgeon_fees", Decimal("780.00"), br=Decimal("420.00"), dptm=True),
            Cost("hosp.private_room", Decimal("330.00"), quantity=3),
            Cost("hosp.daily_forfait", Decimal("80.00"), quantity=4),
        ],
    )


DEMO_AM_FILE = "DEMO-CPAM751-20261031"


def _demo_teletransmission() -> None:
    """A statement file the AM sent, already paid: the members see what it sent (nothing to do),
    the back office its outcome and one line for the exception queue (a NIR insured elsewhere)."""
    claire, karim = DEMO_MEMBERS[0], DEMO_MEMBERS[1]
    lea_birth = next(birth for number, _r, name, birth, _f in DEMO_BENEFICIARIES if name == "Léa")
    # Sent a few weeks ago, whenever the demo is loaded: care older than two years would be time-barred.
    sent = timezone.localdate() - timedelta(days=7)
    # (insured, rank, birth date, care date, code, charged, BR, rate %, AM paid, qualifiers)
    rows = (
        (claire.nir, 1, claire.birth_date, sent - timedelta(days=25), "G", "30.00", "30.00", 70, "19.00", ("DPTM",)),
        (claire.nir, 1, claire.birth_date, sent - timedelta(days=25), "PH7", "12.50", "12.50", 65, "7.13", ()),
        (claire.nir, 3, lea_birth, sent - timedelta(days=18), "CS", "50.00", "30.00", 70, "21.00", ("DPTM",)),
        (karim.nir, 1, karim.birth_date, sent - timedelta(days=11), "G", "30.00", "30.00", 70, "19.00", ("DPTM",)),
        (
            "185057800608491",
            0,
            date(1985, 4, 1),
            sent - timedelta(days=9),
            "G",
            "30.00",
            "30.00",
            70,
            "19.00",
            ("DPTM",),
        ),
    )
    acts = [
        act_line(
            seq,
            nir,
            rank=rank,
            birth_date=birth,
            care_date=care,
            code=code,
            charged=charged,
            br=br,
            rate=rate,
            mr=mr,
            qualifiers=qualifiers,
            provider="10003456789",
        )
        for seq, (nir, rank, birth, care, code, charged, br, rate, mr, qualifiers) in enumerate(rows, start=1)
    ]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "demo-am.txt"
        path.write_text(
            file_text(acts, file_id=DEMO_AM_FILE, created=datetime.combine(sent, time(6, 0))), encoding="utf-8"
        )
        am_file = am_file_import(path=path)
    am_file_drain(am_file_id=am_file.pk)


def demo_logins_text(*, base_url: str) -> str:
    lines = [
        f"Mutua is running at {base_url}",
        "",
        "Member portal  " + base_url,
        f"  member number {DEMO_MEMBERS[0].member_number}  password {DEMO_PASSWORD}",
        f"  first login (no account yet): {DEMO_MEMBERS[1].member_number}, born "
        f"{DEMO_MEMBERS[1].birth_date.isoformat()}, {DEMO_MEMBERS[1].email}",
        f"  international staff (Nairobi): member number {INTL_MEMBER_NUMBER}  password {DEMO_PASSWORD}",
        "  e-mails (activation and reset links) are written to var/mail/",
        "",
        "Back office    " + base_url.rstrip("/") + "/backoffice/",
        f"  password for every staff user: {DEMO_PASSWORD}; code from an authenticator app",
    ]
    for staff in DEMO_STAFF:
        lines.append(f"  {staff.username:<8} {staff.role.label:<16} TOTP secret {staff.base32_secret}")
        lines.append(f"           {staff.otpauth_uri}")
    lines += [
        "",
        "Hospital space " + base_url.rstrip("/") + "/provider/",
        f"  same password ({DEMO_PASSWORD}); code from an authenticator app",
    ]
    for provider_name, staff in DEMO_PROVIDER_STAFF:
        lines.append(f"  {staff.username:<8} {provider_name}  TOTP secret {staff.base32_secret}")
        lines.append(f"           {staff.otpauth_uri}")
    return "\n".join(lines)
