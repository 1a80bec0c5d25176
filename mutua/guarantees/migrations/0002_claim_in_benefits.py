"""The claim model now belongs to benefits; the column and its table are untouched."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('benefits', '0002_claims_to_benefits'),
        ('guarantees', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='guarantee',
                    name='claim',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='guarantee', to='benefits.claim'),
                ),
    
            ],
            database_operations=[],
        ),
    ]
