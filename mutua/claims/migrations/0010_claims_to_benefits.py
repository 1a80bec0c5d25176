"""Claim, ClaimItem and Statement now belong to the benefits app; their tables are untouched."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0009_item_other_insurer_paid'),
        ('guarantees', '0002_claim_in_benefits'),
        ('payments', '0005_claims_in_benefits'),
        ('quotes', '0002_claim_in_benefits'),
        ('teletransmission', '0005_claim_item_in_benefits'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='claimitem',
                    name='claim',
                ),
                migrations.RemoveField(
                    model_name='statement',
                    name='claim',
                ),
                migrations.RemoveField(
                    model_name='claimitem',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='claimitem',
                    name='documents',
                ),
                migrations.RemoveField(
                    model_name='claimitem',
                    name='duplicate_of',
                ),
                migrations.RemoveField(
                    model_name='statement',
                    name='member',
                ),
                migrations.DeleteModel(
                    name='Claim',
                ),
                migrations.DeleteModel(
                    name='ClaimItem',
                ),
                migrations.DeleteModel(
                    name='Statement',
                ),
    
            ],
            database_operations=[],
        ),
    ]
