"""The Permissions-Policy header: powerful browser features are off on every page; the video room
and the device check turn on camera and microphone for this origin only.

A view that needs them is wrapped with ``@uses_camera_and_microphone``; the mark is put on the
response it returns, so a redirect to sign in or an error page from an outer wrapper stays denied.
"""

from functools import wraps

MEDIA_FEATURES = ("camera", "microphone")
DENIED_FEATURES = (
    "camera",
    "microphone",
    "display-capture",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "bluetooth",
    "hid",
    "midi",
    "magnetometer",
    "gyroscope",
    "accelerometer",
    "ambient-light-sensor",
    "publickey-credentials-get",
    "screen-wake-lock",
    "xr-spatial-tracking",
    "browsing-topics",
)
_MEDIA_MARK = "_hearth_allows_camera_and_microphone"


def policy(*, media: bool) -> str:
    parts = []
    for feature in DENIED_FEATURES:
        if feature == "publickey-credentials-get":
            # WebAuthn security keys sign people in (allauth's MFA): this origin only.
            parts.append(f"{feature}=(self)")
        elif media and feature in MEDIA_FEATURES:
            parts.append(f"{feature}=(self)")
        else:
            parts.append(f"{feature}=()")
    return ", ".join(parts)


DEFAULT_POLICY = policy(media=False)
MEDIA_POLICY = policy(media=True)


def uses_camera_and_microphone(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        setattr(response, _MEDIA_MARK, True)
        return response

    return wrapper


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = MEDIA_POLICY if getattr(response, _MEDIA_MARK, False) else DEFAULT_POLICY
        return response
