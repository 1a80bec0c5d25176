"""What the app sends and reads of the household's conversations with its management unit."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

Topic = Literal["claim", "quote", "guarantee", "contract", "payment", "other"]


class ConversationIn(Schema):
    kind: Literal["message", "complaint"] = Field(
        "message",
        description="A complaint gets the legal deadlines: acknowledged within 10 days (Sundays and French public "
        "holidays not counted), answered within "
        "2 months.",
    )
    topic: Topic
    subject: str = Field(description="At most 150 characters.")
    text: str = Field("", description="At most 5,000 characters.")
    medical: bool = Field(False, description="Only the medical advisor reads it, and its files.")
    claim_id: int | None = Field(None, description="One of the household's claims it is about.")
    quote_id: int | None = Field(None, description="One of the household's quotes it is about.")
    guarantee_id: int | None = Field(None, description="One of the household's hospital guarantees it is about.")


class ReplyIn(Schema):
    text: str = Field("", description="At most 5,000 characters.")


class AttachmentOut(Schema):
    id: UUID = Field(description="Download it from GET /documents/{id}.")
    name: str
    content_type: str
    size: int


class ThreadMessageOut(Schema):
    id: int
    from_member: bool = Field(description="True: written by the household; false: by the management unit.")
    text: str
    created_at: datetime
    read_at: datetime | None = Field(description="When the other side read it (the read receipt).")
    attachments: list[AttachmentOut]


class ConversationSummaryOut(Schema):
    id: int
    reference: str = Field(description="As the management unit names it, e.g. M-000123.")
    kind: Literal["message", "complaint", "review", "contact"]
    kind_label: str
    topic: Topic
    topic_label: str
    subject: str
    status: Literal["open", "answered", "closed"]
    status_label: str
    medical: bool
    unread: int = Field(description="The management unit's messages not read yet.")
    last_activity: datetime
    claim_id: int | None
    quote_id: int | None
    guarantee_id: int | None


class MediatorOut(Schema):
    name: str
    url: str


class ComplaintOut(Schema):
    step: Literal["unit", "quality_cell_open", "quality_cell", "mediator"] = Field(
        description="With the management unit; answered (if not satisfied, the quality cell may be asked on the "
        "portal); with the quality cell; the quality cell answered (the insurer's mediator is the last resort)."
    )
    acknowledge_by: date | None
    acknowledged_at: datetime | None
    answer_by: date | None
    answered_at: datetime | None
    answer_extended_because: str
    quality_cell_at: datetime | None
    quality_cell_email: str = Field(description="Where the quality cell can also be written to; may be empty.")
    mediator: MediatorOut | None = Field(description="Given once the quality cell has answered.")


class ConversationOut(ConversationSummaryOut):
    complaint: ComplaintOut | None = Field(description="A complaint's deadlines and steps; null for a message.")
    messages: list[ThreadMessageOut]
