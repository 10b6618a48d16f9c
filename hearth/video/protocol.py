"""Client → server frames of the video socket (``ws/video/<occurrence>/``), validated with pydantic.

Signalling frames carry SDP and ICE candidates between admitted people (mesh); control frames
carry host and participant controls. Anything else gets an error frame and changes nothing."""

import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from . import conf

MAX_FRAME_BYTES = 64 * 1024

PersonId = Annotated[int, Field(ge=1, le=2**53)]


class Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class IceCandidate(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    candidate: Annotated[str, Field(max_length=1024)]
    sdpMid: Annotated[str, Field(max_length=64)] | None = None
    sdpMLineIndex: Annotated[int, Field(ge=0, le=64)] | None = None
    usernameFragment: Annotated[str, Field(max_length=256)] | None = None


class Offer(Frame):
    type: Literal["offer"]
    to: PersonId
    sdp: str


class Answer(Frame):
    type: Literal["answer"]
    to: PersonId
    sdp: str


class Ice(Frame):
    type: Literal["ice"]
    to: PersonId
    candidate: IceCandidate | None = None  # None: end of candidates


class Hand(Frame):
    type: Literal["hand"]
    raised: bool


class MediaState(Frame):
    type: Literal["media"]
    audio: bool
    video: bool


class Leave(Frame):
    type: Literal["leave"]


class Admit(Frame):
    type: Literal["admit"]
    person: PersonId


class Remove(Frame):
    type: Literal["remove"]
    person: PersonId


class AskMute(Frame):
    type: Literal["ask_mute"]
    person: PersonId


class Lock(Frame):
    type: Literal["lock"]
    locked: bool


class LowerHands(Frame):
    type: Literal["lower_hands"]


class End(Frame):
    type: Literal["end"]


ClientFrame = Annotated[
    Offer | Answer | Ice | Hand | MediaState | Leave | Admit | Remove | AskMute | Lock | LowerHands | End,
    Field(discriminator="type"),
]
_adapter: TypeAdapter = TypeAdapter(ClientFrame)
FRAME_TYPES = (
    "offer",
    "answer",
    "ice",
    "hand",
    "media",
    "leave",
    "admit",
    "remove",
    "ask_mute",
    "lock",
    "lower_hands",
    "end",
)
SIGNALS = (Offer, Answer, Ice)
HOST_FRAMES = (Admit, Remove, AskMute, Lock, LowerHands, End)


class FrameError(Exception):
    def __init__(self, code: str, message: str, details: list | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or []


def parse_frame(text: str | None, binary: bytes | None = None):
    """A validated frame, or FrameError with a code the client can show."""
    if binary is not None or text is None:
        raise FrameError("binary_not_supported", "Frames are JSON text.")
    if len(text) > MAX_FRAME_BYTES or len(text.encode("utf-8")) > MAX_FRAME_BYTES:
        raise FrameError("frame_too_large", f"Frames can be at most {MAX_FRAME_BYTES} bytes.")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise FrameError("malformed_json", "The frame is not valid JSON.") from None
    if not isinstance(data, dict):
        raise FrameError("invalid_frame", "A frame is a JSON object.")
    if data.get("type") not in FRAME_TYPES:
        raise FrameError("unknown_type", "Unknown frame type.")
    try:
        frame = _adapter.validate_python(data)
    except ValidationError as exc:
        details = [
            {"field": ".".join(str(part) for part in error["loc"][1:]), "problem": error["type"]}
            for error in exc.errors(include_url=False, include_input=False)
        ]
        raise FrameError("invalid_frame", "The frame does not match its schema.", details) from None
    if isinstance(frame, Offer | Answer):
        limit = conf.max_sdp_bytes()
        if len(frame.sdp.encode("utf-8")) > limit:
            raise FrameError("sdp_too_large", f"A session description can be at most {limit} bytes.")
        if not frame.sdp.startswith("v=0"):
            raise FrameError("invalid_sdp", "That is not a session description.")
    return frame
