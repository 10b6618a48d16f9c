"""Every read of conversations and messages, scoped by the viewer."""

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from hearth.programs.models import STAFF_ROLES, Role
from hearth.programs.selectors import program_ids_where, roles_of

from .models import GROUP_KINDS, Conversation, ConversationMember, Kind, Message, MessageReport, MessagingPreference
from .permissions import family_may_talk_to_staff, may_see_as_member, messaging_consents

PAGE_SIZE = 50
RESUME_LIMIT = 200


def _roles_by_program(viewer) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = {}
    for program_id, role in roles_of(viewer):
        roles.setdefault(program_id, set()).add(role)
    return roles


def _hidden(viewer, rows) -> set[int]:
    """Of the viewer's active memberships (conversation id, program id, kind, participant id): the
    conversations they may not see now (may_see_as_member: a role ended, consent withdrawn)."""
    roles = _roles_by_program(viewer)
    loaded: list = []

    def consents():
        if not loaded:
            loaded.append(messaging_consents(viewer))
        return loaded[0]

    return {
        conversation_id
        for conversation_id, program_id, kind, participant_id in rows
        if not may_see_as_member(
            viewer,
            program_roles=roles.get(program_id, set()),
            kind=kind,
            program_id=program_id,
            participant_id=participant_id,
            consents=consents,
        )
    }


def member_for(*, viewer, conversation) -> ConversationMember | None:
    """The viewer's active membership, or None. Access ends the moment a role ends or consent is
    withdrawn, whether or not the membership row has been ended yet."""
    if not viewer.is_authenticated:
        return None
    member = ConversationMember.objects.filter(
        conversation_id=conversation.pk, user_id=viewer.pk, removed_at__isnull=True
    ).first()
    if member is None:
        return None
    row = (conversation.pk, conversation.program_id, conversation.kind, conversation.participant_id)
    if _hidden(viewer, [row]):
        return None
    return member


def _active_member_of(viewer):
    return ConversationMember.objects.filter(conversation=OuterRef("pk"), user=viewer, removed_at__isnull=True)


def _member_rows(viewer):
    return ConversationMember.objects.filter(user=viewer, removed_at__isnull=True)


_ROW = ("conversation_id", "conversation__program_id", "conversation__kind", "conversation__participant_id")


def conversations_for_viewer(*, viewer) -> QuerySet[Conversation]:
    """Conversations the viewer is an active member of and may see now, newest activity first,
    with ``unread``."""
    mine = _active_member_of(viewer)
    return (
        Conversation.objects.filter(Exists(mine))
        .exclude(pk__in=_hidden(viewer, _member_rows(viewer).values_list(*_ROW)))
        .annotate(last_read=Subquery(mine.values("last_read_seq")[:1]))
        .annotate(unread=F("last_seq") - F("last_read"))
        .select_related("program")
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    )


# How a participant or relative sees the other person of a private conversation; staff and mentors
# see the plain role. "your" only where the program makes it true: a participant's care team.
_ROLE_WORDS = {
    Role.CLINICIAN: _("clinician"),
    Role.ADMIN: _("program staff"),
    Role.MENTOR: _("peer mentor"),
    Role.PARTICIPANT: _("participant"),
    Role.FAMILY: _("family member"),
}
_ROLE_WORDS_FOR_CARED = {Role.CLINICIAN: _("your clinician"), Role.ADMIN: _("your program staff")}
_ROLE_ORDER = (Role.CLINICIAN, Role.ADMIN, Role.MENTOR, Role.PARTICIPANT, Role.FAMILY)
PREVIEW_CHARS = 90


def conversation_rows_for_viewer(*, viewer) -> list[Conversation]:
    """The conversation list as messaging apps show it, newest first: each conversation with
    ``display_title`` (a private one: the other person's community name and role), ``unread``,
    and ``preview`` / ``preview_sender`` / ``preview_state`` of its last message, decrypted for
    the viewer. Four queries whatever the number of conversations (plus the access checks)."""
    from hearth.programs.models import Membership

    conversations = list(conversations_for_viewer(viewer=viewer))
    if not conversations:
        return conversations
    by_id = {c.pk: c for c in conversations}
    last = (
        Message.objects.filter(conversation_id__in=by_id, seq=F("conversation__last_seq"))
        .select_related("sender")
        .only("conversation_id", "seq", "body", "deleted_at", "hidden_at", "sender__display_name", "sender_id")
    )
    for message in last:
        conversation = by_id[message.conversation_id]
        conversation.last_message = message
    direct_ids = [c.pk for c in conversations if c.kind == Kind.DIRECT]
    others: dict[int, object] = {}
    if direct_ids:
        rows = (
            ConversationMember.objects.filter(conversation_id__in=direct_ids)
            .exclude(user_id=viewer.pk)
            .select_related("user")
            .order_by(F("removed_at").asc(nulls_first=True), "pk")  # the current member first
        )
        for member in rows:
            others.setdefault(member.conversation_id, member.user)
    roles: dict[tuple[int, int], set[str]] = {}
    if others:
        held = Membership.objects.filter(
            user_id__in={u.pk for u in others.values()},
            program_id__in={by_id[c].program_id for c in others},
            ended_at__isnull=True,
        ).values_list("user_id", "program_id", "role")
        for user_id, program_id, role in held:
            roles.setdefault((user_id, program_id), set()).add(role)
    viewer_roles = _roles_by_program(viewer)
    for conversation in conversations:
        conversation.last_message = getattr(conversation, "last_message", None)
        other = others.get(conversation.pk)
        conversation.other_person = other
        if other is None:
            conversation.display_title = str(conversation)
        else:
            their_roles = roles.get((other.pk, conversation.program_id), set())
            my_roles = viewer_roles.get(conversation.program_id, set())
            conversation.display_title = _direct_title(other, their_roles, my_roles)
        _set_preview(conversation, viewer)
    return conversations


def _direct_title(other, their_roles: set[str], my_roles: set[str]) -> str:
    role = next((r for r in _ROLE_ORDER if r in their_roles), None)
    if role is None:
        return other.display_name
    cared_for = bool(my_roles & {Role.PARTICIPANT, Role.FAMILY}) and not my_roles & set(STAFF_ROLES)
    words = _ROLE_WORDS_FOR_CARED.get(role) if cared_for else None
    return f"{other.display_name} · {words or _ROLE_WORDS[role]}"


def _set_preview(conversation, viewer) -> None:
    message = conversation.last_message
    conversation.preview, conversation.preview_sender, conversation.preview_state = "", "", ""
    if message is None:
        return
    if message.deleted_at is not None:
        conversation.preview_state = "deleted"
    elif message.hidden_at is not None:
        conversation.preview_state = "hidden"
    else:
        text = " ".join(message.body.split())
        conversation.preview = text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"
    if message.sender_id == viewer.pk:
        conversation.preview_sender = str(_("You"))
    elif message.sender is not None and conversation.kind != Kind.DIRECT:
        conversation.preview_sender = message.sender.display_name


def unread_counts_for_viewer(*, viewer) -> dict[int, int]:
    """{conversation id: unread messages} for every conversation the viewer may see, in one query
    (a second only when a family member's access follows consent)."""
    rows = list(
        _member_rows(viewer)
        .annotate(unread=F("conversation__last_seq") - F("last_read_seq"))
        .values_list(*_ROW, "unread")
    )
    hidden = _hidden(viewer, [row[:4] for row in rows])
    return {row[0]: row[4] for row in rows if row[0] not in hidden}


def conversation_ids_for_member(*, viewer) -> set[int]:
    """What a live socket subscribes to: the same conversations as unread_counts_for_viewer."""
    return set(unread_counts_for_viewer(viewer=viewer))


def conversation_for_member(*, viewer, conversation_id) -> Conversation:
    """A conversation the viewer is an active member of, or 404 (never reveal that it exists)."""
    try:
        conversation = Conversation.objects.select_related("program").get(
            Exists(_active_member_of(viewer)), pk=int(conversation_id)
        )
    except (Conversation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if member_for(viewer=viewer, conversation=conversation) is None:
        raise Http404
    return conversation


def conversation_for_reader(*, viewer, conversation_id) -> Conversation:
    """A conversation the viewer may read: a member, or staff of its program for group conversations."""
    if not viewer.is_authenticated:
        raise Http404
    staff_programs = program_ids_where(viewer, *STAFF_ROLES)
    try:
        conversation = Conversation.objects.select_related("program").get(
            Q(Exists(_active_member_of(viewer))) | Q(kind__in=GROUP_KINDS, program_id__in=staff_programs),
            pk=int(conversation_id),
        )
    except (Conversation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if conversation.program_id not in staff_programs and member_for(viewer=viewer, conversation=conversation) is None:
        raise Http404
    return conversation


def _messages(conversation) -> QuerySet[Message]:
    return Message.objects.filter(conversation=conversation).select_related("sender").prefetch_related("reactions")


def messages_after(*, conversation, after_seq: int, limit: int = RESUME_LIMIT) -> list[Message]:
    """Messages with seq > after_seq, oldest first (what a reconnecting client missed).

    ``conversation`` must come from conversation_for_member / conversation_for_reader."""
    return list(_messages(conversation).filter(seq__gt=after_seq).order_by("seq")[:limit])


def messages_changed(*, conversation, up_to_seq: int, after_change: int, limit: int = RESUME_LIMIT) -> list[Message]:
    """Messages up to ``up_to_seq`` edited, deleted, hidden or reacted to after change number
    ``after_change``, in the order of their changes (what a reconnecting client holds stale).

    ``conversation`` must come from conversation_for_member / conversation_for_reader."""
    queryset = _messages(conversation).filter(seq__lte=up_to_seq, change__gt=after_change)
    return list(queryset.order_by("change")[:limit])


def messages_before(*, conversation, before_seq: int | None = None, limit: int = PAGE_SIZE) -> list[Message]:
    """The page of up to ``limit`` messages before ``before_seq`` (the newest when None), oldest first."""
    queryset = _messages(conversation)
    if before_seq is not None:
        queryset = queryset.filter(seq__lt=before_seq)
    return list(reversed(queryset.order_by("-seq")[:limit]))


def message_for_member(*, viewer, conversation, seq) -> Message:
    try:
        return Message.objects.select_related("conversation").get(conversation=conversation, seq=int(seq))
    except (Message.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def reports_for_moderator(*, viewer) -> QuerySet[MessageReport]:
    """Open reports on messages in programs the viewer is staff of."""
    return (
        MessageReport.objects.filter(
            resolved_at__isnull=True,
            message__conversation__program_id__in=program_ids_where(viewer, *STAFF_ROLES),
        )
        .select_related("message", "message__conversation", "message__sender", "reporter")
        .order_by("created_at")
    )


def direct_candidates_for(*, viewer) -> list[tuple]:
    """(program, person) pairs the viewer may start a private conversation with (may_message_directly)."""
    from hearth.programs.models import Membership

    from .permissions import accepts_peer_messages

    pairs = []
    opted_in = accepts_peer_messages(viewer)
    by_program: dict[int, set[str]] = {}
    for program_id, role in roles_of(viewer):
        by_program.setdefault(program_id, set()).add(role)
    for program_id, roles in by_program.items():
        memberships = Membership.objects.filter(program_id=program_id, ended_at__isnull=True, user__is_active=True)
        memberships = memberships.exclude(user=viewer).select_related("user", "program")
        if roles <= {Role.FAMILY} and not family_may_talk_to_staff(viewer, program_id):
            continue
        if roles & set(STAFF_ROLES):
            # A family member is offered only while a participant's consent covers talking with us.
            memberships = memberships.exclude(role=Role.FAMILY, user_id__in=_family_without_consent(program_id))
        else:
            peers = Q(role=Role.PARTICIPANT, user__messaging_preference__accepts_peer_private_messages=True)
            allowed = Q(role__in=STAFF_ROLES)
            if Role.PARTICIPANT in roles and opted_in:
                allowed |= peers & Q(program__allow_peer_private_messages=True)
            memberships = memberships.filter(allowed)
        seen = set()
        for membership in memberships.order_by("user__display_name", "user_id"):
            if membership.user_id not in seen:
                seen.add(membership.user_id)
                pairs.append((membership.program, membership.user))
    return pairs


def _family_without_consent(program_id: int) -> set[int]:
    from django.utils import timezone

    from hearth.consent.models import Category, Consent
    from hearth.programs.models import Membership

    family = set(
        Membership.objects.filter(program_id=program_id, role=Role.FAMILY, ended_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    consented = {
        recipient_id
        for recipient_id, categories in Consent.objects.filter(
            program_id=program_id, recipient_user_id__in=family, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).values_list("recipient_user_id", "categories")
        if Category.MESSAGING in categories
    }
    return family - consented


def people_for_group_staff(*, viewer) -> QuerySet:
    """Everyone with a role in a program the viewer is staff of: who staff may put in a group."""
    from django.contrib.auth import get_user_model

    from hearth.programs.models import Membership

    in_program = Membership.objects.filter(
        user=OuterRef("pk"), program_id__in=program_ids_where(viewer, *STAFF_ROLES), ended_at__isnull=True
    )
    return get_user_model().objects.filter(Exists(in_program), is_active=True).order_by("display_name", "pk")


def conversation_for_staff(*, viewer, conversation_id) -> Conversation:
    """A group conversation of a program the viewer is staff of (member management), or 404."""
    try:
        return Conversation.objects.select_related("program").get(
            pk=int(conversation_id), kind__in=GROUP_KINDS, program_id__in=program_ids_where(viewer, *STAFF_ROLES)
        )
    except (Conversation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def member_ids_of(*, conversation) -> list[int]:
    """The current members' ids; ``conversation`` must come from a selector that checked the reader."""
    return list(
        ConversationMember.objects.filter(conversation=conversation, removed_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )


def members_for_staff(*, conversation) -> QuerySet[ConversationMember]:
    """``conversation`` must come from conversation_for_staff."""
    return (
        ConversationMember.objects.filter(conversation=conversation, removed_at__isnull=True)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )


def report_for_moderator(*, viewer, report_id) -> MessageReport:
    try:
        return reports_for_moderator(viewer=viewer).get(pk=int(report_id))
    except (MessageReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def preference_for(*, viewer) -> MessagingPreference:
    return MessagingPreference.objects.filter(user=viewer).first() or MessagingPreference(user=viewer)


def messages_sent_by(*, viewer) -> QuerySet[Message]:
    """The viewer's own messages that are still there (a copy of their record; not others' words)."""
    return (
        Message.objects.filter(sender=viewer, deleted_at__isnull=True)
        .select_related("conversation")
        .order_by("created_at", "pk")
    )
