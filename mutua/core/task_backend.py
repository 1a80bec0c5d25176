"""django-tasks backend that hands tasks to Huey.

Application code only uses the django-tasks API (``@task`` and ``.enqueue()``), so the
queue underneath can change without touching it. Huey stores the queue in an SQLite file
in the embedded mode and in Redis when scaled out; ``mutua run_huey`` consumes it.
"""

from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from huey.contrib.djhuey import HUEY


@HUEY.task(retries=3, retry_delay=30)
def run_django_task(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """The one Huey task: runs a django-tasks task by its import path."""
    return import_string(module_path).call(*args, **kwargs)


class HueyTaskBackend(BaseTaskBackend):
    supports_defer = True

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result_id = get_random_id()
        HUEY.enqueue(run_django_task.s(task.module_path, list(args), dict(kwargs), id=result_id, eta=task.run_after))
        return TaskResult(
            task=task,
            id=result_id,
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
