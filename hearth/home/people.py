"""The people pages staff use: the caseload list and one person's page, composed from the apps' selectors."""

from django.shortcuts import render

from hearth.accounts.selectors import sessions_for_user
from hearth.audit.services import audit_record, audit_record_many
from hearth.consent.selectors import consents_for_subject_for_staff
from hearth.core.decorators import permission_required
from hearth.intake.selectors import packets_for_care_team
from hearth.outreach.selectors import tasks_about_person
from hearth.programs.models import Role
from hearth.programs.permissions import is_care_team_of, is_program_admin
from hearth.programs.selectors import (
    care_program_ids,
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
    people = list(people.select_related("clinical_identity")[:500])
    # A legal name is clinical identity: only the care team reads it. Staff and family of the
    # admin's program are listed by display name and email (a legal name would tell a program
    # admin about the person's treatment in another program).
    cared_for = set(
        participants_for_viewer(viewer=user).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True)
    )
    rows = [
        (p, p.clinical_identity.legal_name if p.pk in cared_for and hasattr(p, "clinical_identity") else "")
        for p in people
    ]
    # Each person listed sees this look under "Who viewed my record"; one INSERT for the page.
    audit_record_many(actor=user, action="programs.people_list.viewed", subjects=people)
    return render(request, "home/people_list.html", {"rows": rows})


def _administers(viewer, person) -> bool:
    """Sign-ins are shown to admins of a program the person holds a role in now, no one else."""
    return people_for_program_admin(viewer=viewer).filter(pk=person.pk).exists()


def _care_links(viewer, person, memberships) -> dict:
    """What the care team reaches from the person's page: their intake (or a way to send one),
    their outreach history, and the program a private conversation with them belongs to."""
    cared = sorted(care_program_ids(viewer, person))
    participating = [m for m in memberships if m.role == Role.PARTICIPANT and m.ended_at is None]
    packets = list(packets_for_care_team(viewer=viewer).filter(person=person))
    with_packet = {p.program_id for p in packets}
    return {
        "packets": packets,
        "send_intake_to": [
            m.program for m in participating if m.program_id in cared and m.program_id not in with_packet
        ],
        "outreach_tasks": tasks_about_person(viewer=viewer, person=person),
        "message_program_id": cared[0] if cared else None,
    }


@permission_required("programs.view_caseload")
def person_detail(request, person_id: int):
    viewer = request.user
    person = person_for_staff(viewer=viewer, person_id=person_id)
    on_care_team = is_care_team_of(viewer, person)
    memberships = memberships_of_person(viewer=viewer, person=person)
    context = {
        "person": person,
        "memberships": memberships,
        "on_care_team": on_care_team,
        "identity": getattr(person, "clinical_identity", None) if on_care_team else None,
        "plan_prompt": plan_needs_clinician(viewer=viewer, person=person) if on_care_team else "",
        "signals": list(signals_about_person(viewer=viewer, person=person)[:20]) if on_care_team else [],
        "consents": list(consents_for_subject_for_staff(viewer=viewer, person=person)) if on_care_team else [],
        "sessions": list(sessions_for_user(viewer=viewer, person=person)) if _administers(viewer, person) else [],
    }
    if on_care_team:
        context.update(_care_links(viewer, person, memberships))
    audit_record(actor=viewer, action="programs.person.viewed", subject=person, obj=person)
    return render(request, "home/person_detail.html", context)
