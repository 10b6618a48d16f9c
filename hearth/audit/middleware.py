import uuid

from .context import RequestContext, current_request


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(
            RequestContext(
                ip_address=request.META.get("REMOTE_ADDR") or None,
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                request_id=str(uuid.uuid4()),
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
