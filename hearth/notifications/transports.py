"""The channels a notification leaves Hearth by, behind one small interface.

A transport gets a person and an ``Outbound`` (generic wording only: the title of the kind and a
link) and either returns, or raises ``DeliveryError`` saying whether trying again may help.
Transports never see the notification's subject matter, so they cannot leak it.
"""

import json
import logging
from dataclasses import dataclass
from typing import Protocol

import requests
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outbound:
    kind: str
    title: str  # the kind's generic title in the person's language
    url: str  # absolute link into Hearth
    language: str


def describe(exc: BaseException) -> str:
    """Class and message of a provider error; some libraries' exceptions fail to print."""
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - a broken __str__ must not hide the error itself
        text = ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class DeliveryError(Exception):
    def __init__(self, message: str, *, retry: bool):
        super().__init__(message[:300])
        self.retry = retry


class Transport(Protocol):
    channel: str

    def configured(self) -> bool: ...

    def unreachable(self, person) -> str:
        """Why this person cannot be reached on this channel ("" when they can)."""

    def send(self, person, outbound: Outbound) -> None: ...


def render_email(outbound: Outbound, person) -> tuple[str, str, str]:
    """Subject, text and HTML bodies, rendered in the person's language (templates per language)."""
    context = {"title": outbound.title, "url": outbound.url, "site_url": settings.SITE_URL, "person": person}
    language = outbound.language if outbound.language in ("en", "es") else "en"
    text = render_to_string(f"notifications/email/notification.{language}.txt", context)
    html = render_to_string(f"notifications/email/notification.{language}.html", context)
    return outbound.title, text, html


def render_sms(outbound: Outbound) -> str:
    return f"{outbound.title}: {outbound.url}"


def render_push(outbound: Outbound) -> str:
    return json.dumps({"title": "Hearth", "body": outbound.title, "url": outbound.url, "kind": outbound.kind})


class EmailTransport:
    channel = "email"

    def configured(self) -> bool:
        return True

    def unreachable(self, person) -> str:
        return "" if person.email else "no email address"

    def send(self, person, outbound: Outbound) -> None:
        subject, text, html = render_email(outbound, person)
        message = EmailMultiAlternatives(
            subject=subject, body=text, to=[person.email], connection=get_connection(timeout=settings.EMAIL_TIMEOUT)
        )
        message.attach_alternative(html, "text/html")
        try:
            message.send()
        except (OSError, TimeoutError) as exc:  # refused, reset, timed out, TLS: the server may be back soon
            raise DeliveryError(f"email: {describe(exc)}", retry=True) from exc
        except Exception as exc:
            # Anymail raises AnymailAPIError with a status; 4xx other than 429 will not get better.
            status = getattr(exc, "status_code", None)
            retry = status is None or status == 429 or status >= 500
            raise DeliveryError(f"email: {describe(exc)}", retry=retry) from exc


class SmsTransport:
    channel = "sms"

    def configured(self) -> bool:
        return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.TWILIO_FROM_NUMBER)

    def unreachable(self, person) -> str:
        if not self.configured():
            return "text messages are not set up"
        number = getattr(getattr(person, "notification_settings", None), "sms_number", "")
        return "" if number else "no mobile number"

    def client(self):
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT),
        )
        if settings.TWILIO_API_BASE:
            client.api.base_url = settings.TWILIO_API_BASE.rstrip("/")
        return client

    def send(self, person, outbound: Outbound) -> None:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        try:
            self.client().messages.create(
                to=person.notification_settings.sms_number, from_=settings.TWILIO_FROM_NUMBER, body=render_sms(outbound)
            )
        except TwilioRestException as exc:
            retry = exc.status == 429 or exc.status >= 500
            raise DeliveryError(f"sms: provider answered {exc.status} (code {exc.code})", retry=retry) from exc
        except (TwilioException, requests.RequestException, OSError) as exc:  # timeouts, refused connections
            raise DeliveryError(f"sms: {type(exc).__name__}", retry=True) from exc


class PushTransport:
    channel = "push"

    def configured(self) -> bool:
        return bool(settings.WEBPUSH_VAPID_PRIVATE_KEY and settings.WEBPUSH_VAPID_PUBLIC_KEY)

    def unreachable(self, person) -> str:
        if not self.configured():
            return "web push is not set up"
        # all() rather than exists(): uses the subscriptions when the caller prefetched them.
        return "" if len(person.push_subscriptions.all()) else "no browser has turned on alerts"

    def send(self, person, outbound: Outbound) -> None:
        """Send to every subscription of the person. Gone ones (404/410) are deleted; the
        delivery succeeds if any browser took it, and is retried if all failures may pass."""
        from pywebpush import WebPushException, webpush

        payload = render_push(outbound)
        delivered, errors, retry = 0, [], False
        for subscription in list(person.push_subscriptions.all()):
            keys = {"p256dh": subscription.p256dh, "auth": subscription.auth}
            info = {"endpoint": subscription.endpoint, "keys": keys}
            try:
                webpush(
                    subscription_info=info,
                    data=payload,
                    vapid_private_key=vapid_private_key(),
                    vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
                    ttl=3600,
                    timeout=settings.WEBPUSH_TIMEOUT,
                )
            except WebPushException as exc:
                status = getattr(exc.response, "status_code", None)
                if status in (404, 410):
                    subscription.delete()
                    continue
                errors.append(f"push service answered {status}")
                retry = retry or status is None or status == 429 or status >= 500
            except (requests.RequestException, OSError) as exc:  # timeouts, refused connections
                errors.append(type(exc).__name__)
                retry = True
            except ValueError as exc:  # a stored key that does not decode: this browser will never work
                errors.append(type(exc).__name__)
            else:
                delivered += 1
                subscription.last_success_at = timezone.now()
                subscription.save(update_fields=["last_success_at"])
        if delivered:
            return
        if not errors:
            raise DeliveryError("push: every browser subscription has gone away", retry=False)
        raise DeliveryError("push: " + "; ".join(errors), retry=retry)


def vapid_private_key():
    """pywebpush takes a Vapid object, a PEM file path or a base64url DER string."""
    from py_vapid import Vapid

    key = settings.WEBPUSH_VAPID_PRIVATE_KEY
    if "BEGIN" in key:
        return Vapid.from_pem(key.encode())
    return key


TRANSPORTS: dict[str, Transport] = {t.channel: t for t in (EmailTransport(), SmsTransport(), PushTransport())}
