"""Saving as the assessor types and without a network (issue 12 §1-2), on the server's side: the
service worker script at /sw.js (what it caches, that it names nobody, who may fetch it) and the
assessment page that loads the autosave script only for the person who may answer. The browser's
side is tests_e2e/test_autosave_offline_journey.py."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse

from casework.services import assessment as services
from casework.tests import factories as cf
from casework.views.offline import SHELL

pytestmark = pytest.mark.django_db

SW = "/sw.js"


@pytest.fixture
def world():
    world = cf.team()
    world["assessment"] = services.assessment_start(case=world["case"], user=world["people"]["assessor"])
    return world


def view_url(world, view: int = 1) -> str:
    return reverse("casework:assess", args=[world["inspection"].reference, world["case"].pk, view])


def test_service_worker_is_served_from_the_root_so_it_may_control_the_assessment_pages(client, world):
    assert reverse("service_worker") == SW
    client.force_login(world["people"]["assessor"])
    response = client.get(SW)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-store, private"  # every update check sees the current script


def test_service_worker_caches_the_static_shell_and_nothing_else(client, world):
    client.force_login(world["people"]["assessor"])
    script = client.get(SW).content.decode()
    shell = json.loads(re.search(r"^const SHELL = (.*);$", script, re.MULTILINE).group(1))
    assert shell == [staticfiles_storage.url(name) for name in SHELL]
    assert all(url.startswith("/static/") for url in shell)
    assert 'const STATIC_PREFIX = "/static/";' in script
    # Pages are never put in the cache: the only cache.put is the static files' handler.
    assert script.count("cache.put(") == 1
    assert "url.pathname.startsWith(STATIC_PREFIX)" in script
    # A classic script (a module worker's script is fetched without the session cookie).
    assert "function sendWaiting(" in script and "function clearAll(" in script
    assert not re.search(r"^(import|export) ", script, re.MULTILINE)
    assert 'const SIGN_OUT = "/accounts/logout/";' in script
    assert "__" not in script.replace("__NAMES__", "")  # every name filled in


def test_service_worker_is_the_same_for_everyone_and_names_nobody(client, world):
    assessor, lead = world["people"]["assessor"], world["people"]["lead"]
    client.force_login(assessor)
    as_assessor = client.get(SW).content.decode()
    client.force_login(lead)
    as_lead = client.get(SW).content.decode()
    assert as_assessor == as_lead
    for secret in (str(assessor), str(lead), lead.email, client.cookies["sessionid"].value, "HMIP-07"):
        assert secret not in as_assessor
    page = client.get(view_url(world)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert token not in client.get(SW).content.decode()


def test_service_worker_version_changes_with_the_shell(client, world, monkeypatch):
    from casework.views import offline

    client.force_login(world["people"]["assessor"])
    offline.service_worker_source.cache_clear()
    before = re.search(r'case-assessment-shell-(\w+)"', client.get(SW).content.decode()).group(1)
    monkeypatch.setattr(offline, "SHELL", (*offline.SHELL, "css/app.css?v=2"))
    offline.service_worker_source.cache_clear()
    after = re.search(r'case-assessment-shell-(\w+)"', client.get(SW).content.decode()).group(1)
    offline.service_worker_source.cache_clear()
    assert before != after


def test_service_worker_needs_sign_in(client):
    response = client.get(SW)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_service_worker_refuses_a_post(client, world):
    client.force_login(world["people"]["assessor"])
    assert client.post(SW).status_code == 405


def test_assessment_page_loads_autosave_for_the_assessor(client, world):
    client.force_login(world["people"]["assessor"])
    page = client.get(view_url(world)).content.decode()
    assert f'<script type="module" src="{staticfiles_storage.url("js/assessment.js")}"></script>' in page
    panel = re.search(r'<div id="autosave"[^>]*>', page).group(0)
    assert " hidden " in panel  # says nothing until the script has something to say
    assert f'data-user="{world["people"]["assessor"].pk}"' in panel
    assert 'data-worker="/sw.js"' in panel and 'data-sign-out="/accounts/logout/"' in panel
    assert 'data-saved-at="Saved at {time}"' in panel
    # Without JavaScript every question still has its form and Save button.
    assert page.count('<form id="question-') == page.count(">Save<span")


def test_assessment_page_without_autosave_for_someone_who_may_only_read(client, world):
    client.force_login(world["people"]["sso"])
    page = client.get(view_url(world)).content.decode()
    assert "You can read this assessment but not change it." in page
    assert "js/assessment.js" not in page
    assert 'id="autosave"' not in page


@pytest.mark.parametrize("persona", ["other_assessor", "stranger"])
def test_assessment_page_autosave_is_not_shown_to_someone_who_may_not_see_the_case(client, world, persona):
    client.force_login(world["people"][persona])
    response = client.get(view_url(world))
    assert response.status_code == 404
    assert b"assessment.js" not in response.content
