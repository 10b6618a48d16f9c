"""Which pages the service worker may keep on the device for reading offline.

The worker caches a page only when its response carries this header; the view decides, because
only the view knows whether the viewer is the person the page is about.
"""

OFFLINE_HEADER = "Hearth-Offline"


def keep_offline(response):
    """Mark a page as the viewer's own and safe to keep on their device (crisis page, own safety plan)."""
    response[OFFLINE_HEADER] = "keep"
    return response
