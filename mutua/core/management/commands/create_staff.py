"""Create a back-office user and print the authenticator enrolment (the first administrator, say)."""

import getpass
import io
import os

import segno
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.accounts.models import STAFF_ROLES, Role
from mutua.accounts.services import staff_user_create


class Command(BaseCommand):
    help = "Create a staff user with a TOTP device; the password comes from MUTUA_STAFF_PASSWORD or a prompt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(STAFF_ROLES))
        parser.add_argument("--email", required=True)

    def handle(self, *args: object, **options: str) -> None:
        password = os.environ.get("MUTUA_STAFF_PASSWORD") or getpass.getpass("Password: ")
        try:
            user, device = staff_user_create(
                username=options["username"], email=options["email"], role=Role(options["role"]), password=password
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        qr = io.StringIO()
        segno.make(device.config_url, error="l").terminal(out=qr, compact=True)
        self.stdout.write(qr.getvalue())
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}).")
        self.stdout.write(f"Scan the code above, or add this URI to an authenticator app:\n{device.config_url}")
