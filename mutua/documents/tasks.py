from django_tasks import task

from mutua.core.task_backend import run_django_task  # noqa: F401  (registers it with the Huey consumer)
from mutua.documents.services import document_ocr


@task()
def read_document(*, document_id: str) -> None:
    document_ocr(document_id=document_id)
