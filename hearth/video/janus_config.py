"""Janus configuration as Hearth runs it: only the VideoRoom plugin and the HTTP transport, both
APIs bound to loopback, core token_auth on, no recording. Used by the integration test and
bench/video_join, and the shape of the production example in deploy/janus/."""

import os
from pathlib import Path

JANUS_LIB = Path("/usr/lib/x86_64-linux-gnu/janus")
JANUS_BINARY = Path("/usr/bin/janus")


def write_janus_config(
    folder: Path,
    *,
    http_port: int,
    admin_port: int,
    admin_secret: str,
    admin_key: str,
    interfaces: str = "",
    rtp_port_range: str = "20000-40000",
    bind_ip: str = "127.0.0.1",
) -> Path:
    """Write a config folder (with plugin and transport folders holding only what Hearth uses)."""
    folder.mkdir(parents=True, exist_ok=True)
    plugins, transports, empty = folder / "plugins", folder / "transports", folder / "empty"
    for sub in (plugins, transports, empty):
        sub.mkdir(exist_ok=True)
    for source, target in (
        (JANUS_LIB / "plugins" / "libjanus_videoroom.so", plugins / "libjanus_videoroom.so"),
        (JANUS_LIB / "transports" / "libjanus_http.so", transports / "libjanus_http.so"),
    ):
        if not target.exists():
            os.symlink(source, target)
    enforce = f'\tice_enforce_list = "{interfaces}"\n' if interfaces else ""
    (folder / "janus.jcfg").write_text(
        "general: {\n"
        f'\tconfigs_folder = "{folder}"\n'
        f'\tplugins_folder = "{plugins}"\n'
        f'\ttransports_folder = "{transports}"\n'
        f'\tevents_folder = "{empty}"\n'
        f'\tloggers_folder = "{empty}"\n'
        "\tdebug_level = 3\n"
        f'\tadmin_secret = "{admin_secret}"\n'
        "\ttoken_auth = true\n"
        "\tsession_timeout = 60\n"
        "}\n"
        "media: {\n"
        f'\trtp_port_range = "{rtp_port_range}"\n'
        "}\n"
        "nat: {\n"
        "\tnice_debug = false\n"
        f"{enforce}"
        "}\n"
        "plugins: {\n}\ntransports: {\n}\nloggers: {\n}\nevents: {\n}\n"
    )
    (folder / "janus.transport.http.jcfg").write_text(
        "general: {\n"
        '\tjson = "compact"\n\tbase_path = "/janus"\n\thttp = true\n'
        f'\tport = {http_port}\n\tip = "{bind_ip}"\n\thttps = false\n'
        "}\n"
        "admin: {\n"
        '\tadmin_base_path = "/admin"\n\tadmin_http = true\n'
        f'\tadmin_port = {admin_port}\n\tadmin_ip = "{bind_ip}"\n\tadmin_https = false\n'
        "}\n"
        "cors: {\n}\n"
    )
    (folder / "janus.plugin.videoroom.jcfg").write_text(
        f'general: {{\n\tadmin_key = "{admin_key}"\n\tlock_rtp_forward = true\n}}\n'
    )
    return folder / "janus.jcfg"
