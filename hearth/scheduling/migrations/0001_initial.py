import django.db.models.deletion
import django.utils.timezone
import hearth.accounts.models
import hearth.core.encryption
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarFeedToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('last_used_at', models.DateTimeField(blank=True, null=True)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feeds', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='SessionSeries',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('group_therapy', 'Group therapy'), ('psychoeducation', 'Psychoeducation'), ('support_group', 'Support group'), ('individual_counselling', 'Individual counselling'), ('family_session', 'Family session'), ('couples_session', 'Couples session'), ('mentor_meeting', 'Mentor meeting'), ('staff_checkin_call', 'Staff check-in call'), ('game_night', 'Game night'), ('movie_screening', 'Movie screening'), ('workshop', 'Workshop'), ('mindfulness', 'Mindfulness')], max_length=32, verbose_name='kind')),
                ('title', models.CharField(max_length=120, verbose_name='title')),
                ('time_zone', models.CharField(max_length=64, validators=[hearth.accounts.models.validate_time_zone], verbose_name='time zone')),
                ('start_time', models.TimeField(verbose_name='local start time')),
                ('duration_minutes', models.PositiveIntegerField(verbose_name='duration (minutes)')),
                ('rrule', models.CharField(max_length=500, verbose_name='recurrence rule')),
                ('dtstart', models.DateField(verbose_name='first date')),
                ('until', models.DateField(blank=True, null=True, verbose_name='last date')),
                ('count', models.PositiveIntegerField(blank=True, null=True, verbose_name='number of sessions')),
                ('capacity', models.PositiveIntegerField(blank=True, null=True, verbose_name='capacity')),
                ('expanded_through', models.DateField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('cohort', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='session_series', to='programs.cohort')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('hosts', models.ManyToManyField(blank=True, related_name='hosted_series', to=settings.AUTH_USER_MODEL)),
                ('people', models.ManyToManyField(blank=True, related_name='rostered_series', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='session_series', to='programs.program')),
            ],
            options={
                'verbose_name_plural': 'session series',
            },
        ),
        migrations.CreateModel(
            name='Occurrence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('group_therapy', 'Group therapy'), ('psychoeducation', 'Psychoeducation'), ('support_group', 'Support group'), ('individual_counselling', 'Individual counselling'), ('family_session', 'Family session'), ('couples_session', 'Couples session'), ('mentor_meeting', 'Mentor meeting'), ('staff_checkin_call', 'Staff check-in call'), ('game_night', 'Game night'), ('movie_screening', 'Movie screening'), ('workshop', 'Workshop'), ('mindfulness', 'Mindfulness')], max_length=32, verbose_name='kind')),
                ('title', models.CharField(max_length=120, verbose_name='title')),
                ('starts_at', models.DateTimeField(verbose_name='starts at')),
                ('ends_at', models.DateTimeField(verbose_name='ends at')),
                ('original_start', models.DateTimeField(blank=True, null=True)),
                ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                ('capacity', models.PositiveIntegerField(blank=True, null=True, verbose_name='capacity')),
                ('cohort', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='occurrences', to='programs.cohort')),
                ('hosts', models.ManyToManyField(blank=True, related_name='hosted_occurrences', to=settings.AUTH_USER_MODEL)),
                ('people', models.ManyToManyField(blank=True, related_name='rostered_occurrences', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='occurrences', to='programs.program')),
                ('series', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='occurrences', to='scheduling.sessionseries')),
            ],
            options={
                'indexes': [models.Index(fields=['program', 'starts_at'], name='occurrence_program_start')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('series__isnull', False)), fields=('series', 'original_start'), name='occurrence_unique_in_series'), models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='occurrence_ends_after_start')],
            },
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('present', 'Present'), ('late', 'Late'), ('left_early', 'Left early'), ('absent', 'Absent'), ('excused', 'Excused')], max_length=12, verbose_name='status')),
                ('minutes', models.PositiveIntegerField(default=0, verbose_name='minutes attended')),
                ('source', models.CharField(choices=[('manual', 'Marked by staff'), ('video', 'Video presence')], default='manual', max_length=8)),
                ('presence', models.JSONField(blank=True, default=list)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('marked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to=settings.AUTH_USER_MODEL)),
                ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='scheduling.occurrence')),
            ],
            options={
                'indexes': [models.Index(fields=['person', 'occurrence'], name='attendance_person')],
                'constraints': [models.UniqueConstraint(fields=('occurrence', 'person'), name='attendance_one_per_person')],
            },
        ),
        migrations.CreateModel(
            name='RSVP',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('going', 'Going'), ('waitlisted', 'On the wait-list'), ('cancelled', 'Not going')], max_length=12)),
                ('waitlist_position', models.PositiveIntegerField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rsvps', to='scheduling.occurrence')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rsvps', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('occurrence', 'person'), name='rsvp_one_per_person')],
            },
        ),
        migrations.CreateModel(
            name='SessionNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', hearth.core.encryption.EncryptedTextField(verbose_name='note')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('occurrence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='scheduling.occurrence')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='session_notes', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(condition=models.Q(('person__isnull', False)), fields=('occurrence', 'person'), name='session_note_one_per_person'), models.UniqueConstraint(condition=models.Q(('person__isnull', True)), fields=('occurrence',), name='session_note_one_group_note')],
            },
        ),
    ]
