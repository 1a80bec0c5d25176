"""The embedded mode exactly as ``make run`` starts it, and a Chromium to drive it."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from mutua.core.tests.totp import PINNED_STEP, next_code, pinned_state
from mutua.demo.french import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class EmbeddedServer:
    def __init__(self, url: str, var_dir: Path) -> None:
        self.url = url
        self.var_dir = var_dir

    def wait_for_email(self, to: str, count: int, timeout: float = 30, containing: str = "") -> str:
        """The ``count``-th e-mail sent to ``to`` (among those ``containing`` a text), as the worker
        wrote it to var/mail."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            mail_dir = self.var_dir / "mail"
            messages = (
                [p.read_text() for p in sorted(mail_dir.glob("*.log"), key=os.path.getmtime)]
                if mail_dir.exists()
                else []
            )
            received = [m for batch in messages for m in batch.split("-" * 79) if f"To: {to}" in m and containing in m]
            if len(received) >= count:
                return received[count - 1]
            time.sleep(0.3)
        raise AssertionError(f"no e-mail #{count} for {to} within {timeout}s")

    def run_python(self, code: str) -> None:
        """Run ``code`` in a Django shell against this server's database (records a journey starts from)."""
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
        env |= {"MUTUA_ENV": "development", "MUTUA_VAR_DIR": str(self.var_dir)}
        done = subprocess.run(
            [sys.executable, "-m", "mutua.cli", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]

    def sign_in(self, page, username: str, *, path: str = "/backoffice/login/") -> None:
        """A back-office (or hospital) user of the demo signs in, with the second factor, and lands on a page."""
        page.goto(path)
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.fill("#id_otp_token", self.totp_code(username))
        with page.expect_navigation():
            page.click("button[type=submit].primary")

    def totp_code(self, username: str) -> str:
        """A code the server accepts for this person's TOTP device, however slow the run and however many
        journeys sign them in (mutua/core/tests/totp.py); the device is pinned in the server's database."""
        device = (
            "SELECT d.id, d.key, d.digits, d.step, d.drift, d.last_t FROM otp_totp_totpdevice d "
            "JOIN accounts_user u ON u.id = d.user_id WHERE u.username = ?"
        )
        with closing(sqlite3.connect(self.var_dir / "mutua.sqlite3", timeout=30)) as database, database:
            pk, key, digits, step, drift, last_t = database.execute(device, (username,)).fetchone()
            if step != PINNED_STEP:
                state = pinned_state(now=time.time())
                database.execute(
                    "UPDATE otp_totp_totpdevice SET step = :step, t0 = :t0, drift = :drift, last_t = :last_t "
                    "WHERE id = :id",
                    state | {"id": pk},
                )
                drift, last_t = state["drift"], state["last_t"]
        return next_code(key=key, digits=digits, drift=drift, last_t=last_t)


def language(page, code: str) -> None:
    """The portal's language chooser (kept on the member's account)."""
    page.select_option("#lang-select", code)
    page.click("form.lang button[type=submit]")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    var_dir = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env |= {"MUTUA_ENV": "development", "MUTUA_VAR_DIR": str(var_dir)}
    cli = [sys.executable, "-m", "mutua.cli"]
    for step in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], ["load_demo"]):
        subprocess.run([*cli, *step], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    log = (var_dir / "serve.log").open("w")
    server = subprocess.Popen(
        [*cli, "serve", "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError((var_dir / "serve.log").read_text()) from None
                time.sleep(0.3)
        yield EmbeddedServer(url, var_dir)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"MISSING: {CHROMIUM} (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="MISSING: the playwright package")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, embedded_server):
    context = browser.new_context(base_url=embedded_server.url, locale="fr-FR", viewport={"width": 1000, "height": 760})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    path = ROOT / "docs" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
