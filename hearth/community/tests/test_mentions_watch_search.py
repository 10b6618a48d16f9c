"""Mentions, watching levels, unread markers, quote-reply, mark-as-helpful and search (#15 items 1-3)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.community.models import GroupMember, Post, PostTerm, Watch
from hearth.community.search import words
from hearth.community.selectors import groups_for_viewer, search_for_viewer
from hearth.community.services import (
    post_delete,
    post_edit,
    post_hide,
    post_mark_helpful,
    post_reply,
    thread_start,
    watch_set,
)
from hearth.notifications.models import Notification
from hearth.tests.factories import Role, UserFactory, grant_role

pytestmark = pytest.mark.django_db


def _name(user, name):
    type(user).objects.filter(pk=user.pk).update(display_name=name)
    user.display_name = name


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# --- mentions ------------------------------------------------------------------------------------


def test_mention_notifies_a_reader_of_the_group_once(world, community, outsider, django_capture_on_commit_callbacks):
    _name(world.participant, "Sam Rivera")
    _name(world.mentor, "Sam")
    _name(outsider, "Sam Rivera Jr")
    with django_capture_on_commit_callbacks(execute=True):
        result = post_reply(
            actor=world.other_participant, thread=community.thread, body="@sam rivera thank you, Samantha"
        )
    # "@sam rivera" is the participant (longest name first), not also the mentor "Sam".
    assert _kinds(world.participant) == ["community.mention"]
    assert _kinds(world.mentor) == []
    assert _kinds(outsider) == []
    entry = AuditEntry.objects.get(action="community.post.created", object_id=str(result.post.pk))
    assert entry.data["mentions"] == [world.participant.pk]
    # The notification says nothing of the post: only a link to it.
    note = Notification.objects.get(recipient=world.participant)
    assert "thank you" not in note.title
    assert note.url.endswith(f"#post-{result.post.pk}")


def test_mention_of_someone_who_cannot_read_the_group_is_ignored(world, community, django_capture_on_commit_callbacks):
    stranger = UserFactory(display_name="Rae")  # in the program, not in the group
    grant_role(stranger, world.program, Role.PARTICIPANT)
    left = UserFactory(display_name="Kit")
    grant_role(left, world.program, Role.PARTICIPANT)
    GroupMember.objects.create(group=community.group, user=left, status="left")
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=world.participant, thread=community.thread, body="@Rae and @Kit, are you here?")
    assert _kinds(stranger) == [] and _kinds(left) == []


# --- watching / normal / muted -------------------------------------------------------------------


def test_watchers_hear_of_new_threads_and_replies_authors_hear_of_replies(
    world, community, django_capture_on_commit_callbacks
):
    watch_set(actor=world.mentor, group=community.group, level="watching")
    with django_capture_on_commit_callbacks(execute=True):
        result = thread_start(actor=world.participant, group=community.group, title="Sleep", body="Any tips?")
    assert _kinds(world.mentor) == ["community.activity"]
    assert _kinds(world.other_participant) == []  # normal: not their thread
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=world.other_participant, thread=result.post.thread, body="Warm milk")
    assert _kinds(world.participant) == ["community.activity"]  # their own thread, normal level
    assert _kinds(world.mentor) == ["community.activity", "community.activity"]
    assert Notification.objects.filter(recipient=world.other_participant).count() == 0  # never oneself


def test_muting_a_thread_silences_mentions_and_replies_and_can_follow_the_group_again(
    world, community, django_capture_on_commit_callbacks
):
    _name(world.other_participant, "Jo")
    watch_set(actor=world.other_participant, group=community.group, thread=community.thread, level="muted")
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=world.participant, thread=community.thread, body="@Jo how was today?")
    assert _kinds(world.other_participant) == []
    watch_set(actor=world.other_participant, group=community.group, thread=community.thread, level="")
    assert not Watch.objects.filter(user=world.other_participant).exists()
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=world.participant, thread=community.thread, body="@Jo still here")
    assert _kinds(world.other_participant) == ["community.mention"]


def test_a_thread_setting_overrides_a_muted_group(world, community, django_capture_on_commit_callbacks):
    watch_set(actor=world.mentor, group=community.group, level="muted")
    watch_set(actor=world.mentor, group=community.group, thread=community.thread, level="watching")
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(actor=world.participant, thread=community.thread, body="hello")
        thread_start(actor=world.participant, group=community.group, title="Other topic", body="hi")
    assert _kinds(world.mentor) == ["community.activity"]  # the watched thread only


@pytest.mark.parametrize("level", ["", "loud", None, ["watching"]])
def test_bad_watch_level_is_refused_and_changes_nothing(world, community, level):
    with pytest.raises(ValidationError):
        watch_set(actor=world.participant, group=community.group, level=level)
    assert not Watch.objects.exists()


def test_watch_set_outside_ones_program_is_refused(world, community, outsider):
    with pytest.raises(PermissionDenied):
        watch_set(actor=outsider, group=community.group, level="watching")


def test_muted_threads_and_groups_have_no_unread_marker(world, community):
    def unread():
        return next(g.unread_threads for g in groups_for_viewer(viewer=world.participant) if g.pk == community.group.pk)

    assert unread() == 1
    watch_set(actor=world.participant, group=community.group, thread=community.thread, level="muted")
    assert unread() == 0
    watch_set(actor=world.participant, group=community.group, thread=community.thread, level="")
    watch_set(actor=world.participant, group=community.group, level="muted")
    assert unread() == 0
    watch_set(actor=world.participant, group=community.group, thread=community.thread, level="normal")
    assert unread() == 1


# --- quote-reply and mark-as-helpful -------------------------------------------------------------


def test_quote_reply_shows_the_quoted_post_as_it_is_now(world, community, client_for):
    quoted = post_reply(actor=world.mentor, thread=community.thread, body="Call someone before the craving peaks")
    reply = post_reply(
        actor=world.participant, thread=community.thread, body="This helped", quote_id=str(quoted.post.pk)
    )
    assert reply.post.quote_id == quoted.post.pk
    client = client_for(world.other_participant)
    page = client.get(reverse("community:thread_detail", args=[community.thread.pk])).content.decode()
    assert 'class="post-quote"' in page and "Call someone before the craving peaks" in page
    post_delete(actor=world.mentor, post=Post.objects.get(pk=quoted.post.pk))
    page = client.get(reverse("community:thread_detail", args=[community.thread.pk])).content.decode()
    assert "Call someone before the craving peaks" not in page
    assert "A post that is no longer available." in page


def test_quote_reply_form_starts_from_the_quote_link(world, community, client_for):
    url = reverse("community:thread_detail", args=[community.thread.pk])
    page = client_for(world.participant).get(f"{url}?quote={community.post.pk}").content.decode()
    assert f'name="quote" value="{community.post.pk}"' in page
    assert "Quoting" in page


@pytest.mark.parametrize("quote", ["999999", "abc", "-1", "99999999999999999999"])
def test_quoting_a_post_that_is_not_in_the_thread_is_refused(world, community, client_for, quote):
    before = Post.objects.count()
    response = client_for(world.participant).post(
        reverse("community:post_reply", args=[community.thread.pk]), {"body": "my reply", "quote": quote}
    )
    assert response.status_code == 400
    assert "not available any more" in response.content.decode()
    assert "my reply" in response.content.decode()  # nothing lost: the text is still in the form
    assert Post.objects.count() == before


def test_quoting_a_hidden_post_or_one_from_another_thread_is_refused(world, community):
    other = thread_start(actor=world.participant, group=community.group, title="Other", body="elsewhere").post
    with pytest.raises(ValidationError):
        post_reply(actor=world.participant, thread=community.thread, body="x", quote_id=other.pk)
    post_hide(actor=world.clinician, post=community.post, reason="harmful")
    reply = post_reply(actor=world.mentor, thread=other.thread, body="hi").post
    post_hide(actor=world.clinician, post=reply, reason="spam")
    with pytest.raises(ValidationError):
        post_reply(actor=world.participant, thread=other.thread, body="x", quote_id=reply.pk)


def test_thread_author_marks_a_reply_helpful_others_may_not(world, community, client_for):
    reply = post_reply(actor=world.participant, thread=community.thread, body="Try a walk").post
    with pytest.raises(PermissionDenied):
        post_mark_helpful(actor=UserFactory(), post=reply, helpful=True)
    stranger = UserFactory()
    grant_role(stranger, world.program, Role.PARTICIPANT)
    GroupMember.objects.create(group=community.group, user=stranger)
    with pytest.raises(PermissionDenied):
        post_mark_helpful(actor=stranger, post=reply, helpful=True)
    with pytest.raises(ValidationError, match="Only replies"):
        post_mark_helpful(actor=world.clinician, post=community.post, helpful=True)
    client = client_for(world.other_participant)  # the thread's author
    response = client.post(reverse("community:post_helpful", args=[reply.pk]), {"helpful": "1"})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.helpful_by == world.other_participant and reply.helpful_at is not None
    assert AuditEntry.objects.filter(action="community.post.marked_helpful").count() == 1
    page = client.get(reverse("community:thread_detail", args=[community.thread.pk])).content.decode()
    assert "Marked as helpful" in page
    post_mark_helpful(actor=world.mentor, post=reply, helpful=False)  # the facilitator takes it back
    reply.refresh_from_db()
    assert reply.helpful_at is None


def test_one_cannot_mark_ones_own_reply_helpful(world, community):
    reply = post_reply(actor=world.other_participant, thread=community.thread, body="I answer myself").post
    with pytest.raises(ValidationError, match="own reply"):
        post_mark_helpful(actor=world.other_participant, post=reply, helpful=True)


def test_thread_page_with_quotes_keeps_a_fixed_query_count(world, community, client_for, django_assert_max_num_queries):
    client = client_for(world.participant)
    url = reverse("community:thread_detail", args=[community.thread.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    previous = community.post
    for n in range(10):
        previous = post_reply(
            actor=world.mentor if n % 2 else world.other_participant,
            thread=community.thread,
            body=f"reply {n}",
            quote_id=previous.pk,
        ).post
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('class="post-quote"') == 10


# --- search --------------------------------------------------------------------------------------


def test_search_finds_titles_and_post_words_the_viewer_may_read(world, community, outsider):
    thread = thread_start(
        actor=world.participant, group=community.group, title="Recaída y esperanza", body="Hablemos"
    ).post.thread
    post_reply(actor=world.mentor, thread=thread, body="Box breathing helps with CRAVINGS at night")

    def found(viewer, query):
        return [t.pk for t in search_for_viewer(viewer=viewer, query=query)]

    assert found(world.other_participant, "cravings night") == [thread.pk]
    assert found(world.other_participant, "recaida") == [thread.pk]  # accents and case ignored
    assert found(world.other_participant, "first") == [community.thread.pk]  # a title
    assert found(world.other_participant, "cravings unicorn") == []  # every word must match
    assert found(outsider, "cravings") == []
    assert found(world.other_clinician, "cravings") == []
    assert found(world.clinician, "cravings") == [thread.pk]  # moderators read every group
    nonmember = UserFactory()
    grant_role(nonmember, world.program, Role.PARTICIPANT)
    assert found(nonmember, "cravings") == []


def test_search_skips_hidden_deleted_and_edited_away_words(world, community):
    reply = post_reply(actor=world.mentor, thread=community.thread, body="meeting at the lighthouse").post
    assert search_for_viewer(viewer=world.participant, query="lighthouse")
    post_edit(actor=world.mentor, post=reply, body="meeting at the library", version=reply.version)
    assert not search_for_viewer(viewer=world.participant, query="lighthouse")
    assert search_for_viewer(viewer=world.participant, query="library")
    post_hide(actor=world.clinician, post=Post.objects.get(pk=reply.pk), reason="spam")
    assert not search_for_viewer(viewer=world.participant, query="library")
    second = post_reply(actor=world.mentor, thread=community.thread, body="orchard walk").post
    post_delete(actor=world.mentor, post=second)
    assert not search_for_viewer(viewer=world.participant, query="orchard")
    assert not PostTerm.objects.filter(post=second).exists()


def test_search_index_holds_no_readable_words(world, community):
    post_reply(actor=world.mentor, thread=community.thread, body="naltrexone sponsor")
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest FROM community_postterm")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert "naltrexone" not in stored and "sponsor" not in stored
    assert words("Ñandú, ÑANDÚ and a") == ["nandu", "and"]


@pytest.mark.parametrize("query", ["", "   ", "a", "<script>", "x" * 201, "%_%", "' OR 1=1 --"])
def test_search_page_bad_input_is_a_clear_answer(world, community, client_for, query):
    response = client_for(world.participant).get(reverse("community:search"), {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>" not in page.split("<main", 1)[-1] or "&lt;script&gt;" in page
    if len(query) > 200:
        assert 'class="error"' in page


def test_search_page_query_count_does_not_grow_with_results(
    world, community, client_for, django_assert_max_num_queries
):
    client = client_for(world.participant)
    url = reverse("community:search")
    client.get(url, {"q": "walk"})
    with django_assert_max_num_queries(20) as small:
        client.get(url, {"q": "walk"})
    for n in range(8):
        thread_start(actor=world.mentor, group=community.group, title=f"Walk {n}", body="a long walk")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url, {"q": "walk"}).content.decode()
    assert page.count("Walk ") == 8
