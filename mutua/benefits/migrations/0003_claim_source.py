"""A claim names the AM file it came from, instead of each of its items' source being read for it."""

from django.db import migrations, models


def sources_from_items(apps, schema_editor):
    """The AM's claims so far: their file, from an item's source ("AM <file id> #<line>")."""
    claim = apps.get_model("benefits", "Claim")
    item = apps.get_model("benefits", "ClaimItem")
    claims = claim.objects.filter(channel="teletransmission", source="").values_list("pk", flat=True)
    for pk in claims.iterator(chunk_size=2000):
        source_ref = item.objects.filter(claim_id=pk).values_list("source_ref", flat=True).first() or ""
        claim.objects.filter(pk=pk).update(source=source_ref.rsplit("#", 1)[0].strip())


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0002_claims_to_benefits"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="source",
            field=models.CharField(blank=True, db_index=True, max_length=80, verbose_name="source"),
        ),
        migrations.RunPython(sources_from_items, migrations.RunPython.noop),
    ]
