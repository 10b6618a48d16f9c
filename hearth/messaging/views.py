import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.audit.services import audit_record, audit_record_many
from hearth.consent.selectors import discloses_outside_care_team
from hearth.core.decorators import permission_required
from hearth.programs.models import STAFF_ROLES
from hearth.programs.selectors import participants_for_viewer, program_ids_where, programs_for_viewer

from .forms import GroupForm, MemberForm, MessageForm, PreferenceForm, ReportForm
from .models import Kind
from .selectors import (
    PAGE_SIZE,
    conversation_for_member,
    conversation_for_reader,
    conversation_for_staff,
    conversation_rows_for_viewer,
    direct_candidates_for,
    member_for,
    member_ids_of,
    members_for_staff,
    message_for_member,
    messages_before,
    people_for_group_staff,
    preference_for,
    report_for_moderator,
    reports_for_moderator,
)
from .services import (
    MessagingError,
    conversation_create,
    member_add,
    member_mute,
    member_remove,
    message_hide,
    message_report,
    message_send,
    preference_set,
    read_mark,
    report_resolve,
)
from .throttle import frame_allowed

MUTE_FOR = datetime.timedelta(hours=24)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def conversation_list(request):
    conversations = conversation_rows_for_viewer(viewer=request.user)
    _audit_previews(request.user, conversations)
    return render(
        request,
        "messaging/list.html",
        {"conversations": conversations, "total_unread": sum(c.unread for c in conversations)},
    )


def _audit_previews(viewer, conversations) -> None:
    """The list shows the last message of each conversation: its authors see the look in "Who
    viewed my record", like a look at the conversation itself."""
    authors = {
        c.last_message.sender_id
        for c in conversations
        if c.last_message is not None and c.preview and c.last_message.sender_id not in (None, viewer.pk)
    }
    if authors:
        audit_record_many(actor=viewer, action="messaging.conversation_list.viewed", subjects=authors)


def _others_shown(viewer, conversation, page) -> set[int]:
    """Whose information a page of the conversation shows: the authors of its messages and the
    conversation's current members, other than the reader (each sees the read in "Who viewed my
    record")."""
    shown = {m.sender_id for m in page if m.sender_id is not None}
    shown.update(member_ids_of(conversation=conversation))
    shown.discard(viewer.pk)
    return shown


@login_required
def conversation_detail(request, conversation_id: int):
    conversation = conversation_for_reader(viewer=request.user, conversation_id=conversation_id)
    member = member_for(viewer=request.user, conversation=conversation)
    page = messages_before(conversation=conversation, limit=PAGE_SIZE)
    if member is not None and page:
        # Seeing the page is reading it, also without scripts; other tabs' badges follow.
        read_mark(actor=request.user, conversation=conversation, seq=page[-1].seq)
    audit_record_many(
        actor=request.user,
        action="messaging.conversation.viewed",
        subjects=_others_shown(request.user, conversation, page),
        obj=conversation,
        program=conversation.program_id,
        data={"as_member": member is not None},
    )
    conversations = conversation_rows_for_viewer(viewer=request.user)
    _audit_previews(request.user, conversations)
    return render(
        request,
        "messaging/detail.html",
        {
            "conversation": conversation,
            "member": member,
            "page": page,
            "has_older": bool(page) and page[0].seq > 1,
            "form": MessageForm(initial={"client_msg_id": uuid.uuid4().hex}) if member else None,
            "conversations": conversations,
            "can_manage": conversation.is_group and request.user.has_perm("messaging.moderate", conversation),
            # A family conversation shows the participant's care to people outside the care team.
            "part2_notice": conversation.kind == Kind.FAMILY
            and conversation.participant is not None
            and discloses_outside_care_team(viewer=request.user, subject=conversation.participant),
        },
    )


@login_required
def conversation_older(request, conversation_id: int):
    """htmx: the page of messages before ?before=<seq>."""
    conversation = conversation_for_reader(viewer=request.user, conversation_id=conversation_id)
    before = _int_or_none(request.GET.get("before"))
    if before is None or before < 1:
        return render(
            request, "messaging/_error.html", {"error": _("Which messages? ?before= needs a number.")}, status=400
        )
    page = messages_before(conversation=conversation, before_seq=before, limit=PAGE_SIZE)
    audit_record_many(
        actor=request.user,
        action="messaging.conversation.viewed",
        subjects=_others_shown(request.user, conversation, page),
        obj=conversation,
        program=conversation.program_id,
        data={"before": before},
    )
    return render(
        request,
        "messaging/_older.html",
        {"conversation": conversation, "page": page, "has_older": bool(page) and page[0].seq > 1},
    )


@login_required
@require_POST
def conversation_send(request, conversation_id: int):
    """The form post behind the chat box: what is sent when scripts are off (the socket otherwise)."""
    conversation = conversation_for_member(viewer=request.user, conversation_id=conversation_id)
    if not frame_allowed(request.user.pk):
        # The same per-person budget as the chat socket's frames.
        error = _("You are sending messages very fast. Wait a few seconds and try again.")
        return render(request, "messaging/_error.html", {"error": error}, status=429)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            result = message_send(
                actor=request.user,
                conversation=conversation,
                client_msg_id=form.cleaned_data["client_msg_id"],
                body=form.cleaned_data["body"],
            )
        except MessagingError as exc:
            messages.error(request, exc.message)
        else:
            if result.crisis is not None:
                messages.warning(
                    request,
                    _("If you are in danger or thinking about harming yourself, reach out now. You are not alone."),
                )
            return redirect(f"{conversation_url(conversation)}#m-{result.message.seq}")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(conversation_url(conversation))


def conversation_url(conversation) -> str:
    return reverse("conversation_detail", args=[conversation.pk])


@login_required
def conversation_new(request):
    """Start (or reopen) a private conversation with someone the viewer may message."""
    candidates = direct_candidates_for(viewer=request.user)
    if request.method == "POST":
        choice = request.POST.get("person", "")
        match = next(((p, u) for p, u in candidates if f"{p.pk}:{u.pk}" == choice), None)
        if match is None:
            messages.error(request, _("Choose someone from the list."))
            return render(request, "messaging/new.html", {"candidates": candidates}, status=400)
        program, person = match
        try:
            conversation = conversation_create(actor=request.user, program=program, kind=Kind.DIRECT, members=[person])
        except MessagingError as exc:
            messages.error(request, exc.message)
            return render(request, "messaging/new.html", {"candidates": candidates}, status=400)
        return redirect(conversation_url(conversation))
    return render(request, "messaging/new.html", {"candidates": candidates})


@login_required
@require_POST
def message_report_view(request, conversation_id: int, seq: int):
    conversation = conversation_for_member(viewer=request.user, conversation_id=conversation_id)
    message = message_for_member(viewer=request.user, conversation=conversation, seq=seq)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(f"{conversation_url(conversation)}#m-{message.seq}")
    try:
        message_report(actor=request.user, message=message, reason=form.cleaned_data["reason"])
    except MessagingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you. Staff will look at this message."))
    return redirect(f"{conversation_url(conversation)}#m-{message.seq}")


@permission_required("messaging.moderate_any")
def moderation_queue(request):
    reports = list(reports_for_moderator(viewer=request.user))
    audit_record(actor=request.user, action="messaging.reports.viewed", data={"reports": [r.pk for r in reports]})
    return render(request, "messaging/moderation.html", {"reports": reports})


@permission_required("messaging.moderate_any")
@require_POST
def moderation_decide(request, report_id: int):
    report = report_for_moderator(viewer=request.user, report_id=report_id)
    try:
        decision = request.POST.get("decision")
        if decision in ("hide", "mute"):
            message_hide(actor=request.user, message=report.message)
            messages.success(request, _("The message is hidden."))
        if decision == "mute" and report.message.sender is not None:
            member_mute(
                actor=request.user,
                conversation=report.message.conversation,
                user=report.message.sender,
                until=timezone.now() + MUTE_FOR,
            )
        if decision not in ("hide", "mute"):
            report_resolve(actor=request.user, report=report)
            messages.success(request, _("The report is closed."))
    except MessagingError as exc:
        messages.error(request, exc.message)
    # The combined moderators' queue (chat and forums) lives higher up and sends people back to itself.
    return redirect("community:moderation_queue" if request.POST.get("next") == "community" else "moderation_queue")


@permission_required("messaging.set_preferences")
def messaging_preferences(request):
    current = preference_for(viewer=request.user)
    form = PreferenceForm(
        request.POST or None, initial={"accepts_peer_private_messages": current.accepts_peer_private_messages}
    )
    if request.method == "POST" and form.is_valid():
        preference_set(
            actor=request.user, accepts_peer_private_messages=form.cleaned_data["accepts_peer_private_messages"]
        )
        messages.success(request, _("Saved."))
        return redirect("messaging_preferences")
    return render(request, "messaging/preferences.html", {"form": form})


@permission_required("messaging.moderate_any")
def group_new(request):
    """Staff start a group conversation (cohort, support group, family, mentor, session)."""
    programs = programs_for_viewer(viewer=request.user).filter(pk__in=program_ids_where(request.user, *STAFF_ROLES))
    form = GroupForm(
        request.POST or None,
        programs=programs,
        people=people_for_group_staff(viewer=request.user),
        participants=participants_for_viewer(viewer=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = conversation_create(
                actor=request.user,
                program=data["program"],
                kind=data["kind"],
                title=data["title"],
                members=list(data["members"]),
                participant=data["participant"] if data["kind"] == Kind.FAMILY else None,
            )
        except MessagingError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(conversation_url(conversation))
    return render(request, "messaging/group_new.html", {"form": form}, status=400 if form.errors else 200)


@permission_required("messaging.moderate_any")
def conversation_members(request, conversation_id: int):
    """Staff add, remove and pause members of a group conversation of their program."""
    conversation = conversation_for_staff(viewer=request.user, conversation_id=conversation_id)
    people = people_for_group_staff(viewer=request.user)
    form = MemberForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        action = request.POST.get("action")
        try:
            if action == "remove":
                member_remove(actor=request.user, conversation=conversation, user=person)
                messages.success(request, _("%(name)s was removed.") % {"name": person.display_name})
            elif action == "mute":
                member_mute(actor=request.user, conversation=conversation, user=person, until=timezone.now() + MUTE_FOR)
                messages.success(request, _("%(name)s is paused for 24 hours.") % {"name": person.display_name})
            elif action == "unmute":
                member_mute(actor=request.user, conversation=conversation, user=person, until=None)
                messages.success(request, _("%(name)s can write again.") % {"name": person.display_name})
            else:
                member_add(actor=request.user, conversation=conversation, user=person)
                messages.success(request, _("%(name)s was added.") % {"name": person.display_name})
        except MessagingError as exc:
            messages.error(request, exc.message)
        return redirect("conversation_members", conversation.pk)
    return render(
        request,
        "messaging/members.html",
        {"conversation": conversation, "members": list(members_for_staff(conversation=conversation)), "form": form},
        status=400 if form.errors else 200,
    )
