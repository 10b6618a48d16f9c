from hearth.messaging.tests.conftest import cohort_conversation
from hearth.tests.authz import CARE_TEAM, PARTICIPANTS, STAFF, only, signed_in


def _conversation(world):
    return {"conversation_id": cohort_conversation(world).pk}


def _message(world):
    from hearth.messaging.services import message_send

    conversation = cohort_conversation(world)
    message = message_send(actor=world.clinician, conversation=conversation, client_msg_id="access", body="hello")
    return {"conversation_id": conversation.pk, "seq": message.message.seq}


def _report(world):
    from hearth.messaging.services import message_report, message_send

    conversation = cohort_conversation(world)
    sent = message_send(actor=world.participant, conversation=conversation, client_msg_id="access", body="hello")
    return {"report_id": message_report(actor=world.other_participant, message=sent.message).pk}


# The world's cohort chat has both participants and their clinician as members. Staff of the
# program (the admin) may read it; nobody else learns that it exists.
MEMBERS = ("participant", "other_participant", "clinician")
READERS = (*MEMBERS, "admin")

ACCESS = {
    "conversation_list": signed_in(),
    "conversation_new": signed_in(),
    "conversation_detail": only(READERS, denied=404, kwargs=_conversation),
    "conversation_older": only(
        READERS, denied=404, kwargs=_conversation, data=lambda w: {"before": cohort_conversation(w).last_seq + 1}
    ),
    "conversation_send": only(
        MEMBERS,
        ok=302,
        denied=404,
        method="post",
        kwargs=_conversation,
        data=lambda w: {"body": "hello", "client_msg_id": "matrix"},
    ),
    "message_report": only(MEMBERS, ok=302, denied=404, method="post", kwargs=_message, data=lambda w: {}),
    "moderation_queue": only(STAFF),
    "group_new": only(STAFF),
    # Staff of the program manage its groups; staff elsewhere may not know the group exists.
    "conversation_members": only(CARE_TEAM, denied={403, 404}, kwargs=_conversation),
    # Staff of another program get 404: they may not know the report exists.
    "moderation_decide": only(
        CARE_TEAM,
        ok=302,
        denied={403, 404},
        method="post",
        kwargs=_report,
        data=lambda w: {"decision": "keep"},
    ),
    "messaging_preferences": only(PARTICIPANTS),
}

# Anyone signed in may open the chat socket; membership is checked on every frame
# (test_consumers.py: a non-member can do nothing on any frame type).
WEBSOCKET_ACCESS = {
    "ws_chat": {"connect": "signed_in"},
}
