import django.db.models.deletion
import django.utils.timezone
import hearth.core.encryption
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programs', '0004_program_escalation_minutes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Scene',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=60, verbose_name='short name')),
                ('source', models.TextField(verbose_name='scene (YAML)')),
                ('definition', models.JSONField()),
                ('version', models.PositiveIntegerField(default=1)),
                ('is_active', models.BooleanField(default=True, verbose_name='shown to participants')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='practice_scenes', to='programs.program')),
            ],
            options={
                'ordering': ['slug', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('program', 'slug'), name='practice_scene_slug_per_program'), models.UniqueConstraint(condition=models.Q(('program__isnull', True)), fields=('slug',), name='practice_scene_slug_global')],
            },
        ),
        migrations.CreateModel(
            name='PracticeRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scene_version', models.PositiveIntegerField()),
                ('language', models.CharField(default='en', max_length=8)),
                ('record', hearth.core.encryption.EncryptedJSONField(default=dict)),
                ('ending_kind', models.CharField(blank=True, choices=[('good', 'Good ending'), ('teaches', 'An ending to learn from')], max_length=8)),
                ('started_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='practice_runs', to=settings.AUTH_USER_MODEL)),
                ('scene', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='runs', to='practice.scene')),
            ],
            options={
                'ordering': ['-started_at', '-pk'],
                'indexes': [models.Index(fields=['person', '-started_at'], name='practice_run_person_recent')],
            },
        ),
        migrations.CreateModel(
            name='PracticeAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('due_on', models.DateField(verbose_name='practise by')),
                ('assigned_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('completed_at', models.DateTimeField(blank=True, null=True)),
                ('assigned_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='practice_assignments', to=settings.AUTH_USER_MODEL)),
                ('completed_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='practice.practicerun')),
                ('scene', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='practice.scene')),
            ],
            options={
                'ordering': ['due_on', 'pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('completed_at__isnull', True)), fields=('person', 'scene'), name='practice_assignment_one_open')],
            },
        ),
    ]
