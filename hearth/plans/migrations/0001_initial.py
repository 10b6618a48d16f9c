import django.db.models.deletion
import django.utils.timezone
import hearth.core.encryption
from django.conf import settings
from django.db import migrations, models

from hearth.core.migration_operations import CreateModels


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programs', '0002_enrolment_enrolmenttransition_track_enrolment_track_and_more'),
        ('scheduling', '0003_remove_occurrence_reminded_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModels(
[migrations.CreateModel(
            name='TreatmentPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='treatment_plans', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='treatment_plans', to='programs.program')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('person', 'program'), name='plan_one_per_program')],
            },
        ),
        migrations.CreateModel(
            name='PlanVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('problems', hearth.core.encryption.EncryptedTextField(verbose_name='problems')),
                ('goals', hearth.core.encryption.EncryptedTextField(verbose_name='goals')),
                ('objectives', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='objectives')),
                ('interventions', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='interventions')),
                ('weekly_minutes_target', models.PositiveIntegerField(blank=True, null=True, verbose_name='weekly target (minutes)')),
                ('next_review_on', models.DateField(verbose_name='next review')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('changed_fields', models.JSONField(default=list)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('groups', models.ManyToManyField(blank=True, related_name='+', to='scheduling.sessionseries')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='plans.treatmentplan')),
            ],
            options={
                'ordering': ['-number'],
                'indexes': [models.Index(fields=['plan', '-number'], name='plan_version_latest')],
                'constraints': [models.UniqueConstraint(fields=('plan', 'number'), name='plan_version_unique_number')],
            },
        ),]
),
    ]
