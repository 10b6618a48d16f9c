import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hearth.audit.models import AuditEntry
from hearth.community.models import (
    Flag,
    GroupMember,
    JoinPolicy,
    MemberStatus,
    ModerationAction,
    ModerationKind,
    Post,
    PostRevision,
    Reaction,
    Thread,
)
from hearth.community.services import (
    AUTO_HIDE_FLAGS,
    MAX_BODY_CHARS,
    NEW_MEMBER_THREADS,
    group_create,
    group_join,
    member_decide,
    member_mute,
    post_delete,
    post_edit,
    post_flag,
    post_hide,
    post_reply,
    post_restore,
    reaction_toggle,
    thread_pin,
    thread_start,
)
from hearth.notifications.models import Notification
from hearth.safety.models import SafetySignal
from hearth.tests.factories import Role, UserFactory, grant_role

pytestmark = pytest.mark.django_db

CRISIS = "I can't do this anymore, I want to end my life"
RELAPSE = "I used again last night after six weeks"


def test_thread_start_and_reply_keep_counts_and_audit(world, community):
    result = post_reply(actor=world.participant, thread=community.thread, body="Welcome! Me too.")
    thread = Thread.objects.get(pk=community.thread.pk)
    assert thread.reply_count == 1
    assert thread.last_post_at == result.post.created_at
    assert result.crisis is None
    assert AuditEntry.objects.filter(action="community.post.created", actor=world.participant).exists()
    # Stored encrypted: the database column holds no plain text.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM community_post WHERE id = %s", [result.post.pk])
        assert "Welcome" not in cursor.fetchone()[0]


@pytest.mark.parametrize("body", ["", "   \n  ", "x" * (MAX_BODY_CHARS + 1), "x" * 100_000])
def test_empty_or_oversized_posts_are_refused_and_nothing_changes(world, community, body):
    before = Post.objects.count()
    with pytest.raises(ValidationError) as exc:
        post_reply(actor=world.participant, thread=community.thread, body=body)
    assert "body" in exc.value.message_dict
    assert Post.objects.count() == before


def test_posting_in_a_group_one_is_not_in_is_refused(world, community, outsider):
    stranger = UserFactory()
    grant_role(stranger, world.program, Role.PARTICIPANT)
    with pytest.raises(ValidationError, match="Join this group"):
        thread_start(actor=stranger, group=community.group, title="Hi there", body="hello")
    with pytest.raises(ValidationError):
        post_reply(actor=outsider, thread=community.thread, body="hello")
    assert Thread.objects.count() == 1


def test_replying_to_a_hidden_thread_is_refused(world, community):
    post_hide(actor=world.clinician, post=community.post, reason="harmful")
    thread = Thread.objects.get(pk=community.thread.pk)
    assert thread.hidden_at is not None
    with pytest.raises(ValidationError, match="hidden"):
        post_reply(actor=world.participant, thread=thread, body="still here?")
    assert Post.objects.filter(thread=thread).count() == 1


def test_edit_keeps_history_and_refuses_a_stale_version(world, community):
    post = community.post
    post_edit(actor=world.other_participant, post=post, body="Hello all", version=1)
    post.refresh_from_db()
    assert post.version == 2 and post.body == "Hello all"
    assert [r.body for r in PostRevision.objects.filter(post=post)] == ["Hello everyone"]
    with pytest.raises(ValidationError, match="changed since"):
        post_edit(actor=world.other_participant, post=post, body="Older tab", version=1)
    post.refresh_from_db()
    assert post.body == "Hello all"


def test_only_the_author_edits_or_deletes(world, community):
    with pytest.raises(PermissionDenied):
        post_edit(actor=world.participant, post=community.post, body="mine now", version=1)
    with pytest.raises(PermissionDenied):
        post_delete(actor=world.clinician, post=community.post)


def test_delete_keeps_the_text_for_moderators_and_hides_the_thread(world, community):
    post_delete(actor=world.other_participant, post=community.post)
    post = Post.objects.get(pk=community.post.pk)
    assert post.body == "" and post.deleted_at is not None
    assert PostRevision.objects.get(post=post).body == "Hello everyone"
    assert Thread.objects.get(pk=community.thread.pk).hidden_at is not None


def test_reactions_toggle_and_refuse_unknown_kinds(world, community):
    assert reaction_toggle(actor=world.participant, post=community.post, kind="strength") is True
    assert reaction_toggle(actor=world.participant, post=community.post, kind="strength") is False
    assert not Reaction.objects.exists()
    with pytest.raises(ValidationError):
        reaction_toggle(actor=world.participant, post=community.post, kind="<script>")


def test_crisis_language_raises_a_signal_on_commit_and_never_blocks(
    world, community, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = post_reply(actor=world.participant, thread=community.thread, body=CRISIS)
    assert result.crisis is not None and result.crisis.raises_signal
    assert Post.objects.get(pk=result.post.pk).is_visible
    signal = SafetySignal.objects.get(person=world.participant, source="community.post")
    assert signal.severity == result.crisis.severity


def test_relapse_language_raises_a_signal_too(world, community, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = thread_start(actor=world.participant, group=community.group, title="Hard week", body=RELAPSE)
    assert result.crisis is not None
    assert SafetySignal.objects.filter(person=world.participant, source="community.post").exists()


def test_negated_language_raises_nothing(world, community, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = post_reply(actor=world.participant, thread=community.thread, body="I don't want to die, I'm okay")
    assert result.crisis is None
    assert not SafetySignal.objects.filter(source="community.post").exists()


def test_flags_auto_hide_after_the_threshold_and_explain(world, community, django_capture_on_commit_callbacks):
    flaggers = [world.participant, world.mentor]
    for _ in range(AUTO_HIDE_FLAGS - len(flaggers)):
        extra = UserFactory()
        grant_role(extra, world.program, Role.PARTICIPANT)
        GroupMember.objects.create(group=community.group, user=extra)
        flaggers.append(extra)
    with django_capture_on_commit_callbacks(execute=True):
        for person in flaggers:
            post_flag(actor=person, post=community.post, reason="harmful")
    post = Post.objects.get(pk=community.post.pk)
    assert post.hidden_at is not None and post.hidden_reason == "flags" and post.open_flags == AUTO_HIDE_FLAGS
    assert ModerationAction.objects.filter(person=world.other_participant, kind=ModerationKind.AUTO_HIDDEN).exists()
    notice = Notification.objects.get(recipient=world.other_participant, kind="community.moderation")
    assert "Hello" not in notice.title
    assert AuditEntry.objects.filter(action="community.post.auto_hidden").exists()


def test_flag_twice_or_own_post_is_refused(world, community):
    post_flag(actor=world.participant, post=community.post, reason="spam")
    with pytest.raises(ValidationError, match="already"):
        post_flag(actor=world.participant, post=community.post, reason="spam")
    with pytest.raises(ValidationError):
        post_flag(actor=world.other_participant, post=community.post, reason="spam")
    with pytest.raises(ValidationError):
        post_flag(actor=world.mentor, post=community.post, reason="nonsense")
    assert Flag.objects.count() == 1


def test_hide_and_restore_are_moderator_only_audited_and_explained(world, community):
    post_flag(actor=world.participant, post=community.post, reason="harmful")
    with pytest.raises(PermissionDenied):
        post_hide(actor=world.mentor, post=community.post, reason="harmful")
    with pytest.raises(PermissionDenied):
        post_hide(actor=world.other_clinician, post=community.post, reason="harmful")
    post_hide(actor=world.clinician, post=community.post, reason="privacy")
    post = Post.objects.get(pk=community.post.pk)
    assert post.hidden_reason == "privacy" and post.open_flags == 0
    assert Flag.objects.get().resolved_by == world.clinician
    post_restore(actor=world.admin, post=post)
    post.refresh_from_db()
    assert post.hidden_at is None
    assert Thread.objects.get(pk=community.thread.pk).hidden_at is None
    kinds = list(ModerationAction.objects.filter(person=world.other_participant).values_list("kind", flat=True))
    assert sorted(kinds) == ["hidden", "restored"]
    actions = set(AuditEntry.objects.filter(action__startswith="community.post.").values_list("action", flat=True))
    assert {"community.post.hidden", "community.post.restored", "community.post.flagged"} <= actions


def test_a_muted_member_reads_but_cannot_post_or_react(world, community):
    member_mute(actor=world.clinician, group=community.group, user=world.participant, hours=24, reason="rules")
    with pytest.raises(ValidationError, match="paused"):
        post_reply(actor=world.participant, thread=community.thread, body="hello")
    with pytest.raises(ValidationError, match="paused"):
        reaction_toggle(actor=world.participant, post=community.post, kind="me_too")
    assert AuditEntry.objects.filter(action="community.member.muted", subject=world.participant).exists()
    assert ModerationAction.objects.get(person=world.participant).until is not None


def test_mute_refuses_staff_and_odd_durations(world, community):
    with pytest.raises(ValidationError):
        member_mute(actor=world.clinician, group=community.group, user=world.admin, hours=24, reason="rules")
    with pytest.raises(ValidationError):
        member_mute(actor=world.clinician, group=community.group, user=world.participant, hours=5, reason="rules")
    with pytest.raises(PermissionDenied):
        member_mute(actor=world.mentor, group=community.group, user=world.participant, hours=24, reason="rules")


def test_new_members_may_not_post_links_or_many_threads(world, community):
    newcomer = UserFactory()
    grant_role(newcomer, world.program, Role.PARTICIPANT)
    GroupMember.objects.create(group=community.group, user=newcomer)
    with pytest.raises(ValidationError, match="Links"):
        post_reply(actor=newcomer, thread=community.thread, body="see https://example.com")
    for n in range(NEW_MEMBER_THREADS):
        thread_start(actor=newcomer, group=community.group, title=f"Thread {n}", body="hello")
    with pytest.raises(ValidationError, match="first day"):
        thread_start(actor=newcomer, group=community.group, title="One more", body="hello")
    # A day later the limits are gone.
    type(newcomer).objects.filter(pk=newcomer.pk).update(date_joined=timezone.now() - datetime.timedelta(days=2))
    newcomer.refresh_from_db()
    post_reply(actor=newcomer, thread=community.thread, body="see https://example.com")


def test_join_policies(world, community):
    joined = group_join(actor=world.participant, group=community.request_group)
    assert joined.status == MemberStatus.REQUESTED
    invite = group_create(actor=world.admin, program=world.program, name="Alumni", join_policy=JoinPolicy.INVITE)
    with pytest.raises(ValidationError, match="invitation"):
        group_join(actor=world.participant, group=invite)
    with pytest.raises(PermissionDenied):
        group_join(actor=world.family_without, group=community.group)
    with pytest.raises(PermissionDenied):
        member_decide(actor=world.participant, member=community.request, approve=True)
    member_decide(actor=world.clinician, member=community.request, approve=True)
    assert GroupMember.objects.get(pk=community.request.pk).status == MemberStatus.ACTIVE
    with pytest.raises(ValidationError):
        member_decide(actor=world.clinician, member=GroupMember.objects.get(pk=community.request.pk), approve=True)


def test_pin_is_for_staff_and_facilitators(world, community):
    with pytest.raises(PermissionDenied):
        thread_pin(actor=world.participant, thread=community.thread, pinned=True)
    thread_pin(actor=world.mentor, thread=community.thread, pinned=True)
    assert Thread.objects.get(pk=community.thread.pk).pinned_at is not None
