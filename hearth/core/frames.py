"""Decoding of websocket JSON frames, shared by every socket protocol (chat, video): the same
limits, the same error codes, the same schema-error details."""

import json

from pydantic import TypeAdapter, ValidationError


class FrameError(Exception):
    """A frame that is refused; ``code`` is the protocol's error code, ``ref`` the client's frame id."""

    def __init__(self, code: str, message: str, ref: str | None = None, details: list | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.ref = ref
        self.details = details or []


def decode_json_object(text: str | None, binary: bytes | None, *, max_bytes: int) -> dict:
    """The frame as a dict, or FrameError: binary, too large, not JSON, not an object."""
    if binary is not None or text is None:
        raise FrameError("binary_not_supported", "Frames are JSON text.")
    if len(text) > max_bytes or len(text.encode("utf-8")) > max_bytes:
        raise FrameError("frame_too_large", f"Frames can be at most {max_bytes} bytes.")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise FrameError("malformed_json", "The frame is not valid JSON.") from None
    if not isinstance(data, dict):
        raise FrameError("invalid_frame", "A frame is a JSON object.")
    return data


def validate_frame(adapter: TypeAdapter, data: dict, ref: str | None = None):
    """The typed frame, or FrameError("invalid_frame") listing each field that is wrong."""
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        details = [
            {"field": ".".join(str(part) for part in error["loc"][1:]), "problem": error["type"]}
            for error in exc.errors(include_url=False, include_input=False)
        ]
        raise FrameError("invalid_frame", "The frame does not match its schema.", ref, details) from None
