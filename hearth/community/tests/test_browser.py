"""At phone width in Chromium: a participant starts a thread, another replies and reacts, the mentor
flags it, a clinician hides it from the queue, and the author reads why. Every page is axe-checked."""

import pytest

from hearth.community.models import Post, Reaction, Thread
from hearth.tests.browser.conftest import PHONE, outside_event_loop, session_cookie_for

from .conftest import community_for

pytestmark = pytest.mark.browser


def at_top(page) -> None:
    """Replies and reactions come back scrolled to the post (#post-n); the shell check reads the page
    from its top, where the crisis button sits."""
    page.evaluate("window.scrollTo(0, 0)")


@pytest.fixture
def sessions(world, live_server) -> dict:
    community_for(world)
    return {
        name: session_cookie_for(getattr(world, name), live_server.url)
        for name in ("participant", "other_participant", "mentor", "clinician")
    }


def test_thread_reply_react_flag_hide_and_the_author_sees_why(world, sessions, open_tab):
    community = community_for(world)
    tab = open_tab(viewport=PHONE, session=sessions["participant"])
    page = tab.page
    tab.visit("/community/", "group list")
    tab.screenshot("community-groups-phone")
    tab.visit(f"/community/groups/{community.group.pk}/", "group")
    with page.expect_navigation():
        page.click("text=Start a thread")
    tab.check("new thread")
    page.fill("#id_title", "Evenings are long")
    page.fill("#id_body", "What do you do after dinner? <b>Ideas</b> welcome.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    tab.check("thread")
    with outside_event_loop():
        thread = Thread.objects.get(title="Evenings are long")
        opening = Post.objects.get(thread=thread, is_opening=True)
    assert page.locator(".post-body").first.inner_text().startswith("What do you do after dinner? <b>Ideas</b>")

    tab.use_session(sessions["other_participant"])
    tab.visit(f"/community/threads/{thread.pk}/", "thread as a peer")
    page.fill("#id_body", "A walk around the block, then a call with my sister.")
    with page.expect_navigation():
        page.click("text=Post reply")
    with page.expect_navigation():
        page.locator(f"#post-{opening.pk} .reactions button[value=me_too]").click()
    at_top(page)
    tab.check("after reacting")
    assert page.locator(f"#post-{opening.pk} .reactions button[value=me_too]").get_attribute("aria-pressed") == "true"
    tab.screenshot("community-thread-phone")
    with outside_event_loop():
        assert Reaction.objects.filter(post=opening, user=world.other_participant, kind="me_too").exists()

    tab.use_session(sessions["mentor"])
    tab.visit(f"/community/posts/{opening.pk}/flag/", "flag")
    page.click("label:has-text('Off-topic or advertising')")
    with page.expect_navigation():
        page.click("text=Send to moderators")
    at_top(page)
    tab.check("after flagging")

    tab.use_session(sessions["clinician"])
    tab.visit("/community/moderation/", "queue")
    tab.screenshot("community-queue-phone")
    item = page.locator(f"#queue-{opening.pk}")
    item.locator("select[name=reason]").first.select_option("spam")
    with page.expect_navigation():
        item.locator("button[value=hide]").click()
    tab.check("after hiding")
    assert "Nothing is waiting for review." in page.content()
    with outside_event_loop():
        assert Post.objects.get(pk=opening.pk).hidden_reason == "spam"

    tab.use_session(sessions["participant"])
    tab.visit("/community/notices/", "notices")
    assert "It was off-topic or advertising" in page.content()
    tab.screenshot("community-notice-phone")
    tab.visit(f"/community/threads/{thread.pk}/", "hidden thread as the author")
    assert "A moderator hid your post from the group." in page.content()
    tab.screenshot("community-hidden-thread-phone")
    # The peer who replied no longer finds the thread.
    tab.use_session(sessions["other_participant"])
    tab.visit(f"/community/threads/{thread.pk}/", "hidden thread as a peer", check=False, status=404)


def test_events_page_one_tap_rsvp(world, sessions, open_tab):
    community = community_for(world)
    tab = open_tab(viewport=PHONE, session=sessions["participant"])
    page = tab.page
    tab.visit("/community/events/", "events")
    with page.expect_navigation():
        page.locator(f"#event-{community.event.pk} button[value='1']").click()
    at_top(page)
    tab.check("after RSVP")
    assert "You are going." in page.content()
    tab.screenshot("community-events-phone")


def test_quote_mention_helpful_search_and_watch_on_a_phone(world, sessions, open_tab):
    community = community_for(world)
    with outside_event_loop():
        type(world.other_participant).objects.filter(pk=world.other_participant.pk).update(display_name="Robin")
    tab = open_tab(viewport=PHONE, session=sessions["participant"])
    page = tab.page
    tab.visit(f"/community/threads/{community.thread.pk}/", "thread")
    with page.expect_navigation():
        page.locator(f"#post-{community.post.pk} .post-tools a:has-text('Quote')").click()
    at_top(page)
    tab.check("quoting")
    page.fill("#id_body", "@Robin welcome! The lighthouse walk on Sundays helps me.")
    with page.expect_navigation():
        page.click("text=Post reply")
    at_top(page)
    tab.check("after a quote-reply")
    assert page.locator(".post-quote").count() == 1
    with outside_event_loop():
        reply = Post.objects.filter(thread=community.thread, quote=community.post).get()

    tab.use_session(sessions["other_participant"])  # Robin started the thread
    tab.visit(f"/community/threads/{community.thread.pk}/", "thread as its author")
    with page.expect_navigation():
        page.locator(f"#post-{reply.pk} button:has-text('Mark as helpful')").click()
    at_top(page)
    tab.check("after marking helpful")
    assert page.locator(f"#post-{reply.pk} .helpful").count() == 1
    page.select_option("#thread-watch", "watching")
    with page.expect_navigation():
        page.locator(".watch-form button").click()
    at_top(page)
    tab.check("after watching")
    tab.screenshot("community-quote-helpful-phone")
    tab.visit("/community/search/?q=lighthouse+sundays", "search")
    assert page.locator(".thread-list li").count() == 1
    tab.screenshot("community-search-phone")
    with outside_event_loop():
        from hearth.notifications.models import Notification

        assert Notification.objects.filter(recipient=world.other_participant, kind="community.mention").exists()


def test_propose_an_event_and_staff_see_it(world, sessions, open_tab):
    community_for(world)
    tab = open_tab(viewport=PHONE, session=sessions["participant"])
    page = tab.page
    tab.visit("/community/events/propose/", "propose")
    tab.screenshot("community-propose-phone")
    tab.use_session(sessions["clinician"])
    tab.visit("/community/events/", "events as staff")
    assert "Trivia night" in page.content()
    tab.screenshot("community-proposals-staff-phone")
