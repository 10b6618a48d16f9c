"""Start Debian's Janus for a test or the bench, configured as Hearth runs it (hearth.video.janus_config)."""

import secrets
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from hearth.video.janus import JanusClient, JanusSettings
from hearth.video.janus_config import JANUS_BINARY, write_janus_config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_janus(folder: Path, *, interfaces: str = "v0"):
    """Janus on loopback ports with fresh secrets; yields (client, settings, public API url)."""
    http_port, admin_port = free_port(), free_port()
    settings = JanusSettings(
        url=f"http://127.0.0.1:{http_port}/janus",
        admin_url=f"http://127.0.0.1:{admin_port}/admin",
        admin_secret=secrets.token_urlsafe(16),
        admin_key=secrets.token_urlsafe(16),
    )
    config = write_janus_config(
        folder,
        http_port=http_port,
        admin_port=admin_port,
        admin_secret=settings.admin_secret,
        admin_key=settings.admin_key,
        interfaces=interfaces,
    )
    log = (folder / "janus.log").open("w")
    process = subprocess.Popen(
        [str(JANUS_BINARY), "--config", str(config), "--configs-folder", str(folder), "--disable-colors"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise RuntimeError("janus exited:\n" + (folder / "janus.log").read_text()[-3000:])
            try:
                socket.create_connection(("127.0.0.1", http_port), timeout=0.2).close()
                socket.create_connection(("127.0.0.1", admin_port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("janus did not start:\n" + (folder / "janus.log").read_text()[-3000:]) from None
                time.sleep(0.1)
        yield JanusClient(settings), settings
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
