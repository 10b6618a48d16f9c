import pytest

from hearth.accounts import demo as accounts_demo
from hearth.community import demo
from hearth.community.models import AlumniAccess, Audience, EventProposal, Group, Post, Thread, Watch
from hearth.community.selectors import flagged_posts_for_moderator, search_for_viewer, social_events_for_viewer

pytestmark = pytest.mark.django_db


def test_demo_seeds_five_groups_and_the_family_group_in_two_languages_with_one_flagged_post_and_is_idempotent():
    people = accounts_demo.seed_people()
    demo.seed(people)
    counts = (Group.objects.count(), Thread.objects.count(), Post.objects.count())
    assert counts[0] == 7 and counts[1] >= 10
    assert Group.objects.get(audience=Audience.FAMILIES).name == demo.FAMILY_GROUP[0]
    # One alumnus, whose care completed, in the alumni group with a thread of her own.
    (alumnus,) = AlumniAccess.objects.filter(ended_at__isnull=True)
    alumni = Group.objects.get(audience=Audience.ALUMNI)
    assert alumni.threads.filter(author=alumnus.person).exists()
    # Her events page has the alumni picnic she is invited to by name.
    assert [e.title for e in social_events_for_viewer(viewer=alumnus.person)] == [demo.ALUMNI_PICNIC]
    assert Thread.objects.filter(title="Hoy cumplo dos semanas").exists()
    queue = flagged_posts_for_moderator(viewer=people.clinicians[0])
    assert len(queue) == 1 and queue[0].is_visible
    # Quote-replies with mentions, a helpful mark, a watcher, two event ideas and a searchable index.
    assert Post.objects.filter(quote__isnull=False).count() == 2
    assert Post.objects.filter(helpful_at__isnull=False).count() == 2
    assert Watch.objects.filter(level="watching").count() == 1
    assert set(EventProposal.objects.values_list("status", flat=True)) == {"pending"}
    assert EventProposal.objects.count() == 2
    assert [t.title for t in search_for_viewer(viewer=people.participants["luis"], query="caminata")] == [
        "¿Qué hacen los fines de semana?"
    ]
    demo.seed(people)
    assert (Group.objects.count(), Thread.objects.count(), Post.objects.count()) == counts
    assert AlumniAccess.objects.count() == 1
    assert len(social_events_for_viewer(viewer=alumnus.person)) == 1
    assert EventProposal.objects.count() == 2 and Watch.objects.count() == 1
