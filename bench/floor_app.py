"""The floor for bench/chat.py: a minimal ASGI websocket broadcast app with no Django.

It speaks just enough of the chat protocol (send → ack to the sender, message to the group) for
the same load generator to drive it, so the two runs differ only by what Hearth adds: session
auth, validation, rate limit, membership checks, the database write, audit, the channel layer.
"""

import json
from collections import defaultdict
from urllib.parse import parse_qs

groups: dict[int, set] = defaultdict(set)
seqs: dict[int, int] = defaultdict(int)


async def app(scope, receive, send):
    if scope["type"] != "websocket":
        return
    query = parse_qs(scope.get("query_string", b"").decode())
    group = int(query.get("group", ["0"])[0])
    user = int(query.get("user", ["0"])[0])
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": json.dumps({"type": "hello", "unread": {}})})
    groups[group].add(send)
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            frame = json.loads(message.get("text") or "{}")
            seqs[group] += 1
            seq = seqs[group]
            await send(
                {
                    "type": "websocket.send",
                    "text": json.dumps({"type": "ack", "client_msg_id": frame.get("client_msg_id"), "seq": seq}),
                }
            )
            out = json.dumps(
                {
                    "type": "message",
                    "conversation": group,
                    "seq": seq,
                    "sender": {"id": user},
                    "body": frame.get("body", ""),
                }
            )
            for member in list(groups[group]):
                try:
                    await member({"type": "websocket.send", "text": out})
                except Exception:  # noqa: BLE001 (a closed peer; the floor has nothing to log)
                    groups[group].discard(member)
    finally:
        groups[group].discard(send)
