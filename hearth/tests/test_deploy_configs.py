"""The example configs in deploy/ are valid for the programs that read them (#21 item 7):
``nginx -t`` on the nginx site, Janus started on the Janus configs, the coturn config's keys
against coturn's documented options, ``systemd-analyze verify`` on the units. Each check runs on
a copy under a temporary prefix (no root paths) and skips, saying why, when its tool is missing."""

import datetime
import ipaddress
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
JANUS = "/usr/bin/janus"
JANUS_LIB = Path("/usr/lib/x86_64-linux-gnu/janus")


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hearth.example.org")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def _nginx_test(tmp_path: Path, site: str) -> subprocess.CompletedProcess:
    """nginx -t on the site inside a minimal main config, every path under tmp_path."""
    cert, key = _self_signed(tmp_path)
    site = site.replace("/etc/letsencrypt/live/hearth.example.org/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/hearth.example.org/privkey.pem", str(key))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "hearth.conf").write_text(site)
    temp = "\n".join(
        f"    {kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log {tmp_path}/access.log;\n{temp}\n    include {tmp_path}/hearth.conf;\n}}\n"
    )
    return subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (scripts/ensure-system-packages.sh)")
def test_nginx_accepts_the_site(tmp_path):
    result = _nginx_test(tmp_path, (DEPLOY / "nginx" / "hearth.conf").read_text())
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (scripts/ensure-system-packages.sh)")
def test_the_nginx_check_catches_a_broken_site(tmp_path):
    broken = (DEPLOY / "nginx" / "hearth.conf").read_text().replace("proxy_read_timeout 1h;", "proxy_read_timeout;")
    result = _nginx_test(tmp_path, broken)
    assert result.returncode != 0 and "proxy_read_timeout" in result.stderr


# Options coturn documents in its example turnserver.conf (coturn 4.6, examples/etc/turnserver.conf).
COTURN_OPTIONS = frozenset(
    """
    listening-device listening-port tls-listening-port alt-listening-port alt-tls-listening-port listening-ip
    aux-server udp-self-balance relay-device relay-ip external-ip relay-threads min-port max-port verbose
    Verbose fingerprint lt-cred-mech no-auth use-auth-secret static-auth-secret server-name oauth user userdb
    psql-userdb mysql-userdb secret-key-file mongo-userdb redis-userdb redis-statsdb realm
    check-origin-consistency user-quota total-quota max-bps bps-capacity no-udp no-tcp no-tls no-dtls
    no-udp-relay no-tcp-relay stale-nonce max-allocate-lifetime channel-lifetime permission-lifetime cert pkey
    pkey-pwd cipher-list CA-file ec-curve-name dh566 dh2066 dh-file no-stdout-log log-file syslog simple-log
    alternate-server tls-alternate-server stun-only prod no-stun rest-api-separator allow-loopback-peers
    no-multicast-peers max-allocate-timeout denied-peer-ip allowed-peer-ip pidfile secure-stun mobility
    keep-address-family proc-user proc-group no-cli cli-ip cli-port cli-password web-admin web-admin-ip
    web-admin-port web-admin-listen-on-workers server-relay cli-max-output-sessions ne no-tlsv1 no-tlsv1_1
    no-tlsv1_2
    """.split()
)
COTURN_FLAGS = frozenset(
    "use-auth-secret fingerprint no-cli no-multicast-peers no-tcp-relay simple-log lt-cred-mech no-tlsv1 "
    "no-tlsv1_1 no-udp-relay stun-only prod no-stun secure-stun no-tls no-dtls no-udp no-tcp".split()
)


def _coturn_lines() -> list[tuple[str, str | None]]:
    lines = []
    for raw in (DEPLOY / "coturn" / "turnserver.conf").read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            lines.append((key.strip(), value.strip() if sep else None))
    return lines


def test_coturn_config_uses_only_documented_options_with_sane_values():
    lines = _coturn_lines()
    unknown = [key for key, _ in lines if key not in COTURN_OPTIONS]
    assert not unknown, f"not coturn options: {unknown}"
    values = {}
    for key, value in lines:
        if key in COTURN_FLAGS:
            assert value is None or value.lower() in ("1", "on", "yes", "true", "t"), f"{key} is a flag"
        else:
            assert value, f"{key} needs a value"
        values.setdefault(key, []).append(value)
    assert "use-auth-secret" in values and values["static-auth-secret"][0], "TURN REST credentials (Hearth's)"
    for port in ("listening-port", "tls-listening-port", "min-port", "max-port"):
        assert 0 < int(values[port][0]) < 65536, port
    assert int(values["min-port"][0]) < int(values["max-port"][0])
    for key in ("cert", "pkey"):
        assert values[key][0].startswith("/"), key
    for entry in values["denied-peer-ip"]:
        low, _, high = entry.partition("-")
        low_ip, high_ip = ipaddress.ip_address(low), ipaddress.ip_address(high or low)
        assert low_ip.version == high_ip.version and low_ip <= high_ip, entry
    denied = [entry.partition("-")[0] for entry in values["denied-peer-ip"]]
    for private in ("10.0.0.0", "127.0.0.0", "172.16.0.0", "192.168.0.0", "169.254.0.0", "::1", "fc00::"):
        assert private in denied, f"TURN must not relay to {private}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not Path(JANUS).exists(), reason="janus is not installed (scripts/ensure-system-packages.sh)")
def test_janus_starts_on_the_deploy_configs(tmp_path):
    """Janus reads janus.jcfg, the HTTP transport's and the VideoRoom's config and starts (loopback ports)."""
    # Janus 1.1 prints its version on every start and has no --version (-V is the nearest).
    version = subprocess.run([JANUS, "-V"], capture_output=True, text=True, timeout=30, check=False)
    assert re.search(r"Janus version: \d+ \(1\.", version.stdout + version.stderr), version.stdout + version.stderr
    plugins, transports, empty = tmp_path / "plugins", tmp_path / "transports", tmp_path / "empty"
    for folder in (plugins, transports, empty):
        folder.mkdir()
    (plugins / "libjanus_videoroom.so").symlink_to(JANUS_LIB / "plugins" / "libjanus_videoroom.so")
    (transports / "libjanus_http.so").symlink_to(JANUS_LIB / "transports" / "libjanus_http.so")
    http_port, admin_port = _free_port(), _free_port()
    core = (DEPLOY / "janus" / "janus.jcfg").read_text()
    for setting, folder in (
        ("configs_folder", tmp_path),
        ("plugins_folder", plugins),
        ("transports_folder", transports),
        ("events_folder", empty),
        ("loggers_folder", empty),
    ):
        core, count = re.subn(rf'{setting} = "[^"]*"', f'{setting} = "{folder}"', core)
        assert count == 1, setting
    (tmp_path / "janus.jcfg").write_text(core)
    http = (DEPLOY / "janus" / "janus.transport.http.jcfg").read_text()
    http = http.replace("port = 8088", f"port = {http_port}").replace("admin_port = 7088", f"admin_port = {admin_port}")
    (tmp_path / "janus.transport.http.jcfg").write_text(http)
    shutil.copy(DEPLOY / "janus" / "janus.plugin.videoroom.jcfg", tmp_path)

    log = tmp_path / "janus.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [JANUS, "--config", str(tmp_path / "janus.jcfg"), "--configs-folder", str(tmp_path), "--disable-colors"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, "janus exited:\n" + log.read_text()[-3000:]
            try:
                socket.create_connection(("127.0.0.1", http_port), timeout=0.2).close()
                socket.create_connection(("127.0.0.1", admin_port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "janus did not start:\n" + log.read_text()[-3000:]
                time.sleep(0.1)
        text = log.read_text()
        assert "JANUS VideoRoom plugin initialized" in text, text[-3000:]
        assert not re.search(r"(?i)error (parsing|reading) config", text), text[-3000:]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed (Debian package systemd)")
def test_systemd_units_verify(tmp_path):
    """systemd-analyze verify on the units, with /srv/hearth under tmp_path (the commands must exist)."""
    root = tmp_path / "srv" / "hearth"
    (root / ".venv" / "bin").mkdir(parents=True)
    for command in ("gunicorn", "python"):
        (root / ".venv" / "bin" / command).symlink_to("/bin/true")
    units = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        target = tmp_path / unit.name
        target.write_text(unit.read_text().replace("/srv/hearth", str(root)))
        units.append(str(target))
    assert len(units) >= 2
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--man=no", *units], capture_output=True, text=True, timeout=60, check=False
    )
    if result.returncode != 0 and "Failed to initialize manager" in result.stderr + result.stdout:
        pytest.skip(f"systemd-analyze cannot run here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0, result.stderr + result.stdout
    problems = [line for line in (result.stderr + result.stdout).splitlines() if "hearth-" in line]
    assert not problems, problems
