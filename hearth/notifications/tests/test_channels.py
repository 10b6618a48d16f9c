"""Email through a real SMTP server, web push decrypted at a local push service, SMS at a local
Twilio stand-in; provider errors and timeouts recorded and retried, never duplicated."""

import base64
import json
import re

import http_ece
import pytest
from django.core import mail

from hearth.notifications.delivery import delivery_attempt
from hearth.notifications.models import ChannelPreference, Delivery, DeliveryStatus, PushSubscription
from hearth.notifications.services import (
    notify,
    preferences_update,
    push_subscription_save,
)
from hearth.notifications.tasks import deliver

pytestmark = pytest.mark.django_db


def _notify(person, kind="messaging.message", **kwargs):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return notify(recipient=person, kind=kind, url="/messages/7/", **kwargs)


def _only(person, channel):
    """Turn every outbound channel off for the person except ``channel``."""
    from hearth.notifications.kinds import GROUPS
    from hearth.notifications.models import OUTBOUND_CHANNELS

    for group in GROUPS:
        for ch in OUTBOUND_CHANNELS:
            ChannelPreference.objects.update_or_create(
                person=person, group=group, channel=ch, defaults={"enabled": ch == channel}
            )


# --- Email -----------------------------------------------------------------------------------


def test_email_goes_through_a_real_smtp_server_in_english_and_spanish(world, smtp_server):
    _notify(world.participant)
    world.other_participant.language = "es"
    world.other_participant.save(update_fields=["language"])
    _notify(world.other_participant)
    english, spanish = smtp_server.parsed()
    assert english["To"] == world.participant.email
    assert english["Subject"] == "You have a new message in Hearth"
    text = english.get_body(("plain",)).get_content()
    html = english.get_body(("html",)).get_content()
    assert "http://testserver/messages/7/" in text and 'href="http://testserver/messages/7/"' in html
    assert "never says what it is about" in text
    assert spanish["Subject"] == "Tienes un mensaje nuevo en Hearth"
    assert "Abrir Hearth" in spanish.get_body(("html",)).get_content()
    assert "nunca dice de qué se trata" in spanish.get_body(("plain",)).get_content()
    deliveries = Delivery.objects.filter(channel="email", notification__kind="messaging.message")
    assert {d.status for d in deliveries} == {DeliveryStatus.SENT}
    assert all(d.attempts == 1 for d in deliveries)


def test_delivering_twice_sends_once(world, smtp_server):
    notification = _notify(world.participant)
    delivery = notification.deliveries.get(channel="email")
    assert deliver.call_local(delivery.pk) == "done"
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "done"
    assert len(smtp_server.messages) == 1


def test_smtp_server_down_is_retried_with_backoff_then_failed_and_shown_to_admins(world, settings, client_for):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    notification = _notify(world.participant)
    delivery = notification.deliveries.get(channel="email")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error
    first_wait = delivery.not_before - delivery.updated_at
    Delivery.objects.filter(pk=delivery.pk).update(not_before=None)
    second = delivery_attempt(delivery_id=delivery.pk)
    assert second.outcome == "retry"
    delivery.refresh_from_db()
    assert delivery.not_before - delivery.updated_at == first_wait * 2  # backoff doubles
    Delivery.objects.filter(pk=delivery.pk).update(not_before=None)
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "done"  # never tried again
    page = client_for(world.admin).get("/notifications/deliveries/?status=failed").content.decode()
    assert "ConnectionRefusedError" in page and "messaging.message" in page
    assert "Failed" in page


def test_a_transport_bug_is_recorded_not_raised(world, monkeypatch):
    from hearth.notifications import transports

    def broken(self, person, outbound):
        raise KeyError("bug")

    monkeypatch.setattr(transports.EmailTransport, "send", broken)
    notification = _notify(world.participant)  # the job runs here (immediate mode) and must not raise
    delivery = notification.deliveries.get(channel="email")
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "email: KeyError"


def test_email_off_for_a_group_means_no_email(world):
    preferences_update(
        actor=world.participant, choices={("messages", "email"): False}, quiet_start=None, quiet_end=None
    )
    mail.outbox.clear()
    notification = _notify(world.participant)
    assert not notification.deliveries.exists()
    assert mail.outbox == []
    assert notification.pk  # still in the in-app list


def test_recipient_without_a_channel_is_recorded_as_not_sent(world, push_service):
    _only(world.participant, "push")  # chose push, but no browser has subscribed
    notification = _notify(world.participant)
    delivery = notification.deliveries.get()
    assert (delivery.channel, delivery.status) == ("push", DeliveryStatus.SKIPPED)
    assert "no browser" in delivery.last_error


# --- Web push --------------------------------------------------------------------------------


def _subscribe(client, keys, endpoint):
    return client.post(
        "/notifications/push/subscribe/", data=json.dumps(keys.subscription(endpoint)), content_type="application/json"
    )


def test_push_payload_decrypts_with_the_subscriptions_keys(world, push_service, browser_keys, client_for):
    client = client_for(world.participant)
    assert _subscribe(client, browser_keys, push_service.url + "/push/abc").status_code == 201
    _only(world.participant, "push")
    notification = _notify(world.participant)
    assert notification.deliveries.get().status == DeliveryStatus.SENT
    (request,) = push_service.requests
    assert request["path"] == "/push/abc"
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert request["headers"]["authorization"].startswith("vapid t=")
    plain = http_ece.decrypt(
        request["body"], private_key=browser_keys.private_key, auth_secret=browser_keys.auth, version="aes128gcm"
    )
    payload = json.loads(plain)
    assert payload == {
        "title": "Hearth",
        "body": "You have a new message in Hearth",
        "url": "http://testserver/messages/7/",
        "kind": "messaging.message",
    }
    # The VAPID token is signed by Hearth's key and addressed to the push service.
    token = request["headers"]["authorization"].split("t=")[1].split(",")[0]
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["aud"] == push_service.url


@pytest.mark.parametrize("gone", [404, 410])
def test_subscription_the_push_service_calls_gone_is_deleted(world, push_service, browser_keys, gone):
    push_subscription_save(actor=world.participant, subscription=browser_keys.subscription(push_service.url + "/x"))
    push_service.reply = lambda path, body: (gone, b"", 0)
    _only(world.participant, "push")
    notification = _notify(world.participant)
    assert not PushSubscription.objects.filter(person=world.participant).exists()
    delivery = notification.deliveries.get()
    assert delivery.status == DeliveryStatus.FAILED and "gone away" in delivery.last_error


def test_push_service_errors_and_timeouts_are_retried(world, push_service, browser_keys, settings):
    settings.WEBPUSH_TIMEOUT = 2
    push_subscription_save(actor=world.participant, subscription=browser_keys.subscription(push_service.url + "/x"))
    push_service.reply = lambda path, body: (503, b"", 0)
    _only(world.participant, "push")
    delivery = _notify(world.participant).deliveries.get()
    assert delivery.status == DeliveryStatus.PENDING and "503" in delivery.last_error
    push_service.reply = lambda path, body: (201, b"", 4)  # slower than the timeout
    Delivery.objects.filter(pk=delivery.pk).update(not_before=None)
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "retry"
    push_service.reply = lambda path, body: (201, b"", 0)
    Delivery.objects.filter(pk=delivery.pk).update(not_before=None)
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "sent"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 3)
    assert PushSubscription.objects.filter(person=world.participant).exists()


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps([1, 2]),
        json.dumps({"endpoint": "https://evil.example/push", "keys": {"p256dh": "AAAA", "auth": "AAAA"}}),
        json.dumps({"endpoint": "http://127.0.0.1:1/x"}),
        json.dumps({"endpoint": "http://127.0.0.1:1/x", "keys": {"p256dh": "!!!", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}),
        json.dumps({"endpoint": "http://127.0.0.1:1/x", "keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}),
        json.dumps({"endpoint": "file:///etc/passwd", "keys": {}}),
        json.dumps({"endpoint": 5, "keys": "x"}),
    ],
)
def test_malformed_push_subscriptions_are_refused_with_400(world, client_for, body):
    client = client_for(world.participant)
    response = client.post("/notifications/push/subscribe/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] in ("bad_json", "invalid_subscription")
    assert not PushSubscription.objects.exists()


def test_unsubscribe_removes_only_ones_own(world, browser_keys, client_for):
    push_subscription_save(actor=world.participant, subscription=browser_keys.subscription("http://127.0.0.1:1/x"))
    other = client_for(world.other_participant)
    other.post("/notifications/push/unsubscribe/", data={"endpoint": "http://127.0.0.1:1/x"})
    assert PushSubscription.objects.count() == 1
    own = client_for(world.participant)
    response = own.post(
        "/notifications/push/unsubscribe/",
        data=json.dumps({"endpoint": "http://127.0.0.1:1/x"}),
        content_type="application/json",
    )
    assert response.status_code == 200 and not PushSubscription.objects.exists()


# --- SMS -------------------------------------------------------------------------------------


def _with_sms(person, number="+13125550123"):
    preferences_update(
        actor=person,
        choices={("messages", "sms"): True, ("messages", "email"): False},
        quiet_start=None,
        quiet_end=None,
        sms_number=number,
    )
    person.refresh_from_db()


def test_sms_goes_to_the_twilio_api_stand_in(world, twilio_api):
    _with_sms(world.participant)
    delivery = _notify(world.participant).deliveries.get()
    assert delivery.status == DeliveryStatus.SENT
    (request,) = twilio_api.requests
    assert request["path"] == f"/2010-04-01/Accounts/{'AC' + '1' * 32}/Messages.json"
    form = dict(pair.split("=", 1) for pair in request["body"].decode().split("&"))
    assert form["To"] == "%2B13125550123" and form["From"] == "%2B13125550100"
    from urllib.parse import unquote_plus

    assert unquote_plus(form["Body"]) == "You have a new message in Hearth: http://testserver/messages/7/"
    assert request["headers"]["authorization"].startswith("Basic ")


def test_sms_provider_errors_and_timeouts(world, twilio_api):
    _with_sms(world.participant)
    twilio_api.reply = lambda path, body: (500, {"code": 20500, "message": "Internal", "status": 500}, 0)
    delivery = _notify(world.participant).deliveries.get()
    assert delivery.status == DeliveryStatus.PENDING and "500" in delivery.last_error
    twilio_api.reply = lambda path, body: (201, {"sid": "SM1"}, 5)  # longer than TWILIO_TIMEOUT
    Delivery.objects.filter(pk=delivery.pk).update(not_before=None)
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "retry"
    delivery.refresh_from_db()
    assert "Timeout" in delivery.last_error
    twilio_api.reply = lambda path, body: (400, {"code": 21211, "message": "Invalid 'To'", "status": 400}, 0)
    Delivery.objects.filter(pk=delivery.pk).update(not_before=None)
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "failed"  # will not get better
    delivery.refresh_from_db()
    assert "21211" in delivery.last_error and delivery.attempts == 3


def test_sms_is_off_unless_configured(world, settings):
    settings.TWILIO_ACCOUNT_SID = ""
    ChannelPreference.objects.create(person=world.participant, group="messages", channel="sms", enabled=True)
    notification = _notify(world.participant)
    assert not notification.deliveries.filter(channel="sms").exists()


# --- No clinical content anywhere ------------------------------------------------------------

CLINICAL = re.compile(
    r"phq|gad-?7|craving|relapse|return to use|\buse[ds]?\b|suicid|overdose|diagnos|score|mood|drink|"
    r"opioid|alcohol|medicat|therap|counsel|treatment|withdraw|urge|sober|detox|self-harm|crisis",
    re.IGNORECASE,
)


def test_no_clinical_content_in_any_email_sms_or_push_for_any_kind(world):
    from django.utils import translation

    from hearth.notifications.kinds import KINDS
    from hearth.notifications.transports import Outbound, render_email, render_push, render_sms

    for language in ("en", "es"):
        for kind in KINDS:
            with translation.override(language):
                title = str(KINDS[kind])
            outbound = Outbound(kind=kind, title=title, url="http://testserver/x/1/", language=language)
            subject, text, html = render_email(outbound, world.participant)
            bodies = {"subject": subject, "text": text, "html": html, "sms": render_sms(outbound)}
            bodies["push"] = render_push(outbound)
            for name, body in bodies.items():
                found = CLINICAL.search(body)
                assert not found, f"{kind} {language} {name}: {found.group(0)!r}"
            assert world.participant.display_name not in text + html


def test_batched_job_sends_each_once_and_retries_failures_alone(world, settings):
    from huey.contrib.djhuey import HUEY

    from hearth.notifications.tasks import deliver_many

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    ids = [
        notify(recipient=person, kind="system.welcome").deliveries.get().pk
        for person in (world.participant, world.other_participant)
    ]
    scheduled_before = len(HUEY.scheduled())
    assert deliver_many.call_local(ids) == 0
    assert len(HUEY.scheduled()) == scheduled_before + 2  # each failure retried as its own job
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Delivery.objects.filter(pk__in=ids).update(not_before=None)
    mail.outbox.clear()
    assert deliver_many.call_local(ids + ids) == 2  # listed twice, sent once
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(("status", "outcome"), [(None, "sent"), (503, "retry"), (429, "retry"), (422, "failed")])
def test_email_through_an_anymail_provider(world, settings, monkeypatch, status, outcome):
    from anymail.backends.test import EmailBackend as AnymailTestBackend
    from anymail.exceptions import AnymailAPIError

    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    if status is not None:

        def refuse(self, payload, message):
            raise AnymailAPIError("provider said no", status_code=status)

        monkeypatch.setattr(AnymailTestBackend, "post_to_esp", refuse)
    mail.outbox.clear()
    delivery = notify(recipient=world.participant, kind="messaging.message").deliveries.get(channel="email")
    assert delivery_attempt(delivery_id=delivery.pk).outcome == outcome
    if status is None:
        (message,) = mail.outbox
        assert message.anymail_test_params["subject"] == "You have a new message in Hearth"
        assert message.anymail_test_params["html_body"].count("Open Hearth") == 1
    else:
        delivery.refresh_from_db()
        assert "AnymailAPIError" in delivery.last_error
