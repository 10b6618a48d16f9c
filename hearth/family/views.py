from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hearth.audit.services import audit_record, audit_record_many
from hearth.consent.selectors import discloses_outside_care_team
from hearth.programs.permissions import is_family, is_participant

from . import selectors
from .course import module_by_slug, modules
from .forms import ActivityActionForm, ContractActionForm, ProgressSummaryForm
from .services import (
    activity_agree,
    activity_edit,
    activity_mark,
    activity_propose,
    caring_note_write,
    contract_agree,
    contract_day_acknowledge,
    contract_day_state,
    contract_stop,
    course_module_complete,
    progress_summary_save,
    session_topic_save,
)

SECTION_BUILDERS = {
    "schedule": selectors.schedule_section,
    "attendance": selectors.attendance_section,
    "progress": selectors.progress_section,
    "checkins": selectors.checkins_section,
    "measures": selectors.measures_section,
}


@login_required
def portal(request):
    """Everyone who shares something with me, with a link to each section it opens, and this week's
    attendance against target for those who share their attendance."""
    viewer = request.user
    shared = selectors.shared_with_viewer(viewer=viewer)
    for entry in shared:
        if any(slug == "attendance" for slug, _label in entry.sections):
            entry.attendance = selectors.attendance_section(viewer=viewer, person=entry.person)
    shown = [entry.person for entry in shared if getattr(entry, "attendance", None)]
    if shown:
        audit_record_many(
            actor=viewer, action="family.portal.viewed", subjects=shown, data={"sections": ["attendance"]}
        )
    return render(
        request,
        "family/portal.html",
        {
            "shared": shared,
            "couples": selectors.couples_for_viewer(viewer=request.user),
            "is_family": is_family(request.user),
        },
    )


@login_required
def person(request, person_id: int):
    """One page per participant with exactly what the consents in force cover, read now."""
    viewer = request.user
    subject, sections = selectors.portal_person_for_viewer(viewer=viewer, person_id=person_id)
    labels = {slug: label for slug, _c, label in selectors.SECTIONS}
    shown = [
        {"slug": slug, "label": labels[slug], **SECTION_BUILDERS[slug](viewer=viewer, person=subject)}
        for slug in sections
    ]
    if viewer.pk != subject.pk:
        audit_record(
            actor=viewer, action="family.portal.viewed", subject=subject, obj=subject, data={"sections": sections}
        )
    return render(
        request,
        "family/person.html",
        {
            "person": subject,
            "sections": shown,
            "part2_notice": discloses_outside_care_team(viewer=viewer, subject=subject),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_summary(request):
    if not is_participant(request.user):
        raise PermissionDenied
    current = selectors.own_progress_summary(viewer=request.user)
    form = ProgressSummaryForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            progress_summary_save(actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc.messages[0])
        else:
            messages.success(request, _("Saved. The people you share your progress with will see these words."))
            return redirect("family:my_summary")
    status = 400 if request.method == "POST" else 200
    return render(request, "family/my_summary.html", {"form": form, "current": current}, status=status)


def _family_only(user):
    if not is_family(user):
        raise PermissionDenied


@login_required
def course(request):
    _family_only(request.user)
    done = selectors.course_done_for(viewer=request.user)
    items = [{"module": m, "text": m.text(), "done": m.slug in done} for m in modules()]
    return render(request, "family/course.html", {"items": items, "done_count": len(done), "total": len(items)})


@login_required
@require_http_methods(["GET", "POST"])
def course_module(request, slug: str):
    _family_only(request.user)
    module = module_by_slug(slug)
    if module is None:
        raise Http404
    if request.method == "POST":
        course_module_complete(actor=request.user, slug=slug)
        messages.success(request, _("Well done. Your progress is saved."))
        following = next((m for m in modules() if m.number == module.number + 1), None)
        return redirect("family:course_module", slug=following.slug) if following else redirect("family:course")
    return render(
        request,
        "family/course_module.html",
        {
            "module": module,
            "text": module.text(),
            "done": slug in selectors.course_done_for(viewer=request.user),
            "total": len(modules()),
        },
    )


@login_required
def contract_home(request):
    couples = selectors.couples_for_viewer(viewer=request.user)
    if len(couples) == 1:
        return redirect("family:contract", participant_id=couples[0].participant.pk)
    return render(request, "family/contract_home.html", {"couples": couples})


def _apply(request, couple, form) -> str | None:
    """Run the one service the posted action names; the error to show, or None."""
    data = form.cleaned_data
    action = data["action"]
    try:
        if action == "agree":
            term = contract_agree(actor=request.user, couple=couple)
            if term.in_force:
                messages.success(request, _("You have both agreed. The daily contract starts today."))
            else:
                messages.success(request, _("Thank you. The contract starts when your partner agrees too."))
        elif action == "stop":
            contract_stop(actor=request.user, couple=couple)
            messages.success(request, _("The contract is stopped. Its days are kept, and you can agree again later."))
        elif action == "state":
            if data["day"] is None:
                return _("Choose the day.")
            contract_day_state(actor=request.user, couple=couple, day=data["day"])
            messages.success(request, _("Thank you. Your intention for today is recorded."))
        elif action == "acknowledge":
            if data["day"] is None:
                return _("Choose the day.")
            contract_day_acknowledge(
                actor=request.user, couple=couple, day=data["day"], medication_observed=data["medication_observed"]
            )
            messages.success(request, _("Thank you for being there today."))
        elif action == "note":
            caring_note_write(actor=request.user, couple=couple, text=data["text"])
            messages.success(request, _("Your note is saved. Your partner can read it."))
        else:
            session_topic_save(actor=request.user, couple=couple, text=data["text"])
            messages.success(request, _("Saved for your next session. Your clinician will see it."))
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def _audit_couple_view(viewer, couple, action: str) -> None:
    """The partner's and the clinician's look at the participant's contract is a read of their record."""
    if viewer.pk != couple.participant.pk:
        audit_record(
            actor=viewer, action=action, subject=couple.participant, obj=couple.participant, program=couple.program
        )


@login_required
@require_http_methods(["GET", "POST"])
def contract(request, participant_id: int):
    viewer = request.user
    couple, may_write = selectors.couple_for_viewer(viewer=viewer, participant_id=participant_id)
    error = None
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        form = ContractActionForm(request.POST)
        if not form.is_valid():
            error = _("Something in the form was not right. Please try again.")
        else:
            error = _apply(request, couple, form)
            if error is None:
                return redirect("family:contract", participant_id=couple.participant.pk)
    _audit_couple_view(viewer, couple, "family.contract.viewed")
    term = selectors.contract_agreement_open(couple=couple)
    weeks = selectors.activity_weeks(couple=couple, past_weeks=0)
    context = {
        "term": term,
        "i_agreed": term is not None
        and bool(term.participant_agreed_at if viewer.pk == couple.participant.pk else term.partner_agreed_at),
        "history": selectors.contract_agreement_history(couple=couple),
        "this_week": next(w for w in weeks if w["is_current"]),
        "couple": couple,
        "is_participant": viewer.pk == couple.participant.pk,
        "is_partner": viewer.pk == couple.partner.pk,
        "may_write": may_write,
        "calendar": selectors.contract_calendar(couple=couple),
        "notes": selectors.caring_notes_for(couple=couple),
        "topics": selectors.session_topics_for(viewer=viewer, couple=couple),
        "error": error,
        "part2_notice": discloses_outside_care_team(viewer=viewer, subject=couple.participant),
    }
    return render(request, "family/contract.html", context, status=400 if error else 200)


def _apply_activity(request, couple, form) -> str | None:
    data = form.cleaned_data
    action, actor = data["action"], request.user
    ref = {"activity_id": data["activity"], "version": data["version"]}
    try:
        if action == "propose":
            if data["week"] is None:
                return _("Choose the week.")
            activity_propose(actor=actor, couple=couple, week_start=data["week"], title=data["title"])
            messages.success(request, _("Proposed. Your partner can agree to it now."))
        elif action == "edit":
            activity_edit(actor=actor, couple=couple, title=data["title"], **ref)
            messages.success(request, _("Changed. Your partner will see the new words."))
        elif action == "agree":
            activity_agree(actor=actor, couple=couple, **ref)
            messages.success(request, _("Agreed. Enjoy it together."))
        else:
            activity_mark(actor=actor, couple=couple, done=action == "done", **ref)
            messages.success(request, _("Saved."))
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def activities(request, participant_id: int):
    """The couple's weekly shared rewarding activities: proposed by one, agreed by the other, then
    marked done or not; the care team of the contract's program reads them before the session."""
    viewer = request.user
    couple, may_write = selectors.couple_for_viewer(viewer=viewer, participant_id=participant_id)
    error = None
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        form = ActivityActionForm(request.POST)
        error = (
            _apply_activity(request, couple, form)
            if form.is_valid()
            else _("Something in the form was not right. Please try again.")
        )
        if error is None:
            return redirect("family:activities", participant_id=couple.participant.pk)
    _audit_couple_view(viewer, couple, "family.activities.viewed")
    context = {
        "couple": couple,
        "may_write": may_write,
        "weeks": selectors.activity_weeks(couple=couple),
        "error": error,
        "part2_notice": discloses_outside_care_team(viewer=viewer, subject=couple.participant),
    }
    return render(request, "family/activities.html", context, status=400 if error else 200)
