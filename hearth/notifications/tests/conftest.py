"""Local stand-ins for the outside world: an SMTP server (aiosmtpd), a Web Push service and a
Twilio API, all on 127.0.0.1. Nothing in these tests leaves the machine."""

import base64
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SmtpServer:
    port: int
    messages: list = field(default_factory=list)

    def parsed(self):
        return [message_from_bytes(m, policy=policy.default) for m in self.messages]


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    server = SmtpServer(port=free_port())

    class Handler:
        async def handle_DATA(self, _server, _session, envelope):
            server.messages.append(envelope.original_content or envelope.content)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
    settings.EMAIL_TIMEOUT = 5
    yield server
    controller.stop()


@dataclass
class HttpStandIn:
    """A tiny HTTP server; ``reply`` decides each answer: (status, body, delay seconds)."""

    url: str = ""
    requests: list = field(default_factory=list)
    reply: object = None
    server: object = None


def _serve(stand_in: HttpStandIn) -> HttpStandIn:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            stand_in.requests.append(
                {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
            )
            status, payload, delay = stand_in.reply(self.path, body)
            if delay:
                time.sleep(delay)
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    stand_in.server = httpd
    stand_in.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return stand_in


@pytest.fixture
def push_service(settings):
    """A Web Push service on 127.0.0.1 and VAPID keys for Hearth."""
    vapid = ec.generate_private_key(ec.SECP256R1())
    settings.WEBPUSH_VAPID_PRIVATE_KEY = vapid.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    settings.WEBPUSH_VAPID_PUBLIC_KEY = b64url(
        vapid.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    settings.WEBPUSH_TIMEOUT = 2
    stand_in = _serve(HttpStandIn(reply=lambda path, body: (201, b"", 0)))
    stand_in.vapid_public = vapid.public_key()
    yield stand_in
    stand_in.server.shutdown()


@dataclass
class BrowserKeys:
    private_key: object
    auth: bytes

    def subscription(self, endpoint: str) -> dict:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": endpoint, "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)}}


@pytest.fixture
def browser_keys():
    import os

    return BrowserKeys(private_key=ec.generate_private_key(ec.SECP256R1()), auth=os.urandom(16))


@pytest.fixture
def twilio_api(settings):
    """A stand-in for Twilio's Messages API on 127.0.0.1."""

    def created(path, body):
        return 201, {"sid": "SM" + "0" * 32, "status": "queued", "account_sid": "AC" + "1" * 32}, 0

    stand_in = _serve(HttpStandIn(reply=created))
    settings.TWILIO_ACCOUNT_SID = "AC" + "1" * 32
    settings.TWILIO_AUTH_TOKEN = "test-token"
    settings.TWILIO_FROM_NUMBER = "+13125550100"
    settings.TWILIO_API_BASE = stand_in.url
    settings.TWILIO_TIMEOUT = 3
    yield stand_in
    stand_in.server.shutdown()
