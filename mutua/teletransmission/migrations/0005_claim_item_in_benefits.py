"""Claim items now belong to benefits; the column and its table are untouched."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('benefits', '0002_claims_to_benefits'),
        ('teletransmission', '0004_exception_status_label'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='amexception',
                    name='claim_item',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='am_exceptions', to='benefits.claimitem'),
                ),
    
            ],
            database_operations=[],
        ),
    ]
