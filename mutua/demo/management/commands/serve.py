"""Run the web server (gunicorn) and the background worker (Huey) together.

The embedded mode's one process tree: stopping it (Ctrl-C) stops both.
"""

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from mutua.demo.french import demo_logins_text


class Command(BaseCommand):
    help = "Serve Mutua with gunicorn and start the Huey worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")

    def handle(self, *args: Any, **options: Any) -> None:
        # The pages name their stylesheets by content hash: without this, a page is a server error (no manifest
        # entry), or an old stylesheet after an update.
        call_command("collectstatic", interactive=False, verbosity=0)
        python = sys.executable
        children: list[subprocess.Popen[bytes]] = []
        if not options["no_worker"]:
            children.append(subprocess.Popen([python, "-m", "mutua.cli", "run_huey"]))
        children.append(
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--bind",
                    options["bind"],
                    "--workers",
                    str(options["web_workers"]),
                    "--access-logfile",
                    "-",
                    "--forwarded-allow-ips",
                    "127.0.0.1",
                ]
            )
        )
        host, _, port = options["bind"].rpartition(":")
        if not settings.IS_PRODUCTION:
            self.stdout.write("\n" + demo_logins_text(base_url=f"http://{host}:{port}/") + "\n")

        def stop(*_: object) -> None:
            for child in children:
                child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop()
            for child in children:
                child.wait(timeout=10)
        sys.exit(max(child.returncode or 0 for child in children))
