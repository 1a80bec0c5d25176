"""CounterUsage now belongs to the benefits app; its table is untouched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_claim_ceiling"),
        ("benefits", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CounterUsage")],
            database_operations=[],
        ),
    ]
