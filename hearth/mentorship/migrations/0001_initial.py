import django.db.models.deletion
import django.utils.timezone
import hearth.core.encryption
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programs', '0003_cohort_kind'),
        ('safety', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MentorProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('pathways', models.JSONField(blank=True, default=list, verbose_name='recovery pathways')),
                ('years_in_recovery', models.PositiveSmallIntegerField(default=0, verbose_name='years in recovery')),
                ('languages', models.JSONField(blank=True, default=list, verbose_name='languages')),
                ('gender', models.CharField(blank=True, choices=[('woman', 'Woman'), ('man', 'Man'), ('nonbinary', 'Non-binary')], max_length=20, verbose_name='gender')),
                ('age_range', models.CharField(blank=True, choices=[('18-25', '18–25'), ('26-35', '26–35'), ('36-45', '36–45'), ('46-55', '46–55'), ('56+', '56+')], max_length=10, verbose_name='age range')),
                ('interests', models.JSONField(blank=True, default=list, verbose_name='interests')),
                ('lived_experience', models.JSONField(blank=True, default=list, verbose_name='lived experience')),
                ('availability', models.JSONField(blank=True, default=list, verbose_name='weekly availability')),
                ('time_zone', models.CharField(default='America/Chicago', max_length=64, verbose_name='time zone')),
                ('capacity', models.PositiveSmallIntegerField(default=3, verbose_name='most mentees at once')),
                ('approved_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentor_profiles', to='programs.program')),
                ('supervisor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='supervised_mentor_profiles', to=settings.AUTH_USER_MODEL, verbose_name='supervisor')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='mentor_profile', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('capacity__lte', 12)), name='mentor_capacity_at_most_12')],
            },
        ),
        migrations.CreateModel(
            name='MentorRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('languages', models.JSONField(blank=True, default=list, verbose_name='languages')),
                ('gender', models.CharField(blank=True, choices=[('woman', 'Woman'), ('man', 'Man'), ('nonbinary', 'Non-binary')], max_length=20, verbose_name="mentor's gender")),
                ('pathways', models.JSONField(blank=True, default=list, verbose_name='recovery pathways')),
                ('interests', models.JSONField(blank=True, default=list, verbose_name='interests')),
                ('lived_experience', models.JSONField(blank=True, default=list, verbose_name='lived experience')),
                ('availability', models.JSONField(blank=True, default=list, verbose_name='weekly availability')),
                ('time_zone', models.CharField(default='America/Chicago', max_length=64)),
                ('status', models.CharField(choices=[('waiting', 'Waiting for a match'), ('proposed', 'Match proposed'), ('matched', 'Matched'), ('withdrawn', 'Withdrawn')], default='waiting', max_length=12)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentor_requests', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentor_requests', to='programs.program')),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(condition=models.Q(('status__in', ['waiting', 'proposed'])), fields=('participant',), name='one_open_mentor_request')],
            },
        ),
        migrations.CreateModel(
            name='Mentorship',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('proposed', 'Proposed'), ('active', 'Active'), ('declined', 'Declined'), ('ended', 'Ended')], default='proposed', max_length=10)),
                ('score', models.SmallIntegerField(default=0)),
                ('reasons', models.JSONField(blank=True, default=list)),
                ('proposed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('mentor_accepted_at', models.DateTimeField(blank=True, null=True)),
                ('mentee_accepted_at', models.DateTimeField(blank=True, null=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('ended_at', models.DateTimeField(blank=True, null=True)),
                ('end_reason', models.CharField(blank=True, choices=[('goals_met', 'We reached what we set out to do'), ('schedule', 'Our schedules no longer fit'), ('fit', "Not the right fit — no one's fault"), ('program_ended', 'The program ended'), ('mentor_break', 'The mentor is taking a break'), ('other', 'Something else')], max_length=20)),
                ('ended_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentorships_as_mentee', to=settings.AUTH_USER_MODEL)),
                ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentorships_as_mentor', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentorships', to='programs.program')),
                ('proposed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentorships', to='mentorship.mentorrequest')),
            ],
            options={
                'indexes': [models.Index(fields=['mentor', 'status'], name='mentorship_mentor_status')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status__in', ['proposed', 'active'])), fields=('mentee',), name='one_open_mentorship'), models.CheckConstraint(condition=models.Q(('mentor', models.F('mentee')), _negated=True), name='mentorship_not_oneself')],
            },
        ),
        migrations.CreateModel(
            name='ContactLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('happened_at', models.DateTimeField(db_index=True, verbose_name='when')),
                ('channel', models.CharField(choices=[('call', 'Phone call'), ('video', 'Video'), ('message', 'Messages'), ('in_person', 'In person'), ('meeting', 'Meeting or group')], max_length=12, verbose_name='how')),
                ('minutes', models.PositiveSmallIntegerField(verbose_name='how long (minutes)')),
                ('how_it_went', models.CharField(choices=[('good', 'Went well'), ('okay', 'Okay'), ('hard', 'Hard'), ('no_answer', 'Could not reach them')], max_length=12, verbose_name='how it went')),
                ('note', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='a few words (optional, no clinical details)')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('logged_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('mentorship', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='mentorship.mentorship')),
            ],
            options={
                'ordering': ['-happened_at'],
                'constraints': [models.CheckConstraint(condition=models.Q(('minutes__lte', 600)), name='contact_at_most_ten_hours')],
            },
        ),
        migrations.CreateModel(
            name='TrainingRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='training or certification')),
                ('completed_on', models.DateField(verbose_name='completed on')),
                ('expires_on', models.DateField(verbose_name='expires on')),
                ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='trainings', to='mentorship.mentorprofile')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-expires_on'],
                'constraints': [models.CheckConstraint(condition=models.Q(('expires_on__gt', models.F('completed_on'))), name='training_expires_after')],
            },
        ),
        migrations.CreateModel(
            name='Worry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('raised_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('mentorship', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='worries', to='mentorship.mentorship')),
                ('raised_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('signal', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='safety.safetysignal')),
            ],
        ),
    ]
