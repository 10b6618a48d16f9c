from django.db.models import QuerySet
from django.http import Http404

from hearth.programs.selectors import participants_for_viewer

from .models import SafetySignal


def open_signals_for_viewer(*, viewer) -> QuerySet[SafetySignal]:
    """Unacknowledged signals about people in the viewer's care, most urgent and newest first."""
    return (
        SafetySignal.objects.filter(person__in=participants_for_viewer(viewer=viewer), acknowledged_at__isnull=True)
        .select_related("person")
        .order_by("severity", "-raised_at")
    )


def signals_about_person(*, viewer, person) -> QuerySet[SafetySignal]:
    if not participants_for_viewer(viewer=viewer).filter(pk=person.pk).exists():
        raise Http404
    return SafetySignal.objects.filter(person=person).order_by("-raised_at")


def signal_for_viewer(*, viewer, signal_id: int) -> SafetySignal:
    try:
        return SafetySignal.objects.select_related("person").get(
            pk=signal_id, person__in=participants_for_viewer(viewer=viewer)
        )
    except (SafetySignal.DoesNotExist, ValueError):
        raise Http404 from None
