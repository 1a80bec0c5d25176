from django.db import migrations

from mutua.teletransmission.mappings import default_rows


def load(apps, schema_editor):
    ActMapping = apps.get_model("teletransmission", "ActMapping")
    ActMapping.objects.bulk_create([ActMapping(**row) for row in default_rows()], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("teletransmission", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
