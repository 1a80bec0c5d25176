"""What the engine says when its input cannot be adjudicated."""

from __future__ import annotations


class AdjudicationError(ValueError):
    """The input cannot be adjudicated: which line (``line_id``), which of its fields (``field``, e.g.
    ``br`` or ``attributes.side``) and what is wrong with it (``code``), for callers to act on; the
    message says the same in words for people (``detail``: the words about the field alone)."""

    def __init__(self, *, line_id: str, field: str, code: str, detail: str) -> None:
        super().__init__(f"line '{line_id}': {field}: {detail}")
        self.line_id, self.field, self.code, self.detail = line_id, field, code, detail


def problem(line_id: str, field: str, code: str, detail: str) -> AdjudicationError:
    return AdjudicationError(line_id=line_id, field=field, code=code, detail=detail)
