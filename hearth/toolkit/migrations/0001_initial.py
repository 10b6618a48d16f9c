import django.db.models.deletion
import django.utils.timezone
import hearth.core.encryption
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programs', '0003_cohort_kind'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Goal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', hearth.core.encryption.EncryptedTextField(verbose_name='goal')),
                ('target_date', models.DateField(blank=True, null=True, verbose_name='target date')),
                ('completed_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='toolkit_goals', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['completed_at', 'target_date', '-created_at'],
            },
        ),
        migrations.CreateModel(
            name='GoalStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', hearth.core.encryption.EncryptedTextField(verbose_name='step')),
                ('order', models.PositiveSmallIntegerField(default=0)),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('goal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='toolkit.goal')),
            ],
            options={
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='JournalEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', hearth.core.encryption.EncryptedTextField(verbose_name='entry')),
                ('shared_with_care_team', models.BooleanField(default=False, verbose_name='share with my care team')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='journal_entries', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Lapse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('local_date', models.DateField(verbose_name='day')),
                ('note', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='note')),
                ('shared_with_care_team', models.BooleanField(default=False, verbose_name='share with my care team')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lapses', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['local_date', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Resource',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80)),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('kind', models.CharField(choices=[('article', 'Article'), ('audio', 'Audio'), ('video', 'Video'), ('worksheet', 'Worksheet')], max_length=12, verbose_name='kind')),
                ('language', models.CharField(choices=[('en', 'English'), ('es', 'Spanish')], max_length=5, verbose_name='language')),
                ('topics', models.JSONField(blank=True, default=list, verbose_name='topics')),
                ('phase', models.CharField(choices=[('any', 'Any time'), ('early', 'Early recovery'), ('ongoing', 'Ongoing recovery'), ('continuing', 'Continuing care')], default='any', max_length=12, verbose_name='phase')),
                ('summary', models.CharField(max_length=300, verbose_name='summary')),
                ('body', models.TextField(blank=True, verbose_name='text')),
                ('url', models.URLField(blank=True, verbose_name='link')),
                ('prompts', models.JSONField(blank=True, default=list, verbose_name='questions')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('program', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='resources', to='programs.program')),
            ],
            options={
                'ordering': ['title'],
                'constraints': [models.UniqueConstraint(fields=('program', 'slug', 'language'), name='resource_unique_slug')],
            },
        ),
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('assigned_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('due_date', models.DateField(verbose_name='due date')),
                ('instructions', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='a note for the person')),
                ('answers', hearth.core.encryption.EncryptedTextField(blank=True)),
                ('completed_at', models.DateTimeField(blank=True, null=True)),
                ('review_comment', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='comment')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('assigned_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('cohort', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programs.cohort')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='homework', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.program')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('resource', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='toolkit.resource')),
            ],
            options={
                'ordering': ['completed_at', 'due_date', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ResourceFavourite',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('resource', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='favourites', to='toolkit.resource')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('person', 'resource'), name='favourite_once')],
            },
        ),
        migrations.CreateModel(
            name='ResourceOpenCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('count', models.PositiveIntegerField(default=0)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.program')),
                ('resource', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='open_counts', to='toolkit.resource')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('resource', 'program', 'day'), name='open_count_per_day')],
            },
        ),
        migrations.CreateModel(
            name='SoberCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('enabled', models.BooleanField(default=False, verbose_name='show my days counter')),
                ('start_date', models.DateField(verbose_name='start date')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('person', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='sober_counter', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='ThoughtRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('situation', hearth.core.encryption.EncryptedTextField(verbose_name='What happened?')),
                ('thought', hearth.core.encryption.EncryptedTextField(verbose_name='What went through your mind?')),
                ('feeling', hearth.core.encryption.EncryptedTextField(verbose_name='What did you feel, and how strongly?')),
                ('evidence', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='What supports the thought, and what does not?')),
                ('balanced', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='A kinder, more balanced thought')),
                ('shared_with_care_team', models.BooleanField(default=False, verbose_name='share with my care team')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='thought_records', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
    ]
