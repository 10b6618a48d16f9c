import django.db.models.deletion
import django.utils.timezone
import hearth.core.encryption
from django.conf import settings
from django.db import migrations, models

from hearth.core.migration_operations import CreateModels


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModels(
[migrations.CreateModel(
            name='OutreachTask',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rule', models.CharField(choices=[('phq9_item9', 'PHQ-9 item 9 above 0'), ('use_reported', 'Use reported'), ('high_craving', 'High craving'), ('missed_session', 'Missed a session'), ('missed_checkins', 'Missed check-ins'), ('isolation', 'No sign of social contact')], max_length=24, verbose_name='rule')),
                ('urgency', models.PositiveSmallIntegerField(choices=[(0, 'Urgent'), (1, 'High'), (2, 'Routine')], verbose_name='urgency')),
                ('status', models.CharField(choices=[('open', 'Open'), ('resolved', 'Resolved')], default='open', max_length=10, verbose_name='status')),
                ('due_at', models.DateTimeField(verbose_name='due')),
                ('evidence', models.JSONField(default=dict)),
                ('raised_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('outcome', models.CharField(blank=True, choices=[('reached_call', 'Reached by call'), ('reached_video', 'Reached by video'), ('reached_message', 'Reached by message'), ('no_answer', 'No answer'), ('left_message', 'Left a message')], max_length=20, verbose_name='outcome')),
                ('notes', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='notes')),
                ('escalated_at', models.DateTimeField(blank=True, null=True)),
                ('escalated_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='owned_outreach', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outreach_tasks', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outreach_tasks', to='programs.program')),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['owner', 'status', 'urgency', 'due_at'], name='outreach_queue'), models.Index(fields=['status', 'due_at'], name='outreach_overdue'), models.Index(fields=['person', 'rule', '-raised_at'], name='outreach_person_rule')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('person', 'rule'), name='outreach_one_open_task_per_rule')],
            },
        ),
        migrations.CreateModel(
            name='ProgramThresholds',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('missed_checkins_in_a_row', models.PositiveSmallIntegerField(default=2, verbose_name='missed check-ins in a row')),
                ('craving_at_least', models.PositiveSmallIntegerField(default=8, verbose_name='craving at or above')),
                ('isolation_days', models.PositiveSmallIntegerField(default=4, verbose_name='days without social contact')),
                ('missed_session_lookback_days', models.PositiveSmallIntegerField(default=7, verbose_name='look back for missed sessions (days)')),
                ('disabled_rules', models.JSONField(blank=True, default=list)),
                ('program', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='outreach_thresholds', to='programs.program')),
            ],
        ),
        migrations.CreateModel(
            name='TaskEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('raised', 'Raised'), ('attempt', 'Outreach attempt'), ('escalated', 'Escalated'), ('resolved', 'Resolved')], max_length=12)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('outcome', models.CharField(blank=True, choices=[('reached_call', 'Reached by call'), ('reached_video', 'Reached by video'), ('reached_message', 'Reached by message'), ('no_answer', 'No answer'), ('left_message', 'Left a message')], max_length=20)),
                ('note', hearth.core.encryption.EncryptedTextField(blank=True)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='outreach.outreachtask')),
            ],
            options={
                'ordering': ['at', 'pk'],
            },
        ),]
),
    ]
