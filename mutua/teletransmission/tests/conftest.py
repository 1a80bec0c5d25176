import pytest

from mutua.teletransmission.mappings import default_rows
from mutua.teletransmission.models import ActMapping


@pytest.fixture(autouse=True)
def _act_mappings(request):
    """The mapping table comes from a data migration, and a transactional test elsewhere in the
    suite empties every table when it ends: tests here start with the shipped table."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    ActMapping.objects.bulk_create([ActMapping(**row) for row in default_rows()], ignore_conflicts=True)
