"""After care: a person whose care completed or was discharged and who holds no role now reaches
only the community (with an alumni grant), their notices and their account. Role checks already
close most clinical pages, but several open to "the person themself" or to a cohort's roster, which
a finished enrolment does not end; one gate here closes them all and stays closed for pages added
later."""

from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve

from hearth.community.selectors import is_alumnus
from hearth.programs.selectors import has_finished_care, roles_of

# Views a person after care may still open: the community's, notices, their account, sign-in, and
# their rights over their record: a copy of it, who viewed it, and the sharing they can still stop.
OPEN_MODULES = ("hearth.community.", "hearth.notifications.", "hearth.accounts.", "allauth.", "django.")
OPEN_NAMES = frozenset(
    {
        *("home", "dashboard", "crisis", "healthz", "readyz", "csp_report", "set_language"),
        *("manifest", "service_worker"),
        *("my_record", "my_disclosures", "consent_list", "consent_revoke"),
    }
)


def _is_open(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return True  # the ordinary 404
    if match.url_name in OPEN_NAMES:
        return True
    func = match.func
    module = getattr(func, "__module__", "") or ""
    wrapped = getattr(func, "__wrapped__", None)
    modules = {module, getattr(wrapped, "__module__", "") or ""}
    return any(m.startswith(OPEN_MODULES) for m in modules)


class AfterCareMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not roles_of(user) and (is_alumnus(user) or has_finished_care(user)):
            if not _is_open(request.path_info):
                raise PermissionDenied
        return self.get_response(request)
