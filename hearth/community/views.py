"""The community's web edge: parse input, call one service or selector, render. Service errors show
as form errors (status 400) or as a message after a redirect; nothing a person sends gives a 500."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hearth.audit.services import audit_record
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.messaging.selectors import reports_for_moderator
from hearth.scheduling.feeds import calendar_for_occurrence
from hearth.scheduling.models import SOCIAL_KINDS, SessionKind
from hearth.scheduling.services import rsvp_cancel, rsvp_create

from .forms import (
    EditForm,
    FlagForm,
    HideForm,
    MuteForm,
    ProposalForm,
    ReplyForm,
    SearchForm,
    SettingsForm,
    ThreadForm,
)
from .models import DigestChoice, MemberStatus, WatchLevel
from .selectors import (
    alumni_access_for,
    alumni_for_staff,
    cohorts_for_staff,
    digest_choice_for,
    finished_participant_for_staff,
    flagged_posts_for_moderator,
    group_for_viewer,
    groups_for_viewer,
    member_request_for,
    notices_for_person,
    own_alumni_access,
    own_posts_for_viewer,
    pending_requests_for,
    post_for_moderator,
    post_for_reader,
    posts_for_thread,
    programs_administered,
    programs_moderated,
    proposal_for_staff,
    proposal_programs_for,
    proposals_for_staff,
    proposals_of_viewer,
    revisions_for_moderator,
    search_for_viewer,
    settings_for_admin,
    social_event_for_viewer,
    social_events_for_viewer,
    thread_for_reader,
    thread_page_for,
    threads_for_group,
)
from .services import (
    alumni_access_end,
    alumni_access_grant,
    community_settings_update,
    digest_set,
    event_proposal_decide,
    event_propose,
    group_join,
    group_leave,
    member_decide,
    member_mute,
    post_delete,
    post_edit,
    post_flag,
    post_hide,
    post_mark_helpful,
    post_reply,
    post_restore,
    reaction_toggle,
    thread_mark_read,
    thread_pin,
    thread_start,
    watch_set,
)

SUPPORT_KEY = "community_show_support"


def _error_message(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _after_post(request, result, url: str):
    if result.crisis is not None:
        # Shown once, on the next page: the post is saved and visible whatever the detector said.
        request.session[SUPPORT_KEY] = True
    return redirect(url)


def _thread_url(thread_id: int, post_id: int | None = None) -> str:
    url = reverse("community:thread_detail", args=[thread_id])
    # ?post= opens the page of a long thread that holds the post.
    return f"{url}?post={post_id}#post-{post_id}" if post_id else url


# --- groups ------------------------------------------------------------------------------------


@require_GET
@permission_required("community.use")
def group_list(request):
    return render(
        request,
        "community/group_list.html",
        {
            "groups": list(groups_for_viewer(viewer=request.user)),
            "alumni_access": own_alumni_access(viewer=request.user),
            "digest": digest_choice_for(viewer=request.user),
            "digest_choices": DigestChoice.choices,
        },
    )


@require_POST
@permission_required("community.use")
def digest_choose(request):
    try:
        digest_set(actor=request.user, digest=request.POST.get("digest", ""))
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("community:group_list")


@require_GET
@permission_required("community.use")
def group_detail(request, group_id: int):
    group = group_for_viewer(viewer=request.user, group_id=group_id)
    context = {"group": group, "threads": [], "requests": [], "watch_levels": WatchLevel.choices}
    if group.viewer_may_read:
        context["threads"] = threads_for_group(viewer=request.user, group=group)
        context["requests"] = list(pending_requests_for(viewer=request.user, group=group))
    return render(request, "community/group_detail.html", context)


@require_POST
@permission_required("community.use")
def group_join_view(request, group_id: int):
    group = group_for_viewer(viewer=request.user, group_id=group_id)
    try:
        member = group_join(actor=request.user, group=group)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        if member.status == MemberStatus.ACTIVE:
            messages.success(request, _("Welcome to the group."))
        else:
            messages.success(request, _("Your request was sent. A facilitator will answer it soon."))
    return redirect("community:group_detail", group_id=group.pk)


@require_POST
@permission_required("community.use")
def group_leave_view(request, group_id: int):
    group = group_for_viewer(viewer=request.user, group_id=group_id)
    try:
        group_leave(actor=request.user, group=group)
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect("community:group_detail", group_id=group.pk)
    messages.success(request, _("You left the group. You can join again any time."))
    return redirect("community:group_list")


@require_POST
@permission_required("community.use")
def member_decide_view(request, member_id: int):
    member = member_request_for(viewer=request.user, member_id=member_id)
    try:
        member_decide(actor=request.user, member=member, approve=request.POST.get("decision") == "approve")
    except ValidationError as exc:
        _error_message(request, exc)
    return redirect("community:group_detail", group_id=member.group_id)


# --- threads and posts -------------------------------------------------------------------------


@permission_required("community.use")
def thread_new(request, group_id: int):
    group = group_for_viewer(viewer=request.user, group_id=group_id)
    form = ThreadForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = thread_start(
                actor=request.user, group=group, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _after_post(request, result, _thread_url(result.post.thread_id))
    if request.method == "POST":
        status = 400
    return render(request, "community/thread_new.html", {"group": group, "form": form}, status=status)


def _thread_page(request, thread, reply_form, status=200, *, last=False):
    page, pages = thread_page_for(
        thread=thread,
        page=10**6 if last else request.GET.get("page"),
        post_id=None if last else request.GET.get("post"),
    )
    posts = posts_for_thread(viewer=request.user, thread=thread, page=page)
    return render(
        request,
        "community/thread_detail.html",
        {
            "thread": thread,
            "group": thread.group,
            "posts": posts,
            "page": page,
            "pages": pages,
            "reply_form": reply_form,
            "show_support": request.session.pop(SUPPORT_KEY, False),
            "hide_form": HideForm(),
            "watch_levels": WatchLevel.choices,
            "quoting": next((p for p in posts if str(p.pk) == str(reply_form["quote"].value())), None),
        },
        status=status,
    )


@require_GET
@permission_required("community.use")
def thread_detail(request, thread_id: int):
    thread = thread_for_reader(viewer=request.user, thread_id=thread_id)
    thread_mark_read(actor=request.user, thread=thread)
    # ?quote=<post id> starts a quote-reply; an unknown id quotes nothing (the service checks on post).
    quote = request.GET.get("quote", "")
    return _thread_page(request, thread, ReplyForm(initial={"quote": quote if quote.isdigit() else ""}))


@require_POST
@permission_required("community.use")
def post_reply_view(request, thread_id: int):
    thread = thread_for_reader(viewer=request.user, thread_id=thread_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            result = post_reply(
                actor=request.user, thread=thread, body=form.cleaned_data["body"], quote_id=form.cleaned_data["quote"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _after_post(request, result, _thread_url(thread.pk, result.post.pk))
    return _thread_page(request, thread, form, status=400, last=True)


@permission_required("community.use")
def post_edit_view(request, post_id: int):
    post = post_for_reader(viewer=request.user, post_id=post_id)
    if post.author_id != request.user.pk:
        return redirect(_thread_url(post.thread_id, post.pk))
    form = EditForm(request.POST or None, initial={"body": post.body, "version": post.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = post_edit(
                    actor=request.user, post=post, body=form.cleaned_data["body"], version=form.cleaned_data["version"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
                post.refresh_from_db()
                # Show the latest text and version, so the person can redo the edit on top of it.
                data = form.data.copy()
                data["version"] = post.version
                form.data = data
            else:
                messages.success(request, _("Your post was updated."))
                return _after_post(request, result, _thread_url(post.thread_id, post.pk))
    return render(request, "community/post_edit.html", {"post": post, "form": form}, status=status)


@require_POST
@permission_required("community.use")
def post_delete_view(request, post_id: int):
    post = post_for_reader(viewer=request.user, post_id=post_id)
    try:
        post_delete(actor=request.user, post=post)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Your post was deleted."))
    if post.is_opening:
        return redirect("community:group_detail", group_id=post.thread.group_id)
    return redirect(_thread_url(post.thread_id))


@require_POST
@permission_required("community.use")
def post_react(request, post_id: int):
    post = post_for_reader(viewer=request.user, post_id=post_id)
    try:
        reaction_toggle(actor=request.user, post=post, kind=request.POST.get("kind", ""))
    except ValidationError as exc:
        _error_message(request, exc)
    return redirect(_thread_url(post.thread_id, post.pk))


@permission_required("community.use")
def post_flag_view(request, post_id: int):
    post = post_for_reader(viewer=request.user, post_id=post_id)
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                post_flag(
                    actor=request.user, post=post, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Thank you. A moderator will look at this post."))
                return redirect(_thread_url(post.thread_id, post.pk))
    return render(request, "community/post_flag.html", {"post": post, "form": form}, status=status)


@require_POST
@permission_required("community.use")
def thread_pin_view(request, thread_id: int):
    thread = thread_for_reader(viewer=request.user, thread_id=thread_id)
    thread_pin(actor=request.user, thread=thread, pinned=request.POST.get("pinned") == "1")
    return redirect("community:group_detail", group_id=thread.group_id)


@require_POST
@permission_required("community.use")
def post_helpful(request, post_id: int):
    post = post_for_reader(viewer=request.user, post_id=post_id)
    try:
        post_mark_helpful(actor=request.user, post=post, helpful=request.POST.get("helpful") != "0")
    except ValidationError as exc:
        _error_message(request, exc)
    return redirect(_thread_url(post.thread_id, post.pk))


@require_POST
@permission_required("community.use")
def group_watch(request, group_id: int):
    group = group_for_viewer(viewer=request.user, group_id=group_id)
    if not group.viewer_may_read:
        messages.error(request, _("Join this group to choose what you hear about it."))
        return redirect("community:group_detail", group_id=group.pk)
    try:
        watch_set(actor=request.user, group=group, level=request.POST.get("level", ""))
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Saved. You will hear about this group as you chose."))
    return redirect("community:group_detail", group_id=group.pk)


@require_POST
@permission_required("community.use")
def thread_watch(request, thread_id: int):
    thread = thread_for_reader(viewer=request.user, thread_id=thread_id)
    try:
        watch_set(actor=request.user, group=thread.group, thread=thread, level=request.POST.get("level", "x"))
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Saved. You will hear about this thread as you chose."))
    return redirect(_thread_url(thread.pk))


@require_GET
@permission_required("community.use")
def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        results = search_for_viewer(viewer=request.user, query=form.cleaned_data["q"])
    return render(request, "community/search.html", {"form": form, "results": results})


@require_GET
@permission_required("community.use")
def notices(request):
    return render(request, "community/notices.html", {"notices": list(notices_for_person(viewer=request.user))})


# --- moderation --------------------------------------------------------------------------------


@require_GET
@permission_required("community.moderate")
def moderation_queue(request):
    """One queue for moderators: flagged forum posts and reported chat messages (messaging decides those)."""
    posts = flagged_posts_for_moderator(viewer=request.user)
    reports = list(reports_for_moderator(viewer=request.user))
    audit_record(actor=request.user, action="community.queue.viewed", data={"posts": [p.pk for p in posts][:100]})
    audit_record(actor=request.user, action="messaging.reports.viewed", data={"reports": [r.pk for r in reports]})
    return render(
        request,
        "community/moderation_queue.html",
        {
            "posts": posts,
            "reports": reports,
            "hide_form": HideForm(),
            "mute_form": MuteForm(),
            "programs": programs_administered(viewer=request.user),
            "staff_programs": programs_moderated(viewer=request.user),
        },
    )


@permission_required("community.moderate")
def community_settings(request, program_id: int):
    current = settings_for_admin(viewer=request.user, program_id=program_id)
    form = SettingsForm(request.POST or None, initial={"auto_hide_flags": current.auto_hide_flags})
    if request.method == "POST":
        if form.is_valid():
            try:
                community_settings_update(
                    actor=request.user, program=current.program, auto_hide_flags=form.cleaned_data["auto_hide_flags"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Saved. The new number applies to the next flag."))
                return redirect("community:moderation_queue")
        return render(request, "community/settings.html", {"form": form, "program": current.program}, status=400)
    return render(request, "community/settings.html", {"form": form, "program": current.program})


@require_POST
@permission_required("community.moderate")
def post_moderate(request, post_id: int):
    post = post_for_moderator(viewer=request.user, post_id=post_id)
    decision = request.POST.get("decision")
    if decision == "restore":
        post_restore(actor=request.user, post=post)
        messages.success(request, _("The post is visible again and its flags are closed."))
    elif decision == "hide":
        form = HideForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the reason the author will see."))
        else:
            post_hide(actor=request.user, post=post, reason=form.cleaned_data["reason"])
            messages.success(request, _("The post is hidden. The author was told why."))
    else:
        messages.error(request, _("Choose hide or restore."))
    if request.POST.get("next") == "thread":
        return redirect(_thread_url(post.thread_id, post.pk))
    return redirect("community:moderation_queue")


@require_POST
@permission_required("community.moderate")
def member_mute_view(request, post_id: int):
    post = post_for_moderator(viewer=request.user, post_id=post_id)
    form = MuteForm(request.POST)
    if not form.is_valid() or post.author is None:
        messages.error(request, _("Choose how long and the reason the person will see."))
        return redirect("community:moderation_queue")
    try:
        member_mute(
            actor=request.user,
            group=post.thread.group,
            user=post.author,
            hours=form.cleaned_data["hours"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The person's posting in this group is paused. They were told why."))
    return redirect("community:moderation_queue")


@require_GET
@permission_required("community.moderate")
def post_history(request, post_id: int):
    post = post_for_moderator(viewer=request.user, post_id=post_id)
    revisions = list(revisions_for_moderator(viewer=request.user, post=post))
    audit_record(actor=request.user, action="community.post_history.viewed", subject=post.author, obj=post)
    return render(request, "community/post_history.html", {"post": post, "revisions": revisions})


# --- social events -----------------------------------------------------------------------------


@require_GET
@permission_required("community.use")
def events(request):
    return render(
        request,
        "community/events.html",
        {
            "events": social_events_for_viewer(viewer=request.user),
            "my_proposals": proposals_of_viewer(viewer=request.user),
            "may_propose": bool(proposal_programs_for(viewer=request.user)),
            "staff_proposals": proposals_for_staff(viewer=request.user),
            "cohorts": cohorts_for_staff(viewer=request.user),
        },
    )


@require_POST
@permission_required("community.use")
def event_rsvp(request, occurrence_id: int):
    occurrence = social_event_for_viewer(viewer=request.user, occurrence_id=occurrence_id)
    try:
        if request.POST.get("going") == "0":
            rsvp_cancel(actor=request.user, occurrence=occurrence)
            messages.success(request, _("You are no longer going."))
        else:
            rsvp = rsvp_create(actor=request.user, occurrence=occurrence)
            if rsvp.status == "waitlisted":
                messages.success(request, _("The event is full. You are on the wait-list."))
            else:
                messages.success(request, _("You are going. See you there!"))
    except ValidationError as exc:
        _error_message(request, exc)
    return redirect(f"{reverse('community:events')}#event-{occurrence.pk}")


@require_GET
@permission_required("community.use")
def event_ics(request, occurrence_id: int):
    """Add to calendar: the event as an .ics file (title and times only, like the private feed)."""
    occurrence = social_event_for_viewer(viewer=request.user, occurrence_id=occurrence_id)
    body = calendar_for_occurrence(occurrence=occurrence, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hearth-event-{occurrence.pk}.ics"'
    return response


SOCIAL_KIND_CHOICES = [(value, label) for value, label in SessionKind.choices if value in SOCIAL_KINDS]


@permission_required("community.use")
def event_propose_view(request):
    programs = proposal_programs_for(viewer=request.user)
    if not programs:
        messages.error(request, _("Participants and peer mentors can propose events; staff schedule them directly."))
        return redirect("community:events")
    form = ProposalForm(request.POST or None, programs=programs, kinds=SOCIAL_KIND_CHOICES)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            program = next(p for p in programs if p.pk == data["program"])
            try:
                event_propose(
                    actor=request.user,
                    program=program,
                    kind=data["kind"],
                    title=data["title"],
                    description=data["description"],
                    starts_at=data["starts_at"],
                    minutes=data["minutes"],
                    capacity=data["capacity"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Thank you! Staff will look at your idea and let you know."))
                return redirect(f"{reverse('community:events')}#proposals")
    return render(request, "community/event_propose.html", {"form": form}, status=status)


@require_POST
@permission_required("community.moderate")
def proposal_decide(request, proposal_id: int):
    proposal = proposal_for_staff(viewer=request.user, proposal_id=proposal_id)
    approve = request.POST.get("decision") == "approve"
    cohort_id = request.POST.get("cohort", "")
    cohort = next((c for c in cohorts_for_staff(viewer=request.user) if str(c.pk) == cohort_id), None)
    try:
        event_proposal_decide(actor=request.user, proposal=proposal, approve=approve, cohort=cohort)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The event is on the calendar.") if approve else _("The person was told."))
    return redirect(f"{reverse('community:events')}#proposals")


# --- alumni ------------------------------------------------------------------------------------


@require_GET
@permission_required("community.use")
def my_posts(request):
    """A person's own posts, wherever they wrote them: an alumnus keeps their history."""
    return render(request, "community/my_posts.html", {"posts": own_posts_for_viewer(viewer=request.user)})


@permission_required("community.moderate")
def alumni(request, program_id: int):
    """The program's staff keep community access for people whose care ended, and end it."""
    program, grants, finished = alumni_for_staff(viewer=request.user, program_id=program_id)
    if request.method == "POST":
        membership = finished_participant_for_staff(
            viewer=request.user, program_id=program.pk, person_id=request.POST.get("person")
        )
        try:
            alumni_access_grant(actor=request.user, person=membership.user, program=program)
        except ValidationError as exc:
            _error_message(request, exc)
        else:
            messages.success(
                request,
                _("%(name)s keeps community access as an alumnus. They were told.")
                % {"name": membership.user.display_name},
            )
        return redirect("community:alumni", program_id=program.pk)
    if grants:
        audit_record(
            actor=request.user,
            action="community.alumni.viewed",
            program=program,
            data={"people": [grant.person_id for grant in grants][:100]},
        )
    return render(request, "community/alumni.html", {"program": program, "grants": grants, "finished": finished})


@require_POST
@permission_required("community.use")
def alumni_end(request, access_id: int):
    access = alumni_access_for(viewer=request.user, access_id=access_id)
    by_self = access.person_id == request.user.pk
    try:
        alumni_access_end(actor=request.user, access=access)
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        if by_self:
            messages.success(request, _("Your community access has ended. Thank you for being part of it."))
        else:
            messages.success(request, _("Community access ended. The person was told."))
    if by_self:
        return redirect("home")
    return redirect("community:alumni", program_id=access.program_id)
