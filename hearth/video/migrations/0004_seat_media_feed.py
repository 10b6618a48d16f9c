# Each seat gets its own server-assigned Janus feed id. Existing seats get one each (a single
# default for every row would break the one-feed-per-seat constraint).

from django.conf import settings
from django.db import migrations, models

import hearth.video.models


def feeds_assign(apps, schema_editor):
    Seat = apps.get_model("video", "Seat")
    for seat in Seat.objects.filter(media_feed_id__isnull=True).only("pk"):
        Seat.objects.filter(pk=seat.pk).update(media_feed_id=hearth.video.models.new_media_feed_id())


class Migration(migrations.Migration):
    dependencies = [
        ("video", "0003_session_chat"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(model_name="seat", name="media_feed_id", field=models.BigIntegerField(null=True)),
        migrations.RunPython(feeds_assign, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="seat",
            name="media_feed_id",
            field=models.BigIntegerField(default=hearth.video.models.new_media_feed_id, null=True),
        ),
        migrations.AddConstraint(
            model_name="seat",
            constraint=models.UniqueConstraint(fields=("room", "media_feed_id"), name="video_seat_one_feed_per_seat"),
        ),
    ]
