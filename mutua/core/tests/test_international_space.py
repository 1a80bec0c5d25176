"""The international member's space (seed 000), as the demo's Amina in Nairobi reads it, in each of the
four languages: every page reachable from her home is served in that language (Arabic right to left),
weighs under 60 KB with its stylesheets and scripts, works without JavaScript (every form submits by
itself) and never shows the plan's own names (benefit codes, zone codes, conditions, counters).
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from engine import get_plan
from mutua.core.tests.helpers import member_login
from mutua.core.tests.test_member_pages_speak_plainly import leaks, walk
from mutua.demo.french import DEMO_PASSWORD
from mutua.demo.international import INTL_MEMBER_NUMBER

pytestmark = pytest.mark.django_db

LIMIT = 60 * 1024  # bytes: the page and what it loads (stylesheets, scripts); pictures are inline SVG
HTML_LANG = re.compile(r'<html lang="(?P<lang>[a-z-]+)"(?: dir="(?P<dir>rtl|ltr)")?')


class _Loads(HTMLParser):
    """What a page loads from our own static files, and its forms with or without a submit button."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.forms: list[bool] = []  # one per form: does it have a way to submit without a script?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "stylesheet" and values.get("href"):
            self.assets.append(values["href"] or "")
        elif tag == "script" and values.get("src"):
            self.assets.append(values["src"] or "")
        elif tag == "form":
            self.forms.append(False)
        elif self.forms and (
            (tag == "button" and values.get("type", "submit") == "submit")
            or (tag == "input" and values.get("type") in {"submit", "image"})
        ):
            self.forms[-1] = True


def weight(html: bytes) -> int:
    loads = _Loads()
    loads.feed(html.decode())
    total = len(html)
    for url in loads.assets:
        found = finders.find(url.removeprefix("/static/"))
        assert found, f"{url} is not one of our static files (no CDN)"
        with open(found, "rb") as asset:
            total += len(asset.read())
    return total


def plan_codes() -> re.Pattern[str]:
    plan = get_plan("intl-staff")
    assert plan.zones is not None
    names = {benefit.code for benefit in plan.benefits} | set(plan.counters)
    names |= {zone.code for zone in plan.zones.restricted}
    names |= {condition for zone in plan.zones.restricted for condition in zone.covered_when}
    names = {name for name in names if "_" in name or "." in name}  # "dental" or "overall" are words
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?![\w])")


@pytest.fixture
def amina(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    return INTL_MEMBER_NUMBER


@pytest.mark.parametrize("language", ["fr", "en", "es", "ar"])
def test_the_international_space_in_each_language(client, amina, language):
    member_login(client, amina, DEMO_PASSWORD)
    client.cookies.load({"django_language": language})
    pages = walk(client, language, also=[])
    # The walk reached the seed 000 pages: claims, the plan, prior approvals, capital, hospital.
    for area in (
        "/portal/claims/",
        "/portal/my-guarantees/",
        "/portal/prior-approvals/",
        "/portal/hospital/",
        "/portal/capital/",
    ):
        assert any(path.startswith(area) for path in pages), sorted(pages)
    assert len(pages) >= 12, sorted(pages)
    pattern = plan_codes()
    problems = {}
    for path, text in pages.items():
        response = client.get(path)
        html = response.content
        head = HTML_LANG.search(html.decode())
        assert head and head["lang"] == language, path
        assert (head["dir"] == "rtl") is (language == "ar"), path
        loads = _Loads()
        loads.feed(html.decode())
        page_problems = []
        if (size := weight(html)) > LIMIT:
            page_problems.append(f"{size // 1024} KB")
        if not all(loads.forms):
            page_problems.append("a form that cannot be sent without JavaScript")
        if codes := leaks(text, pattern):
            page_problems.append(f"codes {codes}")
        if page_problems:
            problems[path] = page_problems
    assert not problems


def test_the_checks_find_what_they_look_for():
    heavy = b'<html lang="en"><link rel="stylesheet" href="/static/mutua/site.css">' + b"x" * LIMIT
    assert weight(heavy) > LIMIT
    loads = _Loads()
    loads.feed('<form method="post"><input name="a"></form><form><button>Send</button></form>')
    assert loads.forms == [False, True]
    assert leaks("Zone north_america, benefit intl.dental", plan_codes()) == ["north_america", "intl.dental"]
