"""Scaled-out mode: a web process enqueues, a worker on another process consumes, through Redis."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable() -> bool:
    url = urlparse(REDIS_URL)
    try:
        with socket.create_connection((url.hostname, url.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def test_a_task_enqueued_by_one_process_runs_in_a_worker_process(tmp_path):
    if not redis_reachable():
        pytest.skip(f"MISSING: Redis at {REDIS_URL} (set TEST_REDIS_URL)")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env |= {
        "MUTUA_ENV": "development",
        "MUTUA_VAR_DIR": str(tmp_path),
        "REDIS_URL": REDIS_URL,
        "QUEUE_NAME": f"mutua-test-{uuid.uuid4().hex[:8]}",
    }
    cli = [sys.executable, "-m", "mutua.cli"]
    # The e-mail is a notification row the worker reads: both processes share the database.
    subprocess.run([*cli, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    worker = subprocess.Popen(
        [*cli, "run_huey"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        enqueue = (
            "from mutua.notifications.services import notification_send; "
            "notification_send(to='ops@example.org', template='support/email/contact_new', "
            "context={'reference': 42}, language='en')"
        )
        subprocess.run([*cli, "shell", "-c", enqueue], cwd=ROOT, env=env, check=True, timeout=60)
        deadline = time.monotonic() + 30
        mail_dir = tmp_path / "mail"
        while not (mail_dir.exists() and any(mail_dir.iterdir())):
            assert time.monotonic() < deadline, "the worker did not send the e-mail"
            time.sleep(0.2)
        sent = next(mail_dir.iterdir()).read_text()
        assert "To: ops@example.org" in sent and "reference 42" in sent
    finally:
        worker.terminate()
        worker.wait(timeout=20)
