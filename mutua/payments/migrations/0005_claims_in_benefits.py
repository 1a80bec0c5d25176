"""Claim items and statements now belong to benefits; the columns and their tables are untouched."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('benefits', '0002_claims_to_benefits'),
        ('payments', '0004_run_refused_by_the_bank'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='payable',
                    name='claim_item',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payables', to='benefits.claimitem'),
                ),
                migrations.AlterField(
                    model_name='payable',
                    name='statement',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payables', to='benefits.statement'),
                ),
    
            ],
            database_operations=[],
        ),
    ]
