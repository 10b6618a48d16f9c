import django.db.models.deletion
import django.utils.timezone
import hearth.core.encryption
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programs', '0002_enrolment_enrolmenttransition_track_enrolment_track_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='IntakePacket',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('open', 'Being filled in'), ('submitted', 'Sent to the care team'), ('reviewed', 'Reviewed')], default='open', max_length=12)),
                ('sex_at_birth', models.CharField(blank=True, choices=[('female', 'Female'), ('male', 'Male'), ('intersex', 'Intersex'), ('', 'Prefer not to say')], max_length=10, verbose_name='sex assigned at birth')),
                ('gender_identity', models.CharField(blank=True, max_length=60, verbose_name='gender')),
                ('availability', models.JSONField(blank=True, default=list, verbose_name='when you can attend')),
                ('availability_note', models.CharField(blank=True, max_length=300, verbose_name='anything else about your schedule')),
                ('about_done_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('review_note', hearth.core.encryption.EncryptedTextField(blank=True, verbose_name='review note')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='intake_packets', to=settings.AUTH_USER_MODEL)),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='intake_packets', to='programs.program')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(fields=('person', 'program'), name='intake_one_packet_per_program')],
            },
        ),
        migrations.CreateModel(
            name='ConsentSignature',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('document', models.CharField(choices=[('treatment', 'Consent to treatment'), ('telehealth', 'Consent to telehealth'), ('group_rules', 'Group agreement'), ('part2_notice', 'Notice of privacy: 42 CFR Part 2')], max_length=20)),
                ('document_version', models.CharField(max_length=40)),
                ('signed_name', models.CharField(max_length=200, verbose_name='signature (type your full name)')),
                ('signed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('signed_ip', models.GenericIPAddressField(blank=True, null=True)),
                ('user_agent', models.CharField(blank=True, max_length=300)),
                ('signer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('packet', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signatures', to='intake.intakepacket')),
            ],
            options={
                'ordering': ['signed_at'],
                'constraints': [models.UniqueConstraint(fields=('packet', 'document', 'document_version'), name='intake_sign_each_version_once')],
            },
        ),
        migrations.CreateModel(
            name='ScreeningResult',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measure', models.CharField(choices=[('phq9', 'PHQ-9'), ('gad7', 'GAD-7'), ('auditc', 'AUDIT-C'), ('dast10', 'DAST-10')], max_length=16)),
                ('answers', models.JSONField()),
                ('total', models.PositiveSmallIntegerField()),
                ('band', models.CharField(max_length=40)),
                ('level', models.CharField(max_length=10)),
                ('positive', models.BooleanField(null=True)),
                ('item9_positive', models.BooleanField(default=False)),
                ('submitted_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('packet', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='results', to='intake.intakepacket')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('packet', 'measure'), name='intake_one_result_per_measure')],
            },
        ),
    ]
