import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the default language of the test settings is French)."""
    with translation.override("en"):
        yield
