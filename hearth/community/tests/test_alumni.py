"""Alumni (#15 item 6): after care ends, staff may keep a person's community access (alumni groups,
social events they are invited to, their own posts), never their clinical pages; staff end it, the
person may leave. A discharged person without the grant is kept out of the community."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.community.models import AlumniAccess, Audience, Group, GroupMember, MemberStatus
from hearth.community.selectors import alumni_program_ids
from hearth.community.services import alumni_access_end, alumni_access_grant, post_reply, thread_start
from hearth.community.tests.conftest import community_for
from hearth.notifications.models import Notification
from hearth.programs.models import EnrolmentState, Membership, Role
from hearth.programs.services import enrolment_open, enrolment_transition
from hearth.tests.test_authorization_matrix import RULES

pytestmark = pytest.mark.django_db


def _finish(world, person, state=EnrolmentState.DISCHARGED):
    membership = Membership.objects.get(user=person, program=world.program, role=Role.PARTICIPANT)
    enrolment = enrolment_open(actor=world.clinician, membership=membership)
    for step in (EnrolmentState.INTAKE, EnrolmentState.ACTIVE, state):
        enrolment = enrolment_transition(actor=world.clinician, enrolment=enrolment, to_state=step, reason="moved")
    person.__dict__.pop("_hearth_roles", None)


def _alumni_group(world):
    return Group.objects.create(program=world.program, name="Alumni", audience=Audience.ALUMNI)


def test_discharge_takes_the_person_out_of_the_groups_and_the_community(world, client_for):
    community = community_for(world)
    _finish(world, world.participant)
    member = GroupMember.objects.get(group=community.group, user=world.participant)
    assert member.status == MemberStatus.LEFT
    assert AuditEntry.objects.filter(action="community.member.left_with_role", subject=world.participant).exists()
    client = client_for(world.participant)
    assert client.get(reverse("community:group_list")).status_code == 403
    assert client.get(reverse("community:thread_detail", args=[community.thread.pk])).status_code == 403
    assert client.get(reverse("community:my_posts")).status_code == 403
    # The menu offers no community (and no clinical pages either).
    page = client.get(reverse("notification_list")).content.decode()
    assert reverse("community:group_list") not in page and reverse("checkins:checkin") not in page


def test_staff_grant_after_care_and_the_alumnus_gets_alumni_groups_only(
    world, client_for, django_capture_on_commit_callbacks
):
    community = community_for(world)
    alumni = _alumni_group(world)
    with pytest.raises(ValidationError):  # still in care
        alumni_access_grant(actor=world.clinician, person=world.participant, program=world.program)
    _finish(world, world.participant, EnrolmentState.COMPLETED)
    with pytest.raises(PermissionDenied):
        alumni_access_grant(actor=world.other_clinician, person=world.participant, program=world.program)
    with pytest.raises(PermissionDenied):
        alumni_access_grant(actor=world.other_participant, person=world.participant, program=world.program)
    with django_capture_on_commit_callbacks(execute=True):
        access = alumni_access_grant(actor=world.clinician, person=world.participant, program=world.program)
    with pytest.raises(ValidationError):
        alumni_access_grant(actor=world.clinician, person=world.participant, program=world.program)
    assert AuditEntry.objects.filter(action="community.alumni.granted", subject=world.participant).count() == 1
    notice = Notification.objects.get(recipient=world.participant, kind="community.alumni")
    assert "alumni groups" in notice.text and "closed" in notice.text
    # Joined the open alumni group at once; posts there; the participants' group is closed to them.
    assert GroupMember.objects.get(group=alumni, user=world.participant).status == MemberStatus.ACTIVE
    client = client_for(world.participant)
    listing = client.get(reverse("community:group_list"))
    assert listing.status_code == 200
    assert [g.pk for g in listing.context["groups"]] == [alumni.pk]
    assert client.get(reverse("community:group_detail", args=[community.group.pk])).status_code == 404
    assert client.get(reverse("community:thread_detail", args=[community.thread.pk])).status_code == 404
    response = client.post(
        reverse("community:thread_new", args=[alumni.pk]), {"title": "Six months", "body": "Still here, thank you."}
    )
    assert response.status_code == 302
    # Active participants do not see the alumni group; staff do and may reply.
    other = client_for(world.other_participant).get(reverse("community:group_list"))
    assert alumni.pk not in [g.pk for g in other.context["groups"]]
    thread = alumni.threads.get()
    post_reply(actor=world.clinician, thread=thread, body="So good to hear.")
    # Their own history, including the post from their time in care (no link to the closed thread).
    with_history = client_for(world.participant).get(reverse("community:my_posts"))
    assert with_history.status_code == 200
    assert {p.thread.title for p in with_history.context["posts"]} == {"Six months"}
    assert access.ended_at is None


def test_alumnus_keeps_own_posts_from_care_without_the_thread(world, client_for):
    community = community_for(world)
    post_reply(actor=world.participant, thread=community.thread, body="Week two for me.")
    _finish(world, world.participant)
    alumni_access_grant(actor=world.clinician, person=world.participant, program=world.program)
    page = client_for(world.participant).get(reverse("community:my_posts"))
    (post,) = page.context["posts"]
    assert post.thread_readable is False
    assert "Week two for me." in page.content.decode()
    assert reverse("community:thread_detail", args=[community.thread.pk]) not in page.content.decode()


def test_the_alumnus_menu_and_home_are_community_only(world, client_for):
    _alumni_group(world)
    _finish(world, world.participant)
    alumni_access_grant(actor=world.clinician, person=world.participant, program=world.program)
    client = client_for(world.participant)
    assert client.get(reverse("dashboard"))["Location"] == reverse("community:group_list")
    page = client.get(reverse("community:group_list"))
    names = [item["name"] for item in page.context["nav_items"]]
    assert names == ["group_list", "events", "my_posts", "notification_list", "profile"]


# Pages of the person's care: every URL the participant may open that a person with no role there
# (the mentor) may not. The alumnus is the world's participant after discharge and the grant.
def _clinical_urls(world) -> list[tuple[str, str]]:
    urls = []
    for name, access in sorted(RULES.items()):
        if name.startswith("community:") or access.method != "get":
            continue
        if 200 not in access.expect["participant"] or 200 in access.expect["mentor"]:
            continue
        urls.append((name, reverse(name, kwargs=access.kwargs(world) if access.kwargs else None)))
    return urls


def test_every_clinical_page_stays_closed_to_the_alumnus(world, client_for):
    community_for(world)
    urls = _clinical_urls(world)
    names = {name for name, _url in urls}
    assert {"checkins:checkin", "consent_list"} <= names, sorted(names)
    client = client_for(world.participant)
    assert all(client.get(url).status_code == 200 for name, url in urls if name == "checkins:checkin")
    _finish(world, world.participant)
    alumni_access_grant(actor=world.clinician, person=world.participant, program=world.program)
    assert alumni_program_ids(world.participant) == {world.program.pk}
    client = client_for(world.participant)
    opened = {}
    for name, url in urls:
        status = client.get(url).status_code
        if status not in (302, 403, 404) and name not in RIGHTS_AFTER_CARE:
            opened[name] = status
    assert not opened, f"clinical pages open to an alumnus: {opened}"


# What stays a person's after care, alumnus or not: the sharing they consented to (42 CFR Part 2 lets
# them withdraw at any time), a copy of their record and who viewed it.
RIGHTS_AFTER_CARE = {"consent_list", "my_record", "my_disclosures"}


@pytest.mark.parametrize("alumnus", [True, False])
def test_after_care_a_person_still_stops_sharing_and_takes_their_record(world, client_for, alumnus):
    consent = world.consent
    assert consent.participant_id == world.participant.pk and consent.revoked_at is None
    _finish(world, world.participant)
    if alumnus:
        alumni_access_grant(actor=world.clinician, person=world.participant, program=world.program)
    client = client_for(world.participant)
    for name in sorted(RIGHTS_AFTER_CARE):
        assert client.get(reverse(name)).status_code == 200, name
    page = client.get(reverse("consent_list")).content.decode()
    assert consent.recipient_name in page and reverse("consent_new") not in page  # no new sharing
    assert client.get(reverse("consent_new")).status_code == 403
    assert client.post(reverse("consent_revoke", args=[consent.pk])).status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert AuditEntry.objects.filter(action="consent.consent.revoked", actor=world.participant).exists()
    download = client.post(reverse("my_record"))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    # Someone else's consent stays out of reach.
    other = client.post(reverse("consent_revoke", args=[consent.pk + 1000]))
    assert other.status_code == 404


def test_staff_end_access_with_a_notice_and_the_alumnus_may_leave(
    world, client_for, django_capture_on_commit_callbacks
):
    alumni = _alumni_group(world)
    _finish(world, world.participant)
    _finish(world, world.other_participant)
    access = alumni_access_grant(actor=world.clinician, person=world.participant, program=world.program)
    other = alumni_access_grant(actor=world.admin, person=world.other_participant, program=world.program)
    thread_start(actor=world.participant, group=alumni, title="Hello again", body="Hi all")
    # The staff page lists both; ending is audited and explained.
    staff = client_for(world.admin)
    page = staff.get(reverse("community:alumni", args=[world.program.pk]))
    assert page.status_code == 200 and len(page.context["grants"]) == 2
    assert (
        client_for(world.other_clinician).get(reverse("community:alumni", args=[world.program.pk])).status_code == 404
    )
    assert client_for(world.mentor).post(reverse("community:alumni_end", args=[access.pk])).status_code == 404
    staff = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(reverse("community:alumni_end", args=[access.pk])).status_code == 302
    access.refresh_from_db()
    assert access.ended_at is not None and access.ended_by == world.admin
    assert GroupMember.objects.get(group=alumni, user=world.participant).status == MemberStatus.LEFT
    assert AuditEntry.objects.filter(action="community.alumni.ended", subject=world.participant).exists()
    notices = Notification.objects.filter(recipient=world.participant, kind="community.alumni").order_by("pk")
    assert "ended your alumni access" in notices.last().text
    with pytest.raises(ValidationError):
        alumni_access_end(actor=world.admin, access=access)
    assert client_for(world.participant).get(reverse("community:group_list")).status_code == 403
    # The other alumnus leaves on their own: no notice to themself.
    client = client_for(world.other_participant)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("community:alumni_end", args=[other.pk])).status_code == 302
    assert not AlumniAccess.objects.filter(ended_at__isnull=True).exists()
    assert not Notification.objects.filter(recipient=world.other_participant, text__contains="ended").exists()


def test_staff_grant_through_the_page_and_bad_input(world, client_for):
    _finish(world, world.participant)
    staff = client_for(world.clinician)
    url = reverse("community:alumni", args=[world.program.pk])
    page = staff.get(url)
    assert [m.user_id for m in page.context["finished"]] == [world.participant.pk]
    for bad in ({"person": "x"}, {"person": world.other_participant.pk}, {}, {"person": "99999999999999999999"}):
        assert staff.post(url, bad).status_code == 404
    assert staff.post(url, {"person": world.participant.pk}).status_code == 302
    assert AlumniAccess.objects.filter(person=world.participant, ended_at__isnull=True).exists()
    assert staff.get(reverse("community:alumni", args=["0"])).status_code == 404
    assert client_for(world.participant).get(url).status_code == 403


def test_completing_care_also_takes_the_person_out_of_the_groups(world):
    community = community_for(world)
    _finish(world, world.participant, EnrolmentState.COMPLETED)
    assert GroupMember.objects.get(group=community.group, user=world.participant).status == MemberStatus.LEFT
    # The other participant, still in care, stays.
    assert GroupMember.objects.get(group=community.group, user=world.other_participant).status == MemberStatus.ACTIVE


def test_after_care_the_old_cohorts_events_leave_the_persons_events_and_feed(world, client_for):
    from hearth.community.selectors import social_events_for_viewer
    from hearth.scheduling.selectors import occurrences_for_feed, roster_for_occurrence

    event = community_for(world).event
    window = {"start": event.starts_at - datetime.timedelta(days=1), "end": event.ends_at + datetime.timedelta(days=1)}
    assert [e.pk for e in social_events_for_viewer(viewer=world.participant)] == [event.pk]
    _finish(world, world.participant, EnrolmentState.COMPLETED)
    alumni_access_grant(actor=world.clinician, person=world.participant, program=world.program)
    page = client_for(world.participant).get(reverse("community:events"))
    assert page.status_code == 200
    assert "Game night" not in page.content.decode()
    assert event.pk not in occurrences_for_feed(person=world.participant, **window).values_list("pk", flat=True)
    # Still in care: the other participant keeps it; the care team's roster keeps the person.
    assert [e.pk for e in social_events_for_viewer(viewer=world.other_participant)] == [event.pk]
    assert world.participant in roster_for_occurrence(event)
