"""The mentorship pages: parse input, call one service or selector, render."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.audit.services import audit_record, audit_record_many
from hearth.consent.models import Category
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.messaging.services import MessagingError
from hearth.programs.models import Role
from hearth.programs.selectors import person_for_care_team, program_ids_where, programs_for_viewer

from . import selectors, services
from .forms import (
    ContactForm,
    EndForm,
    MeetingForm,
    PreferencesForm,
    ProfileForm,
    RespondForm,
    ShareWithMentorForm,
    SupervisionNoteForm,
    TrainingForm,
    WorryForm,
    windows_to_slots,
)
from .models import MentorshipStatus, month_start


def _participant_program(user):
    program_ids = program_ids_where(user, Role.PARTICIPANT)
    return programs_for_viewer(viewer=user).filter(pk__in=program_ids).order_by("pk").first()


# --- Participant ----------------------------------------------------------------------------


@permission_required("mentorship.ask")
def mine(request):
    """A participant's mentorship page: their mentor, proposals to answer, or asking for one."""
    user = request.user
    form = PreferencesForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.request_create(
                actor=user, participant=user, program=_participant_program(user), **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            status = 400
        else:
            messages.success(request, _("Thank you. The care team will look for a mentor with you."))
            return redirect("mentorship:mine")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "mentorship/mine.html",
        {
            "form": form,
            "current": selectors.mentor_of(viewer=user),
            "proposals": list(selectors.proposals_for_viewer(viewer=user)),
            "open_request": selectors.open_request_of(viewer=user),
            "history": list(selectors.history_for_viewer(viewer=user)[:10]),
        },
        status=status,
    )


# --- Proposals (either side) ----------------------------------------------------------------


@require_POST
def respond(request, mentorship_id: int):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    mentorship = selectors.proposal_for_party(viewer=request.user, mentorship_id=mentorship_id)
    form = RespondForm(request.POST)
    back = "mentorship:mentees" if request.user.pk == mentorship.mentor_id else "mentorship:mine"
    if not form.is_valid():
        messages.error(request, _("Choose yes or no."))
        return redirect(back)
    try:
        mentorship = services.mentorship_respond(
            actor=request.user, mentorship=mentorship, accept=form.cleaned_data["answer"] == "accept"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if mentorship.status == MentorshipStatus.ACTIVE:
        messages.success(request, _("You are matched. Say hello when you are ready."))
        return redirect("mentorship:detail", mentorship.pk)
    if mentorship.status == MentorshipStatus.DECLINED:
        messages.success(request, _("Thank you for letting us know. Nobody is told why."))
    else:
        messages.success(request, _("Thank you. We will let you know when the other person says yes."))
    return redirect(back)


# --- Mentor ---------------------------------------------------------------------------------


@permission_required("mentorship.mentor")
def mentees(request):
    return render(
        request,
        "mentorship/mentees.html",
        {
            "mentees": list(selectors.mentees_for_mentor(viewer=request.user)),
            "proposals": list(selectors.proposals_for_viewer(viewer=request.user)),
            "profile": selectors.profile_for_mentor(viewer=request.user),
            "overdue_before": timezone.now() - datetime.timedelta(days=selectors.OVERDUE_DAYS),
        },
    )


@permission_required("mentorship.mentor")
def profile(request):
    user = request.user
    current = selectors.profile_for_mentor(viewer=user)
    initial = {"capacity": 3, "years_in_recovery": 0}
    if current is not None:
        initial = {
            field: getattr(current, field)
            for field in (
                "languages",
                "gender",
                "age_range",
                "years_in_recovery",
                "pathways",
                "lived_experience",
                "interests",
                "capacity",
            )
        }
        initial["availability"] = windows_to_slots(current.availability)
    form = ProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            program = (
                current.program
                if current
                else programs_for_viewer(viewer=user).filter(pk__in=program_ids_where(user, Role.MENTOR)).first()
            )
            try:
                services.profile_save(actor=user, program=program, time_zone=user.time_zone, **form.service_kwargs())
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("mentorship:mentees")
    return render(request, "mentorship/profile.html", {"form": form, "profile": current}, status=status)


# --- One mentorship -------------------------------------------------------------------------


# Where a mentor reads each category a mentee shares: the pages of the apps that own it, which ask
# consent_allows themselves on every request (a withdrawn consent ends access there, not here).
_SHARED_PAGES = {
    Category.CHECKINS: "checkins:person_checkins",
    Category.MEASURES: "checkins:person_measures",
    Category.TREATMENT_PLAN: "plans:plan",
}


def _shared_links(categories, mentorship) -> list[tuple[str, str]]:
    return [
        (Category(c).label, reverse(_SHARED_PAGES[c], args=[mentorship.mentee_id]))
        for c in categories
        if c in _SHARED_PAGES
    ]


def _detail(request, mentorship, *, contact_form=None, worry_form=None, end_form=None, meeting_form=None, status=200):
    user = request.user
    is_mentor = user.pk == mentorship.mentor_id
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    context = {
        "m": mentorship,
        "is_mentor": is_mentor,
        "is_mentee": user.pk == mentorship.mentee_id,
        "contacts": list(selectors.contacts_for_mentorship(viewer=user, mentorship=mentorship)[:50]),
        "meetings": list(selectors.shared_meetings(viewer=user, mentorship=mentorship)),
        "contact_form": contact_form
        or ContactForm(initial={"happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "minutes": 15}),
        "worry_form": worry_form or WorryForm(),
        "end_form": end_form or EndForm(),
        "meeting_form": meeting_form or MeetingForm(initial={"day": tomorrow, "starts": "18:00", "ends": "18:45"}),
        # What the mentee consents to show the mentor now (the mentor's links), and the mentee's side of it.
        "shared": _shared_links(selectors.shared_with_mentor(viewer=user, mentorship=mentorship), mentorship),
        "my_shares": list(selectors.mentor_consents_for_mentee(viewer=user, mentorship=mentorship)),
        "now": timezone.now(),
    }
    return render(request, "mentorship/detail.html", context, status=status)


def _mentorship(request, mentorship_id):
    if not request.user.is_authenticated:
        return None
    return selectors.mentorship_for_viewer(viewer=request.user, mentorship_id=mentorship_id)


def _login(request):
    return redirect(f"/accounts/login/?next={request.path}")


def detail(request, mentorship_id: int):
    mentorship = _mentorship(request, mentorship_id)
    if mentorship is None:
        return _login(request)
    audit_record(actor=request.user, action="mentorship.mentorship.viewed", subject=mentorship.mentee, obj=mentorship)
    return _detail(request, mentorship)


@require_POST
def contact_new(request, mentorship_id: int):
    mentorship = _mentorship(request, mentorship_id)
    if mentorship is None:
        return _login(request)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_log(actor=request.user, mentorship=mentorship, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Contact logged. Thank you for showing up for them."))
            return redirect("mentorship:detail", mentorship.pk)
    elif request.user.pk != mentorship.mentor_id:
        raise PermissionDenied
    return _detail(request, mentorship, contact_form=form, status=400)


@require_POST
def worry(request, mentorship_id: int):
    mentorship = _mentorship(request, mentorship_id)
    if mentorship is None:
        return _login(request)
    form = WorryForm(request.POST)
    if form.is_valid():
        try:
            services.worry_raise(actor=request.user, mentorship=mentorship, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The care team has been told. Thank you for speaking up."))
            return redirect("mentorship:detail", mentorship.pk)
    elif request.user.pk != mentorship.mentor_id:
        raise PermissionDenied
    return _detail(request, mentorship, worry_form=form, status=400)


@require_POST
def end(request, mentorship_id: int):
    mentorship = _mentorship(request, mentorship_id)
    if mentorship is None:
        return _login(request)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.mentorship_end(actor=request.user, mentorship=mentorship, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The mentorship has ended. Thank you both for the time you shared."))
            return redirect("dashboard")
    return _detail(request, mentorship, end_form=form, status=400)


@require_POST
def meeting_new(request, mentorship_id: int):
    """The mentor plans a meeting with their mentee; it lands on both calendars."""
    mentorship = _mentorship(request, mentorship_id)
    if mentorship is None:
        return _login(request)
    if request.user.pk != mentorship.mentor_id:
        raise PermissionDenied
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_schedule(actor=request.user, mentorship=mentorship, **form.service_kwargs())
        except ValidationError as error:
            apply_validation_error(form, error, field_map={"starts_at": "starts", "ends_at": "ends"})
        else:
            messages.success(request, _("The meeting is on both your calendars."))
            return redirect("mentorship:detail", mentorship.pk)
    return _detail(request, mentorship, meeting_form=form, status=400)


def share(request, mentorship_id: int):
    """The mentee consents to show their mentor check-ins, questionnaires or their plan."""
    mentorship = _mentorship(request, mentorship_id)
    if mentorship is None:
        return _login(request)
    if request.user.pk != mentorship.mentee_id:
        raise PermissionDenied
    default_end = timezone.localdate() + datetime.timedelta(days=90)
    form = ShareWithMentorForm(request.POST or None, initial={"expires_on": default_end})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.mentor_share_grant(actor=request.user, mentorship=mentorship, **form.service_kwargs())
            except ValidationError as error:
                apply_validation_error(form, error, field_map={"expires_at": "expires_on"})
            else:
                messages.success(
                    request,
                    _("Shared with %(name)s. You can stop sharing at any time on your sharing page.")
                    % {"name": mentorship.mentor.display_name},
                )
                return redirect("mentorship:detail", mentorship.pk)
    return render(request, "mentorship/share.html", {"form": form, "m": mentorship}, status=status)


@require_POST
def message(request, mentorship_id: int):
    mentorship = _mentorship(request, mentorship_id)
    if mentorship is None:
        return _login(request)
    try:
        conversation = services.conversation_open(actor=request.user, mentorship=mentorship)
    except (ValidationError, MessagingError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("mentorship:detail", mentorship.pk)
    return redirect("conversation_detail", conversation.pk)


# --- Staff ----------------------------------------------------------------------------------


@permission_required("mentorship.manage")
def requests(request):
    waiting = list(selectors.waiting_requests_for_staff(viewer=request.user)[:50])
    rows = selectors.suggestions_for_requests(requests=waiting)
    programs = programs_for_viewer(viewer=request.user).filter(
        pk__in=program_ids_where(request.user, Role.CLINICIAN, Role.ADMIN)
    )
    return render(request, "mentorship/requests.html", {"rows": rows, "programs": list(programs)})


@require_POST
@permission_required("mentorship.manage")
def propose(request, request_id: int):
    mentor_request = selectors.request_for_staff(viewer=request.user, request_id=request_id)
    try:
        profile = selectors.profile_for_staff(viewer=request.user, profile_id=int(request.POST.get("profile", "")))
    except ValueError:
        raise Http404 from None
    try:
        services.mentorship_propose(actor=request.user, request=mentor_request, profile=profile)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Proposed. Both people are asked to say yes."))
    return redirect("mentorship:requests")


@require_POST
@permission_required("mentorship.manage")
def batch(request):
    staff_programs = program_ids_where(request.user, Role.CLINICIAN, Role.ADMIN)
    try:
        program_id = int(request.POST.get("program", ""))
    except ValueError:
        raise Http404 from None
    program = programs_for_viewer(viewer=request.user).filter(pk=program_id, pk__in=staff_programs).first()
    if program is None:
        raise Http404
    proposed = services.batch_propose(actor=request.user, program=program)
    messages.success(request, _("%(count)s matches proposed.") % {"count": len(proposed)})
    return redirect("mentorship:requests")


@permission_required("mentorship.manage")
def request_for(request, person_id: int):
    person = person_for_care_team(viewer=request.user, person_id=person_id)
    form = PreferencesForm(request.POST or None, initial={"languages": [person.language] if person.language else []})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            program = _participant_program(person)
            try:
                services.request_create(
                    actor=request.user, participant=person, program=program, **form.service_kwargs()
                )
            except (ValidationError, PermissionDenied) as error:
                if isinstance(error, PermissionDenied):
                    raise Http404 from None
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The request is waiting for a match."))
                return redirect("mentorship:requests")
    return render(request, "mentorship/request_for.html", {"form": form, "person": person}, status=status)


def _supervision(request, *, bound_note=None, status=200):
    """``bound_note``: (profile id, form) of a note that could not be saved, shown with its errors."""
    rows = selectors.supervision_for_viewer(viewer=request.user)
    month = month_start(timezone.localdate()).strftime("%Y-%m")
    for row in rows:
        note = row.note
        row.note_form = SupervisionNoteForm(
            initial={"month": month, "body": note.body if note else "", "version": note.version if note else 0},
            auto_id=f"note{row.profile.pk}_%s",  # one form per mentor on the page: ids stay unique
        )
        if bound_note and bound_note[0] == row.profile.pk:
            row.note_form = bound_note[1]
    shown = [r.profile.user_id for r in rows for n in (r.note, r.previous_note) if n is not None]
    if shown:
        audit_record_many(actor=request.user, action="mentorship.supervision_note.viewed", subjects=shown)
    return render(
        request, "mentorship/supervision.html", {"rows": rows, "training_form": TrainingForm()}, status=status
    )


@permission_required("mentorship.manage")
def supervision(request):
    return _supervision(request)


@require_POST
@permission_required("mentorship.manage")
def supervision_note(request, profile_id: int):
    """The supervisor writes (or edits) a mentor's note for a month; an edit on an old copy is refused."""
    profile = selectors.profile_for_supervisor(viewer=request.user, profile_id=profile_id)
    form = SupervisionNoteForm(request.POST, auto_id=f"note{profile.pk}_%s")
    if form.is_valid():
        try:
            services.supervision_note_save(actor=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Supervision note saved."))
            return redirect("mentorship:supervision")
    return _supervision(request, bound_note=(profile.pk, form), status=400)


@require_POST
@permission_required("mentorship.manage")
def approve(request, profile_id: int):
    profile = selectors.profile_for_staff(viewer=request.user, profile_id=profile_id)
    services.profile_approve(actor=request.user, profile=profile)
    messages.success(request, _("%(name)s is approved to mentor.") % {"name": profile.user.display_name})
    return redirect("mentorship:supervision")


@require_POST
@permission_required("mentorship.manage")
def training_new(request, profile_id: int):
    profile = selectors.profile_for_staff(viewer=request.user, profile_id=profile_id)
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            services.training_record(actor=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Training recorded."))
    else:
        messages.error(request, _("Give the training's name, when it was completed and when it expires."))
    return redirect("mentorship:supervision")
