from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mutua.demo.french import demo_load


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refused in production."

    def handle(self, *args: object, **options: object) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Demo data has public passwords: it is never loaded in production.")
        demo_load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
