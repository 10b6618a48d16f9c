"""The group's thread list and a thread's page answer in a fixed number of queries however many
threads and posts there are (#15: the bench's group_thread_list and thread_page), and a long thread is
read a page at a time."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hearth.community.models import Post, Reaction, Thread
from hearth.community.selectors import POSTS_PER_PAGE

pytestmark = pytest.mark.django_db


def _threads(community, n):
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        [
            Thread(group=community.group, author=community.post.author, title=f"Thread {i}", last_post_at=now)
            for i in range(n)
        ]
    )
    Post.objects.bulk_create([Post(thread=t, author=t.author, body="Hello", is_opening=True) for t in threads])


def _posts(world, thread, n):
    start = timezone.now()
    posts = Post.objects.bulk_create(
        [
            Post(
                thread=thread,
                author=world.mentor if i % 2 else world.other_participant,
                body=f"reply {i}",
                created_at=start + datetime.timedelta(seconds=i),
            )
            for i in range(n)
        ]
    )
    # Reactions everywhere and quotes that reach back to other pages.
    Reaction.objects.bulk_create([Reaction(post=p, user=world.participant, kind="me_too") for p in posts])
    for i, post in enumerate(posts[1:], start=1):
        Post.objects.filter(pk=post.pk).update(quote=posts[max(0, i - POSTS_PER_PAGE - 1)])
    return posts


def test_group_thread_list_queries_do_not_grow_with_threads(
    world, community, client_for, django_assert_max_num_queries
):
    client = client_for(world.participant)
    url = reverse("community:group_detail", args=[community.group.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    _threads(community, 80)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert len(page.context["threads"]) == 50


def test_thread_page_queries_do_not_grow_with_posts(world, community, client_for, django_assert_max_num_queries):
    client = client_for(world.participant)
    url = reverse("community:thread_detail", args=[community.thread.pk])
    _posts(world, community.thread, 3)
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    posts = _posts(world, community.thread, 3 * POSTS_PER_PAGE)
    for query in ("", "?page=2", "?page=4", f"?post={posts[-1].pk}"):
        with django_assert_max_num_queries(len(small.captured_queries) + 3):  # + the page's count and quotes
            page = client.get(url + query)
        assert page.status_code == 200
        assert len(page.context["posts"]) <= POSTS_PER_PAGE


def test_a_long_thread_is_read_a_page_at_a_time_and_bad_pages_are_the_nearest_page(world, community, client_for):
    posts = _posts(world, community.thread, 2 * POSTS_PER_PAGE)  # + the opening post: three pages
    client = client_for(world.participant)
    url = reverse("community:thread_detail", args=[community.thread.pk])
    first = client.get(url)
    assert (first.context["page"], first.context["pages"]) == (1, 3)
    assert first.context["posts"][0].pk == community.post.pk
    assert "Later posts" in first.content.decode()
    # A notice's link (?post=) opens the page holding the post; a quote from an earlier page still shows.
    target = posts[POSTS_PER_PAGE + 5]
    page = client.get(f"{url}?post={target.pk}")
    assert page.context["page"] == 2 and target.pk in [p.pk for p in page.context["posts"]]
    quoting = next(p for p in page.context["posts"] if p.pk == target.pk)
    assert quoting.quoted is not None and quoting.quoted.thread_id == community.thread.pk
    for bad, expected in (("abc", 1), ("-4", 1), ("0", 1), ("99999999999999999999999", 3), ("3", 3)):
        response = client.get(f"{url}?page={bad}")
        assert response.status_code == 200 and response.context["page"] == expected
    for bad in ("abc", "99999999999999999999999", str(community.post.pk + 10**6)):
        assert client.get(f"{url}?post={bad}").context["page"] == 1
