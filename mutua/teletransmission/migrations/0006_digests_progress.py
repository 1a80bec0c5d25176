"""How far the households of a file have been told; files already done had told them all at once."""

from django.db import migrations, models


def done_files_told(apps, schema_editor):
    apps.get_model("teletransmission", "AmFile").objects.filter(status="done").update(digests_up_to=None)


class Migration(migrations.Migration):
    dependencies = [
        ("teletransmission", "0005_claim_item_in_benefits"),
    ]

    operations = [
        migrations.AddField(
            model_name="amfile",
            name="digests_up_to",
            field=models.PositiveIntegerField(blank=True, default=0, null=True),
        ),
        migrations.RunPython(done_files_told, migrations.RunPython.noop),
    ]
