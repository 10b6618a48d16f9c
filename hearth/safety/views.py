from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.core.decorators import permission_required

from .selectors import signal_for_viewer
from .services import safety_signal_acknowledge


@permission_required("safety.view_signals")
@require_POST
def signal_acknowledge(request, signal_id: int):
    signal = signal_for_viewer(viewer=request.user, signal_id=signal_id)
    try:
        safety_signal_acknowledge(actor=request.user, signal=signal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as seen. Thank you for following up."))
    return redirect("person_detail", person_id=signal.person_id)
