"""What the fuzz tests aim at: every URL pattern (from the resolver, as the authorization matrix
enumerates them), the POST forms a signed-in person is shown, and the frame types of the chat socket."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404


@dataclass(frozen=True)
class Route:
    name: str
    template: str  # "/checkins/<int:response_id>/" with every prefix
    kwargs: tuple[str, ...]


def routes(patterns=None, prefix="", namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            converters = tuple(getattr(pattern.pattern, "converters", {}))
            yield Route(namespace + pattern.name, "/" + prefix + str(pattern.pattern), converters)


@dataclass
class Form:
    """A POST form as rendered: where it posts and the fields it offers (name -> sample values)."""

    page: str
    action: str
    url_name: str
    fields: dict[str, list[str]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.url_name} [{','.join(sorted(self.fields)) or '-'}]"


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict]] = []
        self._current: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = {} if (a.get("method") or "get").lower() == "post" else None
            if self._current is not None:
                self.forms.append((a.get("action") or "", self._current))
        elif self._current is not None and tag in ("input", "textarea", "select", "button") and a.get("name"):
            values = self._current.setdefault(a["name"], [])
            if a.get("value") is not None:
                values.append(a["value"])
            if tag == "select":
                self._select = a["name"]
        elif tag == "option" and self._current is not None and self._select and a.get("value") is not None:
            self._current[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def post_forms(page_url: str, html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    found = []
    for action, fields in parser.forms:
        target = urlsplit(action).path or urlsplit(page_url).path
        if not target.startswith("/"):
            continue
        try:
            match = resolve(target)
        except Resolver404:
            continue
        fields.pop("csrfmiddlewaretoken", None)
        found.append(Form(page=page_url, action=target, url_name=match.view_name, fields=fields))
    return found
