"""Every page a person can reach by following links, as each demo role, answers without a server
error: the demo data (load_demo) exercises every app, so a traceback anywhere shows up here.

The Django test client re-raises a view's exception, so a traceback fails the test as surely as a
5xx response does."""

import re
from io import StringIO
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from inspections.models import User

LINK = re.compile(r'href="([^"]+)"')
ROLES = ["lead", "assistant", "assessor", "sso", "yotmanager", "yotmanager.wales", "yotmanager.other", "partner"]


def crawl(client: Client, limit: int = 250) -> tuple[set[str], list[tuple[str, int]]]:
    seen: set[str] = set()
    queue, errors = ["/"], []
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            errors.append((url, response.status_code))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in LINK.findall(response.content.decode()):
            target = urldefrag(href.replace("&amp;", "&"))[0]
            parsed = urlparse(target)
            if parsed.scheme or parsed.netloc or not target.startswith("/"):
                continue
            if target.startswith(("/static/", "/accounts/logout", "/admin/")) or target in seen:
                continue
            queue.append(target)
    return seen, errors


@pytest.mark.django_db(transaction=True)
def test_no_page_reachable_by_any_demo_role_errors():
    call_command("load_demo", stdout=StringIO())
    reached = {}
    for username in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        seen, errors = crawl(client)
        assert errors == [], username
        reached[username] = len(seen)
    # A YOT manager with no announced inspection reaches only their home page (nothing waiting), their
    # empty list and their own account (Your account, the language of their emails); everyone else goes further.
    assert reached["yotmanager.other"] == 4
    assert all(count > 5 for name, count in reached.items() if name != "yotmanager.other"), reached
