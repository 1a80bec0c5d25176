"""The support inbox's requests move to the management unit's one inbox: each becomes a conversation of kind
"contact" with its message (from nobody the unit knows) and its status history, then the model goes."""

from django.db import migrations

# The old statuses in the conversation's workflow: a request being handled still waits for the unit.
STATUSES = {"new": "open", "in_progress": "open", "closed": "closed"}


def requests_to_conversations(apps, schema_editor):
    ContactRequest = apps.get_model("support", "ContactRequest")
    Conversation = apps.get_model("conversations", "Conversation")
    Message = apps.get_model("conversations", "Message")
    ContentType = apps.get_model("contenttypes", "ContentType")
    StatusChange = apps.get_model("core", "StatusChange")
    old_type = ContentType.objects.filter(app_label="support", model="contactrequest").first()
    new_type, _ = ContentType.objects.get_or_create(app_label="conversations", model="conversation")
    for request in ContactRequest.objects.order_by("pk").iterator():
        conversation = Conversation.objects.create(
            kind="contact",
            topic="other",
            subject=f"{request.name}"[:150],
            status=STATUSES.get(request.status, "open"),
            language=request.language,
            contact_name=request.name,
            contact_email=request.email,
            contact_phone=request.phone,
            member_number_given=request.member_number_given,
            last_message_at=request.created_at,
        )
        message = Message.objects.create(conversation=conversation, from_member=False, text=request.message)
        # auto_now_add wrote today: the request's own dates are kept.
        Conversation.objects.filter(pk=conversation.pk).update(created_at=request.created_at)
        Message.objects.filter(pk=message.pk).update(created_at=request.created_at)
        if old_type is not None:
            for change in StatusChange.objects.filter(content_type=old_type, object_id=str(request.pk)):
                change.content_type = new_type
                change.object_id = str(conversation.pk)
                change.from_status = STATUSES.get(change.from_status, change.from_status)
                change.to_status = STATUSES.get(change.to_status, change.to_status)
                change.save(update_fields=["content_type", "object_id", "from_status", "to_status"])


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_initial"),
        ("conversations", "0001_initial"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(requests_to_conversations, migrations.RunPython.noop),
        migrations.DeleteModel(name="ContactRequest"),
    ]
