from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.accounts.selectors import clinical_identity_for_viewer
from hearth.audit.services import audit_record
from hearth.checkins.measures import SCREENERS
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.programs.models import Program
from hearth.programs.selectors import person_for_care_team

from . import services
from .documents import DOCUMENTS
from .forms import AboutForm, ReviewForm, ScreeningForm, SignForm
from .models import Availability, PacketStatus
from .selectors import (
    packet_for_care_team,
    packet_for_owner,
    packets_for_care_team,
    packets_for_owner,
    participant_programs_of,
)


def _steps(packet) -> list[dict]:
    done_measures = {r.measure for r in packet.results.all()}
    signed = {(s.document, s.document_version) for s in packet.signatures.all()}
    steps = [
        {
            "label": _("About you"),
            "url": reverse("intake:about", args=[packet.pk]),
            "done": packet.about_done_at is not None,
        }
    ]
    steps += [
        {"label": m.name, "url": reverse("intake:screening", args=[packet.pk, code]), "done": code in done_measures}
        for code, m in SCREENERS.items()
    ]
    steps += [
        {"label": d.title, "url": reverse("intake:sign", args=[packet.pk, code]), "done": (d.code, d.version) in signed}
        for code, d in DOCUMENTS.items()
    ]
    return steps


@login_required
def home(request):
    user = request.user
    programs = participant_programs_of(viewer=user)
    if request.method == "POST":
        program_id = request.POST.get("program", "")
        program = programs.filter(pk=int(program_id)).first() if program_id.isdigit() else None
        if program is None:
            raise Http404
        packet = services.intake_packet_start(actor=user, program=program)
        return redirect("intake:packet", packet_id=packet.pk)
    packets = {p.program_id: p for p in packets_for_owner(viewer=user)}
    rows = [{"program": program, "packet": packets.get(program.pk)} for program in programs]
    return render(request, "intake/home.html", {"rows": rows})


@login_required
def packet(request, packet_id: int):
    packet = packet_for_owner(viewer=request.user, packet_id=packet_id)
    steps = _steps(packet)
    return render(
        request,
        "intake/packet.html",
        {
            "packet": packet,
            "steps": steps,
            "all_done": all(s["done"] for s in steps),
            "open": packet.status == PacketStatus.OPEN,
        },
    )


def _closed(request, packet):
    if packet.status != PacketStatus.OPEN:
        messages.info(request, _("This intake was already sent to your care team, so it can no longer be changed."))
        return redirect("intake:packet", packet_id=packet.pk)
    return None


@login_required
def about(request, packet_id: int):
    user = request.user
    packet = packet_for_owner(viewer=user, packet_id=packet_id)
    if closed := _closed(request, packet):
        return closed
    identity = clinical_identity_for_viewer(viewer=user, person=user)
    initial = {
        "language": user.language,
        "time_zone": user.time_zone,
        "sex_at_birth": packet.sex_at_birth,
        "gender_identity": packet.gender_identity,
        "availability": packet.availability,
        "availability_note": packet.availability_note,
    }
    if identity is not None:
        initial.update(
            date_of_birth=identity.date_of_birth,
            phone=identity.phone,
            emergency_contact_name=identity.emergency_contact_name,
            emergency_contact_phone=identity.emergency_contact_phone,
            accessibility_needs=identity.accessibility_needs,
        )
    form = AboutForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_about_save(actor=user, packet=packet, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved. Next: the questionnaires."))
            return redirect("intake:packet", packet_id=packet.pk)
    return render(request, "intake/about.html", {"packet": packet, "form": form}, status=400 if form.errors else 200)


@login_required
def screening(request, packet_id: int, code: str):
    packet = packet_for_owner(viewer=request.user, packet_id=packet_id)
    measure = SCREENERS.get(code)
    if measure is None:
        raise Http404
    if closed := _closed(request, packet):
        return closed
    form = ScreeningForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_screening_submit(
                actor=request.user, packet=packet, measure_code=code, answers=form.answers()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Thank you. Your answers are saved."))
            return redirect("intake:packet", packet_id=packet.pk)
    return render(
        request,
        "intake/screening.html",
        {"packet": packet, "form": form, "measure": measure},
        status=400 if form.errors else 200,
    )


@login_required
def sign(request, packet_id: int, code: str):
    packet = packet_for_owner(viewer=request.user, packet_id=packet_id)
    document = DOCUMENTS.get(code)
    if document is None:
        raise Http404
    signature = packet.signatures.filter(document=code, document_version=document.version).first()
    form = SignForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.intake_consent_sign(
                    actor=request.user, packet=packet, document_code=code, signed_name=form.cleaned_data["signed_name"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Signed. Thank you."))
                return redirect("intake:packet", packet_id=packet.pk)
    return render(
        request,
        "intake/sign.html",
        {"packet": packet, "form": form, "document": document, "signature": signature},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def send(request, packet_id: int):
    packet = packet_for_owner(viewer=request.user, packet_id=packet_id)
    try:
        services.intake_submit(actor=request.user, packet=packet)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("intake:packet", packet_id=packet.pk)
    messages.success(request, _("Your intake is with your care team. They will be in touch soon."))
    return redirect("intake:packet", packet_id=packet.pk)


@require_POST
@permission_required("programs.view_caseload")
def send_to(request, person_id: int):
    """Staff send intake forms to a participant of their program: the packet waits on the
    person's intake page, and the person is told."""
    person = person_for_care_team(viewer=request.user, person_id=person_id)
    program_id = request.POST.get("program", "")
    program = Program.objects.filter(pk=int(program_id)).first() if program_id.isdigit() else None
    try:
        if program is None:
            raise PermissionDenied
        packet = services.intake_packet_send(actor=request.user, person=person, program=program)
    except PermissionDenied:
        messages.error(request, _("Choose one of this person's programs that you work in."))
        return redirect("person_detail", person_id=person.pk)
    if packet.status == PacketStatus.OPEN:
        messages.success(
            request, _("Intake forms sent to %(name)s. They will see them on their intake page.") % {"name": person}
        )
    else:
        messages.info(request, _("%(name)s has already sent their intake forms.") % {"name": person})
    return redirect("person_detail", person_id=person.pk)


@permission_required("programs.view_caseload")
def review_list(request):
    packets = packets_for_care_team(viewer=request.user)[:200]
    return render(request, "intake/review_list.html", {"packets": packets})


@permission_required("programs.view_caseload")
def review(request, packet_id: int):
    viewer = request.user
    packet = packet_for_care_team(viewer=viewer, packet_id=packet_id)
    form = ReviewForm(request.POST or None, initial={"note": packet.review_note})
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_review(actor=viewer, packet=packet, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Intake marked as reviewed."))
            return redirect("intake:review", packet_id=packet.pk)
    if request.method == "GET":
        audit_record(actor=viewer, action="intake.packet.viewed", subject=packet.person, obj=packet)
    results = sorted(packet.results.all(), key=lambda r: list(SCREENERS).index(r.measure))
    return render(
        request,
        "intake/review.html",
        {
            "packet": packet,
            "person": packet.person,
            "identity": clinical_identity_for_viewer(viewer=viewer, person=packet.person),
            "results": results,
            "signatures": list(packet.signatures.select_related("signer")),
            "availability": [str(Availability(a).label) for a in packet.availability if a in Availability.values],
            "form": form,
        },
        status=400 if form.errors else 200,
    )
