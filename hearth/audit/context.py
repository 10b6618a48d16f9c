"""The request facts an audit entry needs (where from), carried in a context variable so
services can record them without every call passing the request down."""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""


current_request: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "hearth_audit_request",
    default=RequestContext(),  # noqa: B039 - frozen, immutable
)
