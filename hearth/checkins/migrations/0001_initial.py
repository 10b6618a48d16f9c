import django.db.models.deletion
import django.utils.timezone
import hearth.core.encryption
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MeasureSchedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measure', models.CharField(choices=[('phq9', 'PHQ-9'), ('gad7', 'GAD-7'), ('barc10', 'BARC-10'), ('ucla3', 'Loneliness (UCLA 3-item)')], max_length=16, verbose_name='questionnaire')),
                ('every_days', models.PositiveSmallIntegerField(default=14, verbose_name='every (days)')),
                ('starts_on', models.DateField(verbose_name='from')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('ended_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measure_schedules', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(condition=models.Q(('ended_at__isnull', True)), fields=('person', 'measure'), name='measure_schedule_one_active'), models.CheckConstraint(condition=models.Q(('every_days__gte', 1)), name='measure_schedule_every_positive')],
            },
        ),
        migrations.CreateModel(
            name='MeasureResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measure', models.CharField(choices=[('phq9', 'PHQ-9'), ('gad7', 'GAD-7'), ('barc10', 'BARC-10'), ('ucla3', 'Loneliness (UCLA 3-item)')], max_length=16)),
                ('instance_date', models.DateField()),
                ('answers', models.JSONField()),
                ('total', models.PositiveSmallIntegerField()),
                ('band', models.CharField(max_length=40)),
                ('level', models.CharField(max_length=10)),
                ('item9_positive', models.BooleanField(default=False)),
                ('submitted_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measure_responses', to=settings.AUTH_USER_MODEL)),
                ('schedule', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='checkins.measureschedule')),
            ],
            options={
                'ordering': ['-submitted_at'],
                'indexes': [models.Index(fields=['person', 'measure', '-submitted_at'], name='measure_person_recent')],
                'constraints': [models.UniqueConstraint(fields=('person', 'measure', 'instance_date'), name='measure_once_per_instance')],
            },
        ),
        migrations.CreateModel(
            name='CheckIn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('local_date', models.DateField(verbose_name='day')),
                ('mood', models.PositiveSmallIntegerField(verbose_name='mood')),
                ('craving', models.PositiveSmallIntegerField(verbose_name='craving')),
                ('sleep_hours', models.DecimalField(decimal_places=1, max_digits=3, verbose_name='hours of sleep')),
                ('sleep_quality', models.CharField(choices=[('poor', 'Poor'), ('fair', 'Fair'), ('good', 'Good')], max_length=8, verbose_name='sleep quality')),
                ('used', models.BooleanField(default=False, verbose_name='used since last check-in')),
                ('used_what', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='what was used')),
                ('triggers', models.JSONField(blank=True, default=list, verbose_name='triggers')),
                ('trigger_other', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='other trigger')),
                ('connections', models.JSONField(blank=True, default=list, verbose_name='connected with')),
                ('note', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='note')),
                ('version', models.PositiveIntegerField(default=1)),
                ('submitted_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checkins', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-local_date'],
                'constraints': [models.UniqueConstraint(fields=('person', 'local_date'), name='checkin_one_per_day'), models.CheckConstraint(condition=models.Q(('mood__gte', 1), ('mood__lte', 10)), name='checkin_mood_range'), models.CheckConstraint(condition=models.Q(('craving__gte', 0), ('craving__lte', 10)), name='checkin_craving_range'), models.CheckConstraint(condition=models.Q(('sleep_hours__gte', 0), ('sleep_hours__lte', 24)), name='checkin_sleep_range')],
            },
        ),
    ]
