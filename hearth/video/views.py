"""The web edge of video: the room page, the device check and join tokens."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.core.permissions_policy import uses_camera_and_microphone
from hearth.messaging.selectors import member_for

from . import conf, services
from .backends import choose_backend
from .selectors import is_room_host, occurrence_for_joiner, people_count, room_for, room_is_open, room_window, seat_of
from .services import VideoError


def _texts() -> dict:
    """Words the page script shows; translated here so the script holds no language."""
    return {
        "connecting": _("Connecting…"),
        "waiting": _("You are in the waiting room. The host will let you in soon."),
        "waiting_removed": _(
            "The host removed you from this call. You are in the waiting room; only the host can let you back in."
        ),
        "admitted": _("You are in the call."),
        "reconnecting": _("Connection lost. Reconnecting…"),
        "left": _("You left the call. You can join again from this page."),
        "ended": _("The host ended this session for everyone. Thank you for being here."),
        "removed": _("The host removed you from this call."),
        "ask_mute": _("The host asks you to mute your microphone."),
        "joined": _("%(name)s joined the call."),
        "peer_left": _("%(name)s left the call."),
        "peer_removed": _("%(name)s was removed from the call."),
        "hand_raised": _("%(name)s raised a hand."),
        "hand_lowered": _("%(name)s lowered their hand."),
        "hands_lowered": _("The host lowered all hands."),
        "now_waiting": _("%(name)s is waiting to join."),
        "locked": _("The room is locked: nobody new can join."),
        "unlocked": _("The room is open again."),
        "nobody_waiting": _("Nobody is waiting."),
        "admit": _("Admit %(name)s"),
        "remove": _("Remove %(name)s"),
        "ask_mute_person": _("Ask %(name)s to mute"),
        "removed_before": _("(removed earlier)"),
        "mute": _("Mute microphone"),
        "unmute": _("Unmute microphone"),
        "camera_off": _("Turn camera off"),
        "camera_on": _("Turn camera on"),
        "raise_hand": _("Raise hand"),
        "lower_hand": _("Lower hand"),
        "lock": _("Lock room"),
        "unlock": _("Unlock room"),
        "hand": _("Hand raised"),
        "muted": _("Microphone off"),
        "you": _("You"),
        "quality_good": _("Connection: good"),
        "quality_fair": _("Connection: fair"),
        "quality_poor": _("Connection: poor"),
        "quality_none": _("Connection: not connected"),
        "no_camera": _("Your camera or microphone could not start. Check the browser's permission and try again."),
        "error": _("Something went wrong: %(message)s"),
        "full": _("The call is full."),
        "end_confirm": _("End the session for everyone?"),
        "supported": _("Yes"),
        "unsupported": _("No"),
        "tone_played": _("Did you hear a short tone? If not, check your volume or choose other speakers."),
        "camera_ready": _("Your camera and microphone work."),
    }


@login_required
@uses_camera_and_microphone
def device_check(request):
    return render(request, "video/device_check.html", {"texts": _texts()})


@login_required
@uses_camera_and_microphone
def room(request, occurrence_id: int):
    occurrence = occurrence_for_joiner(viewer=request.user, occurrence_id=occurrence_id)
    video_room = room_for(occurrence)
    seat = seat_of(video_room, request.user) if video_room else None
    chat = video_room.conversation if video_room else None
    if chat is not None and member_for(viewer=request.user, conversation=chat) is None:
        chat = None
    return render(
        request,
        "video/room.html",
        {
            "occurrence": occurrence,
            "window": room_window(occurrence),
            "is_open": room_is_open(occurrence, video_room),
            "is_host": is_room_host(occurrence, request.user),
            "locked": bool(video_room and video_room.locked),
            "seat": seat,
            "chat": chat,
            "backend": video_room.backend if video_room else choose_backend(people_count(occurrence)),
            "max_people": conf.mesh_max_people(),
            "token_url": reverse("video:join_token", args=[occurrence.pk]),
            "socket_path": f"/ws/video/{occurrence.pk}/",
            "texts": _texts(),
        },
    )


@login_required
@require_POST
def join_token(request, occurrence_id: int):
    occurrence = occurrence_for_joiner(viewer=request.user, occurrence_id=occurrence_id)
    try:
        token = services.join_token_issue(actor=request.user, occurrence=occurrence)
    except VideoError as exc:
        return JsonResponse({"error": exc.code, "message": exc.message}, status=400)
    return JsonResponse(
        {"token": token, "socket": f"/ws/video/{occurrence.pk}/", "expires_in": conf.join_token_seconds()}
    )
