"""Weight of the light portal pages: HTML plus every stylesheet, script and image they load.

    .venv/bin/python bench/pages.py

Runs against a throw-away test database with the demo data. Prints figures (the 60 KB
budget is also checked by mutua/core/tests/test_http.py).
"""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"

import django

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from mutua.demo.french import DEMO_MEMBERS, DEMO_PASSWORD  # noqa: E402


def weight(client: Client, url: str) -> tuple[int, int]:
    html = client.get(url).content
    total = len(html)
    for ref in re.findall(rb'(?:href|src)="([^"]+\.(?:css|js|png|svg|woff2?))"', html):
        total += Path(finders.find(ref.decode().removeprefix("/static/"))).stat().st_size
    return len(html), total


def main() -> None:
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    databases = runner.setup_databases()
    try:
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        client = Client()
        rows = [("login", *weight(client, "/"))]
        client.post("/", {"username": DEMO_MEMBERS[0].member_number, "password": DEMO_PASSWORD})
        for name, url in (("home", "/portal/"), ("my contract", "/portal/contract/")):
            rows.append((name, *weight(client, url)))
        print(f"{'page':<12} {'HTML':>8} {'with CSS/JS/images':>20}")
        for name, html, total in rows:
            print(f"{name:<12} {html:>7} B {total:>18} B")
    finally:
        runner.teardown_databases(databases)


if __name__ == "__main__":
    main()
