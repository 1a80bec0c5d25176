"""Claim, ClaimItem and Statement move from claims to benefits: their tables stay as they are, only
Django's state moves (and the content types that history rows point to)."""

import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


MOVED = ("claim", "claimitem", "statement")


def content_types_to_benefits(apps, schema_editor):
    """History rows and permissions point to content types: the moved models keep theirs."""
    content_type = apps.get_model("contenttypes", "ContentType")
    status_change = apps.get_model("core", "StatusChange")
    for model in MOVED:
        old = content_type.objects.filter(app_label="claims", model=model).first()
        if old is None:
            continue
        new = content_type.objects.filter(app_label="benefits", model=model).first()
        if new is None:
            old.app_label = "benefits"
            old.save(update_fields=["app_label"])
        else:  # already made by a later lookup: its rows join the older ones
            status_change.objects.filter(content_type=old).update(content_type=new)
            old.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('benefits', '0001_initial'),
        ('claims', '0009_item_other_insurer_paid'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
        ('contracts', '0003_beneficiary_teletransmission_member_teletransmission'),
        ('documents', '0002_duplicates_and_ocr'),
        ('providers', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Claim',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('online', 'online claim'), ('teletransmission', 'sent by the Assurance Maladie'), ('hospital', 'hospital invoice paid directly')], default='online', max_length=20, verbose_name='channel')),
                        ('name', models.CharField(max_length=100, verbose_name='name of the request')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('in_progress', 'In progress'), ('validated', 'Validated'), ('rejected', 'Rejected')], default='draft', max_length=20, verbose_name='status')),
                        ('ceiling', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="paid without a handler's reason up to")),
                        ('terms_version', models.CharField(blank=True, max_length=20, verbose_name='terms version')),
                        ('terms_accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='terms accepted at')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('beneficiary', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='claims', to='contracts.beneficiary')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='claims', to='contracts.member')),
                        ('paid_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='claims_paid', to='providers.provider', verbose_name='paid directly to')),
                        ('terms_accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'claim',
                        'verbose_name_plural': 'claims',
                        'db_table': 'claims_claim',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ClaimItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('benefit_code', models.CharField(max_length=60, verbose_name='care')),
                        ('care_date', models.DateField(verbose_name='date of the care')),
                        ('provider', models.CharField(max_length=200, verbose_name='health professional or establishment')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='amount paid')),
                        ('currency', models.CharField(default='EUR', max_length=3, verbose_name='currency')),
                        ('eur_rate', models.DecimalField(decimal_places=12, default=1, max_digits=24)),
                        ('amount_eur', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='amount in euros')),
                        ('br', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name='reimbursement base (BR)')),
                        ('mr', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name='paid by the Assurance Maladie')),
                        ('other_paid', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=10, verbose_name='paid by another complementary insurer')),
                        ('am_rate', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name='AM rate')),
                        ('quantity', models.PositiveSmallIntegerField(default=1, verbose_name='quantity')),
                        ('flags', models.JSONField(blank=True, default=list)),
                        ('attributes', models.JSONField(blank=True, default=dict)),
                        ('source_ref', models.CharField(blank=True, max_length=80, verbose_name='source')),
                        ('status', models.CharField(choices=[('pending', 'In progress'), ('in_review', 'In progress'), ('accepted', 'Validated'), ('rejected', 'Rejected')], default='pending', max_length=20, verbose_name='status')),
                        ('review_reasons', models.JSONField(blank=True, default=list)),
                        ('rejection_reason', models.CharField(blank=True, choices=[('missing_document', 'a supporting document is missing'), ('illegible', 'the supporting document is illegible'), ('altered', 'the supporting document appears to have been altered'), ('inappropriate', 'the supporting document does not match the care'), ('rights_expired', 'the person was not covered on the date of the care'), ('duplicate', 'this care has already been claimed'), ('not_covered', 'this care is not covered by the plan'), ('suspended', 'online claims are suspended for this account'), ('time_barred', 'the care is more than two years old: the claim is time-barred'), ('other', 'other reason')], max_length=30)),
                        ('rejection_text', models.TextField(blank=True)),
                        ('am_paid', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True)),
                        ('tiers_paid', models.JSONField(blank=True, default=dict)),
                        ('paid_total', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True)),
                        ('out_of_pocket', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True)),
                        ('explanation', models.JSONField(blank=True, default=dict)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='benefits.claim')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('documents', models.ManyToManyField(blank=True, related_name='claim_items', to='documents.document')),
                        ('duplicate_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='duplicates', to='benefits.claimitem', verbose_name='same care as')),
                    ],
                    options={
                        'verbose_name': 'care item',
                        'verbose_name_plural': 'care items',
                        'db_table': 'claims_claimitem',
                        'ordering': ['care_date', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Statement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=30, unique=True, verbose_name='number')),
                        ('issued_at', models.DateTimeField(verbose_name='issued at')),
                        ('total_paid', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='total reimbursed')),
                        ('claim', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='statement', to='benefits.claim')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='statements', to='contracts.member')),
                    ],
                    options={
                        'verbose_name': 'statement',
                        'verbose_name_plural': 'statements',
                        'db_table': 'claims_statement',
                        'ordering': ['-issued_at'],
                    },
                ),
    
            ],
            database_operations=[migrations.RunPython(content_types_to_benefits, migrations.RunPython.noop)],
        ),
    ]
