"""CounterUsage moves from claims to benefits: the table stays as it is, only Django's state moves."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contracts", "0001_initial"),
        ("claims", "0007_claim_ceiling"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CounterUsage",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("counter", models.CharField(max_length=60)),
                        ("scope", models.CharField(max_length=30)),
                        ("slot", models.CharField(blank=True, max_length=30)),
                        ("on", models.DateField()),
                        ("amount", models.DecimalField(decimal_places=2, default=0, max_digits=12)),
                        ("count", models.IntegerField(default=0)),
                        ("line_id", models.CharField(db_index=True, max_length=40)),
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="counter_usages",
                                to="contracts.member",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "claims_counterusage",
                        "indexes": [models.Index(fields=["member", "on"], name="claims_coun_member__632bc0_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
