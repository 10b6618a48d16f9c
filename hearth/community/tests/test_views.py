import pytest
from django.urls import reverse

from hearth.community.models import GroupMember, Post, Reaction, Thread
from hearth.community.services import member_mute, post_hide, post_reply, reaction_toggle, thread_start
from hearth.scheduling.models import RSVP
from hearth.tests.factories import Role, UserFactory, grant_role

pytestmark = pytest.mark.django_db


def _grow(world, community, threads: int, replies: int) -> None:
    for n in range(threads):
        result = thread_start(actor=world.participant, group=community.group, title=f"Topic {n}", body="hello")
        for m in range(replies):
            author = world.other_participant if m % 2 else world.mentor
            reply = post_reply(actor=author, thread=result.post.thread, body=f"reply {m}")
            reaction_toggle(actor=world.participant, post=reply.post, kind="thank_you")


def test_group_page_queries_do_not_grow_with_threads(world, community, client_for, django_assert_max_num_queries):
    client = client_for(world.participant)
    url = reverse("community:group_detail", args=[community.group.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    _grow(world, community, threads=8, replies=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="unread"') >= 1


def test_thread_page_queries_do_not_grow_with_posts(world, community, client_for, django_assert_max_num_queries):
    client = client_for(world.participant)
    url = reverse("community:thread_detail", args=[community.thread.pk])
    client.get(url)
    with django_assert_max_num_queries(25) as small:
        assert client.get(url).status_code == 200
    for m in range(12):
        reply = post_reply(
            actor=world.mentor if m % 2 else world.other_participant, thread=community.thread, body=f"r{m}"
        )
        reaction_toggle(actor=world.participant, post=reply.post, kind="me_too")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('id="post-') == 13


def test_group_list_queries_do_not_grow_with_groups(world, community, client_for, django_assert_max_num_queries):
    from hearth.community.services import group_create

    client = client_for(world.participant)
    client.get(reverse("community:group_list"))
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("community:group_list"))
    for n in range(5):
        group = group_create(actor=world.admin, program=world.program, name=f"Group {n}")
        GroupMember.objects.create(group=group, user=world.participant)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("community:group_list"))
    assert "Group 4" in response.content.decode()


def test_script_in_a_post_is_shown_as_text(world, community, client_for):
    client = client_for(world.participant)
    body = '<script>alert("x")</script><b>bold</b> <img src=x onerror=alert(1)>'
    response = client.post(reverse("community:post_reply", args=[community.thread.pk]), {"body": body})
    assert response.status_code == 302
    page = client.get(reverse("community:thread_detail", args=[community.thread.pk])).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


@pytest.mark.parametrize("body", ["", "x" * 100_000])
def test_empty_and_huge_replies_get_a_clear_error(world, community, client_for, body):
    client = client_for(world.participant)
    response = client.post(reverse("community:post_reply", args=[community.thread.pk]), {"body": body})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Write something before posting." in text or "at most 10000 characters" in text
    assert Post.objects.count() == 1


def test_new_thread_bad_input(world, community, client_for):
    client = client_for(world.participant)
    url = reverse("community:thread_new", args=[community.group.pk])
    response = client.post(url, {"title": "", "body": "hi"})
    assert response.status_code == 400 and "Give your thread a short title" in response.content.decode()
    response = client.post(url, {"title": "Hello", "body": "  "})
    assert response.status_code == 400
    assert Thread.objects.count() == 1


def test_posting_to_a_group_one_is_not_in(world, community, client_for):
    stranger = UserFactory()
    grant_role(stranger, world.program, Role.PARTICIPANT)
    client = client_for(stranger)
    url = reverse("community:thread_new", args=[community.group.pk])
    response = client.post(url, {"title": "Hello", "body": "hi"})
    assert response.status_code == 400 and "Join this group to post in it." in response.content.decode()
    # Not a member: the thread itself is out of reach.
    assert client.get(reverse("community:thread_detail", args=[community.thread.pk])).status_code == 404
    assert client.post(reverse("community:post_reply", args=[community.thread.pk]), {"body": "x"}).status_code == 404


def test_stale_edit_shows_the_latest_text_and_changes_nothing(world, community, client_for):
    client = client_for(world.other_participant)
    url = reverse("community:post_edit", args=[community.post.pk])
    assert client.post(url, {"body": "First edit", "version": "1"}).status_code == 302
    response = client.post(url, {"body": "From an old tab", "version": "1"})
    assert response.status_code == 400
    assert "changed since you opened it" in response.content.decode()
    assert Post.objects.get(pk=community.post.pk).body == "First edit"
    assert client.post(url, {"body": "x", "version": "not a number"}).status_code == 400


def test_replying_to_a_hidden_thread(world, community, client_for):
    post_hide(actor=world.clinician, post=community.post, reason="harmful")
    # Others no longer find it; the author sees why, and cannot add to it.
    assert (
        client_for(world.participant).get(reverse("community:thread_detail", args=[community.thread.pk])).status_code
        == 404
    )
    client = client_for(world.other_participant)
    page = client.get(reverse("community:thread_detail", args=[community.thread.pk])).content.decode()
    assert "A moderator hid your post" in page and "It could hurt or upset others" in page
    response = client.post(reverse("community:post_reply", args=[community.thread.pk]), {"body": "hello?"})
    assert response.status_code == 400 and "cannot get new replies" in response.content.decode()
    assert Post.objects.count() == 1


def test_crisis_post_shows_the_author_the_crisis_panel(world, community, client_for):
    client = client_for(world.participant)
    response = client.post(
        reverse("community:post_reply", args=[community.thread.pk]),
        {"body": "I want to end my life, I can't keep going"},
        follow=True,
    )
    page = response.content.decode()
    assert 'class="card crisis-card"' in page and "Call or text 988" in page
    assert "I want to end my life" in page  # posted and visible, never blocked
    # Shown once.
    assert (
        'class="card crisis-card"'
        not in client.get(reverse("community:thread_detail", args=[community.thread.pk])).content.decode()
    )


def test_other_program_and_family_are_kept_out(world, community, client_for, outsider):
    for user, code in ((outsider, 404), (world.other_clinician, 404)):
        client = client_for(user)
        assert client.get(reverse("community:group_detail", args=[community.group.pk])).status_code == code
        assert client.get(reverse("community:thread_detail", args=[community.thread.pk])).status_code == code
        assert "Early recovery" not in client.get(reverse("community:group_list")).content.decode()
    # Family members have their own groups; the participants' groups are unknown to them.
    for family in (world.family_with_consent, world.family_without):
        client = client_for(family)
        assert "Early recovery" not in client.get(reverse("community:group_list")).content.decode()
        assert client.get(reverse("community:group_detail", args=[community.group.pk])).status_code == 404
        assert client.get(reverse("community:thread_detail", args=[community.thread.pk])).status_code == 404


def test_muted_member_is_kept_from_posting(world, community, client_for):
    member_mute(actor=world.clinician, group=community.group, user=world.participant, hours=24, reason="rules")
    client = client_for(world.participant)
    page = client.get(reverse("community:thread_detail", args=[community.thread.pk])).content.decode()
    assert "paused your posting" in page
    response = client.post(reverse("community:post_reply", args=[community.thread.pk]), {"body": "hello"})
    assert response.status_code == 400
    client.post(reverse("community:post_react", args=[community.post.pk]), {"kind": "me_too"})
    assert not Reaction.objects.exists()
    notices = client.get(reverse("community:notices")).content.decode()
    assert "Paused from posting in a group" in notices and "went against the group agreement" in notices


def test_moderation_queue_lists_flags_and_hides(world, community, client_for):
    client_for(world.participant).post(reverse("community:post_flag", args=[community.post.pk]), {"reason": "harmful"})
    client = client_for(world.clinician)
    page = client.get(reverse("community:moderation_queue")).content.decode()
    assert "First week" in page and "It could hurt or upset someone" in page
    response = client.post(
        reverse("community:post_moderate", args=[community.post.pk]), {"decision": "hide", "reason": "privacy"}
    )
    assert response.status_code == 302
    assert Post.objects.get(pk=community.post.pk).hidden_reason == "privacy"
    assert "Nothing is waiting for review." in client.get(reverse("community:moderation_queue")).content.decode()
    # A bad decision is a message, not a 500.
    response = client.post(
        reverse("community:post_moderate", args=[community.post.pk]), {"decision": "hide", "reason": "x"}
    )
    assert response.status_code == 302


def test_flag_form_requires_a_reason(world, community, client_for):
    response = client_for(world.participant).post(reverse("community:post_flag", args=[community.post.pk]), {})
    assert response.status_code == 400


def test_events_page_rsvp_and_whos_going(world, community, client_for):
    client = client_for(world.participant)
    page = client.get(reverse("community:events")).content.decode()
    assert "Game night" in page and "Be the first" in page
    response = client.post(reverse("community:event_rsvp", args=[community.event.pk]), {"going": "1"})
    assert response.status_code == 302
    assert RSVP.objects.get(person=world.participant).status == "going"
    # Capacity 1: the next person joins the wait-list.
    client = client_for(world.other_participant)
    client.post(reverse("community:event_rsvp", args=[community.event.pk]), {"going": "1"})
    assert RSVP.objects.get(person=world.other_participant).status == "waitlisted"
    page = client.get(reverse("community:events")).content.decode()
    assert "Participant" in page and "number 1 on the wait-list" in page
    # Legal names never appear; a second RSVP is harmless.
    client.post(reverse("community:event_rsvp", args=[community.event.pk]), {"going": "1"})
    assert RSVP.objects.filter(person=world.other_participant).count() == 1
