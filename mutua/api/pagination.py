from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """Page numbers, each row shown through ``present``; pages and sizes bounded."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, le=100)

    def __init__(self, *, present: Callable[[Any], dict[str, object]], **kwargs: Any) -> None:
        self.present = present
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result[self.items_attribute] = [self.present(row) for row in result[self.items_attribute]]
        return result
