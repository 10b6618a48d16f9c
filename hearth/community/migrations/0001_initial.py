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
            name='Group',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, verbose_name='name')),
                ('description', models.CharField(blank=True, max_length=300, verbose_name='description')),
                ('join_policy', models.CharField(choices=[('open', 'Open: anyone in the program can join'), ('request', 'Ask to join: a facilitator says yes'), ('invite', 'Invite only')], default='open', max_length=10, verbose_name='who can join')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='community_groups', to='programs.program')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('program', 'name'), name='community_group_unique_name')],
            },
        ),
        migrations.CreateModel(
            name='GroupMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('active', 'Member'), ('requested', 'Asked to join'), ('left', 'Left')], default='active', max_length=10)),
                ('role', models.CharField(choices=[('member', 'Member'), ('facilitator', 'Facilitator')], default='member', max_length=12)),
                ('joined_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('muted_until', models.DateTimeField(blank=True, null=True)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='community.group')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='community_memberships', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('group', 'user'), name='community_member_unique')],
            },
        ),
        migrations.CreateModel(
            name='Post',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', hearth.core.encryption.EncryptedTextField()),
                ('is_opening', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('edited_at', models.DateTimeField(blank=True, null=True)),
                ('version', models.PositiveIntegerField(default=1)),
                ('deleted_at', models.DateTimeField(blank=True, null=True)),
                ('hidden_at', models.DateTimeField(blank=True, null=True)),
                ('hidden_reason', models.CharField(blank=True, choices=[('flags', 'Several people flagged it; a moderator will review it soon'), ('harmful', 'It could hurt or upset others'), ('privacy', "It shared someone's private information"), ('spam', 'It was off-topic or advertising'), ('use_details', 'It described substance use in detail, which can be a trigger for others'), ('rules', 'It went against the group agreement')], max_length=20)),
                ('open_flags', models.PositiveIntegerField(default=0)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('hidden_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['thread', 'created_at', 'pk'],
                'indexes': [models.Index(condition=models.Q(('open_flags__gt', 0)), fields=['open_flags'], name='community_post_flagged')],
            },
        ),
        migrations.CreateModel(
            name='ModerationAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('hidden', 'Post hidden'), ('auto_hidden', 'Post hidden until a moderator reviews it'), ('restored', 'Post restored'), ('muted', 'Paused from posting in a group')], max_length=12)),
                ('reason', models.CharField(blank=True, choices=[('flags', 'Several people flagged it; a moderator will review it soon'), ('harmful', 'It could hurt or upset others'), ('privacy', "It shared someone's private information"), ('spam', 'It was off-topic or advertising'), ('use_details', 'It described substance use in detail, which can be a trigger for others'), ('rules', 'It went against the group agreement')], max_length=20)),
                ('until', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='moderation_actions', to='community.group')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('post', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='community.post')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Flag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('harmful', 'It could hurt or upset someone'), ('privacy', "It shares someone's private information"), ('spam', 'Off-topic or advertising'), ('worried', 'I am worried about the person who wrote it'), ('other', 'Something else')], max_length=10, verbose_name='reason')),
                ('note', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='anything else a moderator should know')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('reporter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='community.post')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('post', 'reporter'), name='community_flag_unique')],
            },
        ),
        migrations.CreateModel(
            name='PostRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', hearth.core.encryption.EncryptedTextField()),
                ('replaced_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='community.post')),
            ],
            options={
                'ordering': ['-replaced_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Reaction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('me_too', 'Me too'), ('thank_you', 'Thank you'), ('strength', 'Sending strength')], max_length=12)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reactions', to='community.post')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('post', 'user', 'kind'), name='community_reaction_unique')],
            },
        ),
        migrations.CreateModel(
            name='Thread',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=120, verbose_name='title')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('last_post_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('reply_count', models.PositiveIntegerField(default=0)),
                ('pinned_at', models.DateTimeField(blank=True, null=True)),
                ('hidden_at', models.DateTimeField(blank=True, null=True)),
                ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='threads', to='community.group')),
            ],
            options={
                'indexes': [models.Index(fields=['group', 'last_post_at'], name='community_thread_recent')],
            },
        ),
        migrations.AddField(
            model_name='post',
            name='thread',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='posts', to='community.thread'),
        ),
        migrations.CreateModel(
            name='ThreadRead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('read_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('thread', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reads', to='community.thread')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('thread', 'user'), name='community_read_unique')],
            },
        ),
        migrations.AddIndex(
            model_name='post',
            index=models.Index(fields=['thread', 'created_at'], name='community_post_thread'),
        ),
    ]
