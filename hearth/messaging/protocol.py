"""The client → server frames of the chat protocol, version 1 (docs/realtime-protocol.md)."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from hearth.core.frames import FrameError, decode_json_object, validate_frame

PROTOCOL_VERSION = 1
MAX_FRAME_BYTES = 16 * 1024

Id = Annotated[int, Field(ge=1, le=2**53)]
Seq = Annotated[int, Field(ge=0, le=2**53)]


class Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    v: Literal[1] = 1
    # Optional request id chosen by the client, echoed back as "ref" in the answer or error.
    id: Annotated[str, Field(max_length=64)] | None = None


class Send(Frame):
    type: Literal["send"]
    conversation: Id
    client_msg_id: Annotated[str, Field(min_length=1, max_length=64)]
    body: str


class Edit(Frame):
    type: Literal["edit"]
    conversation: Id
    seq: Id
    body: str


class Delete(Frame):
    type: Literal["delete"]
    conversation: Id
    seq: Id


class React(Frame):
    type: Literal["reaction"]
    conversation: Id
    seq: Id
    emoji: Annotated[str, Field(min_length=1, max_length=16)]


class Read(Frame):
    type: Literal["read"]
    conversation: Id
    seq: Seq


class Resume(Frame):
    type: Literal["resume"]
    conversation: Id
    after_seq: Seq
    # The highest change number the client has seen; with it, the answer also carries the messages
    # it holds that were edited, deleted, hidden or reacted to since.
    after_change: Seq | None = None


ClientFrame = Annotated[Send | Edit | Delete | React | Read | Resume, Field(discriminator="type")]
_adapter: TypeAdapter = TypeAdapter(ClientFrame)
FRAME_TYPES = ("send", "edit", "delete", "reaction", "read", "resume")


def parse_frame(text: str | None, binary: bytes | None = None):
    """A validated frame, or FrameError with the protocol's error code."""
    data = decode_json_object(text, binary, max_bytes=MAX_FRAME_BYTES)
    ref = data.get("id") if isinstance(data.get("id"), str) and len(data["id"]) <= 64 else None
    if data.get("v", PROTOCOL_VERSION) != PROTOCOL_VERSION:
        raise FrameError("unsupported_version", f"This server speaks protocol version {PROTOCOL_VERSION}.", ref)
    if data.get("type") not in FRAME_TYPES:
        raise FrameError("unknown_type", f"Unknown frame type; expected one of {', '.join(FRAME_TYPES)}.", ref)
    return validate_frame(_adapter, data, ref)
