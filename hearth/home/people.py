"""The people pages staff use: the caseload list and one person's page, composed from the apps' selectors."""

from django.shortcuts import render

from hearth.accounts.selectors import sessions_for_user
from hearth.audit.services import audit_record
from hearth.consent.selectors import consents_for_subject_for_staff
from hearth.core.decorators import permission_required
from hearth.programs.permissions import is_care_team_of, is_program_admin
from hearth.programs.selectors import (
    memberships_of_person,
    participants_for_viewer,
    people_for_program_admin,
    person_for_staff,
)
from hearth.safety.selectors import plan_needs_clinician, signals_about_person


@permission_required("programs.view_caseload")
def people_list(request):
    user = request.user
    people = participants_for_viewer(viewer=user)
    if is_program_admin(user):
        people = (people | people_for_program_admin(viewer=user)).distinct()
    people = people.select_related("clinical_identity")[:500]
    return render(request, "home/people_list.html", {"people": people})


@permission_required("programs.view_caseload")
def person_detail(request, person_id: int):
    viewer = request.user
    person = person_for_staff(viewer=viewer, person_id=person_id)
    on_care_team = is_care_team_of(viewer, person)
    context = {
        "person": person,
        "memberships": memberships_of_person(viewer=viewer, person=person),
        "on_care_team": on_care_team,
        "identity": getattr(person, "clinical_identity", None) if on_care_team else None,
        "plan_prompt": plan_needs_clinician(viewer=viewer, person=person) if on_care_team else "",
        "signals": list(signals_about_person(viewer=viewer, person=person)[:20]) if on_care_team else [],
        "consents": list(consents_for_subject_for_staff(viewer=viewer, person=person)) if on_care_team else [],
        "sessions": list(sessions_for_user(viewer=viewer, person=person)) if is_program_admin(viewer) else [],
    }
    audit_record(actor=viewer, action="programs.person.viewed", subject=person, obj=person)
    return render(request, "home/person_detail.html", context)
