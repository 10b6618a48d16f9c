import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from hearth.core.migration_operations import CreateModels


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModels(
[migrations.CreateModel(
            name='Program',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('slug', models.SlugField(unique=True)),
                ('time_zone', models.CharField(default='America/Chicago', max_length=64, verbose_name='time zone')),
                ('on_call_phone', models.CharField(blank=True, max_length=32, verbose_name='on-call phone')),
                ('allow_peer_private_messages', models.BooleanField(default=False, verbose_name='participants may message each other privately')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.CreateModel(
            name='Cohort',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cohorts', to='programs.program')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('program', 'name'), name='cohort_unique_name')],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('participant', 'Participant'), ('clinician', 'Clinician'), ('mentor', 'Peer mentor'), ('family', 'Family member or partner'), ('admin', 'Program admin')], max_length=20, verbose_name='role')),
                ('started_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('ended_at', models.DateTimeField(blank=True, null=True)),
                ('cohort', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='memberships', to='programs.cohort')),
                ('primary_clinician', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('related_participant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='family_memberships', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='programs.program')),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('ended_at__isnull', True)), fields=['program', 'role'], name='membership_active')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('ended_at__isnull', True), ('related_participant__isnull', True)), fields=('user', 'program', 'role'), name='membership_one_active_role'), models.UniqueConstraint(condition=models.Q(('ended_at__isnull', True), ('related_participant__isnull', False)), fields=('user', 'program', 'role', 'related_participant'), name='membership_one_active_family_link')],
            },
        ),]
),
    ]
