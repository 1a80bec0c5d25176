import mutua.core.countries
import mutua.core.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("benefits", "0003_claim_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimitem",
            name="care_country",
            field=mutua.core.fields.CountryField(
                blank=True,
                max_length=2,
                validators=[mutua.core.countries.country_code_validator],
                verbose_name="country of the care",
            ),
        ),
        migrations.AddField(
            model_name="claimitem",
            name="care_urgent",
            field=models.BooleanField(default=False, verbose_name="urgent, not planned care"),
        ),
        migrations.AddField(
            model_name="claimitem",
            name="duty_travel",
            field=models.BooleanField(default=False, verbose_name="on duty travel"),
        ),
    ]
