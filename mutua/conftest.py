import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what is queued after commit (the adjudication task, e-mails) as the worker would."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run
