from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("guarantees", "0002_claim_in_benefits"),
    ]

    operations = [
        migrations.AddField(
            model_name="guarantee",
            name="currency",
            field=models.CharField(default="EUR", max_length=3, verbose_name="currency"),
        ),
    ]
