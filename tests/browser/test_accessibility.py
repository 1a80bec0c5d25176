"""The member pages pass axe-core (4.14.1, from the npm registry, vendored in tests/browser/vendor) with no
serious or critical violation, in French and English, on a desktop and on a phone.

The pages are found as a member finds them: every link of the member area followed from the home page,
with a claim started so that its draft page is there too.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.14.1"
MEMBER_NUMBER = "MU1000001"  # Claire: AM statements, quotes, a guarantee of payment (mutua/demo/french.py)
PASSWORD = "Mutua-demo-2026!"
BLOCKING = {"serious", "critical"}
MEMBER_AREAS = ("/portal/", "/card/", "/help/", "/simulator/")
NOT_FOLLOWED = re.compile(r"/logout|/language/|/documents/|\.pdf|/pdf/|/download/")
MOST_PAGES = 40
# The compare form of the first kind of care, every quote ticked, as the address it would submit.
COMPARE_ALL = (
    "form => form.action.replace(location.origin, '') + '?' + "
    "[...form.querySelectorAll('[name=ids]')].map(i => 'ids=' + i.value).join('&')"
)
# Both widths the issue asks to look at; the phone is where tables and forms reflow.
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


def violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    assert page.evaluate("axe.version") == AXE_VERSION
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [v for v in results if v["impact"] in BLOCKING]


def member_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        url = urlsplit(href)
        path = url.path + (f"?{url.query}" if url.query else "")
        if url.path.startswith(MEMBER_AREAS) and not NOT_FOLLOWED.search(url.path):
            found.append(path)
    return found


@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.parametrize("language", ["fr", "en"])
def test_member_pages_have_no_serious_accessibility_violation(browser, embedded_server, language, screen):
    context = browser.new_context(
        base_url=embedded_server.url,
        locale="fr-FR" if language == "fr" else "en-GB",
        viewport=SCREENS[screen],
        bypass_csp=True,  # the pages allow no inline script, and axe is injected as one
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": embedded_server.url}])
    page = context.new_page()
    try:
        page.goto("/")
        page.fill("#id_username", MEMBER_NUMBER)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(re.compile(r"/portal/$"))
        # A draft claim, so that its page is among those checked.
        page.goto("/portal/claims/new/")
        page.fill("#id_name", "Axe")
        page.click("button[type=submit].primary")
        page.wait_for_url(re.compile(r"/portal/claims/\d+/$"))
        waiting, seen, found = ["/portal/", urlsplit(page.url).path], set(), {}
        while waiting and len(seen) < MOST_PAGES:
            path = waiting.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = page.goto(path)
            if response is None or "html" not in (response.headers.get("content-type") or ""):
                continue
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == language, path
            problems = violations(page)
            if problems:
                found[path] = problems
            waiting.extend(link for link in member_links(page) if link not in seen)
            if path == "/portal/quotes/":  # the comparison is a form's answer, not a link
                waiting.append(page.locator("form[action$='/compare/']").first.evaluate(COMPARE_ALL))
    finally:
        context.close()
    # The walk reached the pages a member uses every day.
    for area in ("/portal/contract/", "/portal/claims/", "/portal/claims/statements/", "/portal/quotes/"):
        assert area in seen, sorted(seen)
    assert any(re.fullmatch(r"/portal/quotes/\d+/", path) for path in seen), sorted(seen)
    assert any(re.fullmatch(r"/portal/hospital/\d+/", path) for path in seen), sorted(seen)
    assert any(path.startswith("/portal/quotes/compare/?ids=") for path in seen), sorted(seen)
    assert not found, found
