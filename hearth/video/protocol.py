"""Client → server frames of the video socket (``ws/video/<occurrence>/``), validated with pydantic.

Signalling frames carry SDP and ICE candidates between admitted people (mesh); control frames
carry host and participant controls. Anything else gets an error frame and changes nothing."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from hearth.core.frames import FrameError, decode_json_object, validate_frame

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


def parse_frame(text: str | None, binary: bytes | None = None):
    """A validated frame, or FrameError with a code the client can show."""
    data = decode_json_object(text, binary, max_bytes=MAX_FRAME_BYTES)
    if data.get("type") not in FRAME_TYPES:
        raise FrameError("unknown_type", "Unknown frame type.")
    frame = validate_frame(_adapter, data)
    if isinstance(frame, Offer | Answer):
        limit = conf.max_sdp_bytes()
        if len(frame.sdp.encode("utf-8")) > limit:
            raise FrameError("sdp_too_large", f"A session description can be at most {limit} bytes.")
        if not frame.sdp.startswith("v=0"):
            raise FrameError("invalid_sdp", "That is not a session description.")
    return frame
