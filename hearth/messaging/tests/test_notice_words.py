"""Issue 23 item 3: the in-app notice says who wrote and where; email, SMS and push stay generic."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from hearth.messaging.models import Conversation, ConversationMember, Kind
from hearth.messaging.services import message_send, notice_delay_seconds, unread_notices_send
from hearth.notifications.delivery import delivery_attempt
from hearth.notifications.models import Delivery, Notification
from hearth.notifications.transports import Outbound, render_email, render_push, render_sms

pytestmark = pytest.mark.django_db


def later():
    return timezone.now() + datetime.timedelta(seconds=notice_delay_seconds() + 1)


def test_the_notice_names_the_sender_and_the_conversation_in_the_readers_language(world, group):
    world.clinician.language = "es"
    world.clinician.save(update_fields=["language"])
    message_send(actor=world.participant, conversation=group, client_msg_id="n1", body="a secret about my week")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert unread_notices_send(now=later()) == 2
    notice = Notification.objects.get(recipient=world.other_participant, kind="messaging.message")
    assert notice.display_title == "New message from Participant in Cohort chat"
    assert "secret" not in notice.display_title
    spanish = Notification.objects.get(recipient=world.clinician, kind="messaging.message")
    assert spanish.display_title == "Nuevo mensaje de Participant en Cohort chat"
    # What leaves Hearth keeps the kind's generic words: no name, no conversation.
    assert notice.generic_title == "You have a new message in Hearth"
    outbound = Outbound(kind=notice.kind, title=notice.generic_title, url="/x/", language="en")
    subject, text, html = render_email(outbound, world.other_participant)
    for body in (subject, text, html, render_sms(outbound), render_push(outbound)):
        assert "Participant" not in body and "Cohort" not in body
    # And the delivery job builds its message from the kind, not from the in-app words.
    for delivery in Delivery.objects.filter(notification=notice, channel="email"):
        delivery_attempt(delivery_id=delivery.pk)
    for sent in mail.outbox:
        assert "Participant" not in sent.subject + sent.body and "Cohort" not in sent.body


def test_a_private_message_notice_names_only_the_sender(world):
    direct = Conversation.objects.create(program=world.program, kind=Kind.DIRECT)
    for user in (world.participant, world.clinician):
        ConversationMember.objects.create(conversation=direct, user=user)
    message_send(actor=world.clinician, conversation=direct, client_msg_id="n2", body="call me back")
    assert unread_notices_send(now=later()) == 1
    notice = Notification.objects.get(recipient=world.participant, kind="messaging.message")
    assert notice.display_title == "New message from Clinician"
