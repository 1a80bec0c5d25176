"""What a member reads never shows the system's own names: no benefit code ("care.gp"), no rule or
counter slot ("optical.equipment/base#5"), no parameter key ("consultation_base.non_optam").

A demo household with something on every page (an AM statement, an online claim decided with a
refusal, a hospital paid directly, a guarantee, quotes) is walked link by link from the portal's
home, in French and in English, and every page's visible text is searched, with the statement PDFs'
HTML and the e-mails it received.
"""

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from engine import get_plan
from mutua.accounts.models import User
from mutua.accounts.tests.factories import StaffUserFactory
from mutua.benefits.models import ClaimItem, RejectionReason, Statement
from mutua.claims.review import claim_item_decide
from mutua.claims.services import claim_create
from mutua.claims.statements import statement_document
from mutua.claims.tests.helpers import GLASSES, GP_VISIT, receipt, submitted_claim
from mutua.core.tests.helpers import member_login
from mutua.demo.french import DEMO_MEMBERS, DEMO_PASSWORD
from mutua.guarantees.settlement import guarantee_settle
from mutua.guarantees.stays import Cost
from mutua.guarantees.tests.planned import planned_guarantee, stay_over
from mutua.providers.models import Provider
from mutua.providers.tests.factories import ProviderUserFactory
from mutua.quotes.models import Quote

pytestmark = pytest.mark.django_db

PLAN = "fr-base-surco"
PARAMETERS = "engine/data/parameters.yaml"
# Where a member goes; the rest (log-out, language, downloads) changes state or is not a page.
MEMBER_AREAS = ("/portal/", "/card/", "/help/", "/simulator/")
NOT_FOLLOWED = ("/logout", "/language/", "/documents/", ".pdf", "/pdf/", "/card/portal/download/")
SLOT = re.compile(r"#\d")


def internal_codes() -> set[str]:
    """Every name the plan and the parameters give things, as the code knows them."""
    plan = get_plan(PLAN)
    codes = {benefit.code for benefit in plan.benefits}
    codes |= {code for code in plan.counters if "_" in code or "." in code}  # "base" or "dental" are words
    with open(PARAMETERS, encoding="utf-8") as data:
        codes |= set(yaml.safe_load(data)["parameters"])
    return codes


def code_pattern() -> re.Pattern[str]:
    names = sorted(internal_codes(), key=len, reverse=True)
    # Whole names only, case-sensitive: "pmss" is a key, "PMSS" the word the guide uses.
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, names)) + r")(?![\w])")


class _Page(HTMLParser):
    """The text a person reads (and hears: alt, title, aria-label) and the links to follow."""

    SILENT = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._silent = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SILENT:
            self._silent += 1
        values = dict(attrs)
        for name in ("alt", "title", "aria-label", "placeholder"):
            if values.get(name):
                self.text.append(values[name] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SILENT and self._silent:
            self._silent -= 1

    def handle_data(self, data: str) -> None:
        if not self._silent:
            self.text.append(data)


def visible(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def leaks(text: str, pattern: re.Pattern[str]) -> list[str]:
    found = [match.group(0) for match in pattern.finditer(text)]
    found += [text[max(0, m.start() - 30) : m.end() + 10] for m in SLOT.finditer(text)]
    return found


@pytest.fixture
def household(django_capture_on_commit_callbacks) -> User:
    """The demo's Claire, with an online claim decided (one item refused for a reason the handler
    wrote) and a hospital stay her plan paid to the clinic."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    user = User.objects.get(username=DEMO_MEMBERS[0].member_number)
    handler = StaffUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(user, [GP_VISIT, GLASSES, GLASSES | {"care_date": date(2026, 3, 9)}])
    with django_capture_on_commit_callbacks(execute=True):
        glasses, again = claim.items.filter(benefit_code=GLASSES["benefit_code"]).order_by("pk")
        claim_item_decide(
            item=again,
            by=handler,
            accept=False,
            reason=RejectionReason.OTHER,
            text="Une seule paire de lunettes est remboursée tous les deux ans.",
        )
        claim_item_decide(item=glasses, by=handler, accept=True)
    claim_create(member=user.member, beneficiary=None, name="Brouillon")  # its draft page is walked too
    clinic = Provider.objects.get(name="Clinique des Lilas")
    guarantee = stay_over(planned_guarantee(user=user, provider=clinic))
    with django_capture_on_commit_callbacks(execute=True):
        guarantee_settle(
            guarantee=guarantee,
            by=ProviderUserFactory(provider=clinic),
            invoice_number="F-2026-001",
            invoice=receipt(salt="lilas"),
            costs=[
                (
                    guarantee.valid_from,
                    Cost("hosp.stay", Decimal("3000.00"), br=Decimal("2500.00"), am_paid=Decimal("2000.00")),
                )
            ],
        )
    assert ClaimItem.objects.filter(claim__member=user.member, status=ClaimItem.Status.REJECTED).exists()
    assert ClaimItem.objects.filter(claim__member=user.member, claim__paid_to=clinic).exists()
    return user


def walk(client: Client, language: str, also: list[str]) -> dict[str, str]:
    """Every member page reachable from the portal's home (and ``also``, answers to forms): its visible
    text, by address."""
    seen: dict[str, str] = {}
    waiting = ["/portal/", *also]
    while waiting:
        url = waiting.pop()
        if url in seen:
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        if "html" not in response.get("Content-Type", ""):
            continue
        page = visible(response.content.decode())
        seen[url] = " ".join(page.text)
        for href in page.links:
            target = urlsplit(urljoin(url, href))
            if target.netloc or not target.path.startswith(MEMBER_AREAS):
                continue
            if any(part in target.path for part in NOT_FOLLOWED):
                continue
            waiting.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_internal_code_in_what_a_member_reads(client, household, language):
    member_login(client, household.username, DEMO_PASSWORD)
    client.cookies.load({"django_language": language})
    dental = Quote.objects.filter(member=household.member, kind="dental").values_list("pk", flat=True)
    pages = walk(client, language, also=["/portal/quotes/compare/?" + "&".join(f"ids={pk}" for pk in dental)])
    # The walk reached the pages that carry the most (statements, tracking, quotes, hospital stays).
    for area in ("/portal/claims/statements/", "/portal/quotes/", "/portal/hospital/", "/portal/contract/"):
        assert area in pages, sorted(pages)
    assert sum(path.startswith("/portal/claims/") for path in pages) >= 6, sorted(pages)
    assert any(path.startswith("/portal/quotes/compare/") for path in pages), sorted(pages)
    texts = dict(pages)
    for statement in Statement.objects.filter(member=household.member):
        document = statement_document(statement=statement, language=language)
        with translation.override(language):
            html = render_to_string("claims/statement_pdf.html", {"doc": document})
        texts[f"statement {statement.number}"] = " ".join(visible(html).text)
    for message in mail.outbox:
        if household.member.email in message.to:
            html = " ".join(str(body) for body, _type in getattr(message, "alternatives", []))
            texts[f"e-mail {message.subject}"] = message.body + " " + " ".join(visible(html).text)
    pattern = code_pattern()
    found = {where: leaks(text, pattern) for where, text in texts.items()}
    assert not {where: codes for where, codes in found.items() if codes}


def test_the_check_finds_a_code_where_there_is_one():
    """The searcher itself: a benefit code, a rule's slot and a parameter key are found, words are not."""
    pattern = code_pattern()
    assert leaks("Rules applied: optical.equipment/base#5", pattern)
    assert leaks("Base (consultation_base.non_optam)", pattern)
    assert leaks("care.gp", pattern)
    assert not leaks("Le PMSS, la base et le ticket modérateur : 30,00 € (page 2).", pattern)
