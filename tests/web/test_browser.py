"""End to end in headless Chromium: load the dashboard, search, open a story.

Uses Debian's ``chromium`` (``/usr/bin/chromium``, installed by ``.ci/run``) through
Playwright, never a downloaded browser. Without Chromium the test is skipped, except under
``CI=true`` where it fails: a browser test skipped in CI is a failure, not a pass.

``NEWSWATCH_SCREENSHOT=story.png`` also saves a screenshot of the story page.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.web.conftest import AGREEMENT, HOSTILE, URDU

CHROMIUM = Path(os.environ.get("NEWSWATCH_TEST_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    tab = context.new_page()
    dialogs: list[str] = []
    # A script that ran would most likely show itself as a dialog (alert("owned")).
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.dialogs = dialogs
    yield tab
    context.close()


def test_dashboard_search_and_story(page, api, archive):
    from playwright.sync_api import expect

    page.goto(api.url + "/")
    expect(page.locator("h1")).to_have_text("Alerts")
    expect(page.locator(".alert h2").first).to_have_text(HOSTILE)  # shown as text, not run
    expect(page.locator(".alert h2").nth(1)).to_have_text(AGREEMENT)

    page.get_by_role("link", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/search$"))
    page.get_by_label("Words").fill("extend ceasefire")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=extend\+ceasefire"))
    results = page.locator("table.results tbody tr")
    expect(results).to_have_count(1)
    expect(results.first.locator(".article-link")).to_have_text(AGREEMENT)

    results.first.locator(".story-link").click()
    expect(page).to_have_url(re.compile(rf"/stories/{archive.agreement_story}$"))
    expect(page.locator("h1.story-title")).to_have_text(AGREEMENT)
    expect(page.locator("blockquote.evidence")).to_contain_text("agreed to extend the ceasefire")
    expect(page.locator("table.articles tbody tr")).to_have_count(4)
    expect(page.locator("dd.languages")).to_have_text("ur")
    screenshot = os.environ.get("NEWSWATCH_SCREENSHOT")
    if screenshot:
        page.screenshot(path=screenshot)

    page.goto(api.url + f"/stories/{archive.clash_story}")
    expect(page.locator("h1.story-title")).to_have_text(HOSTILE)
    assert page.dialogs == []


def test_failing_sources_banner(page, api, sessions):
    from playwright.sync_api import expect

    from tests.web.test_dashboard import poll

    poll(sessions, dawn="error", geo="ok")
    for path in ("/", "/stories", "/search", "/sources"):
        page.goto(api.url + path)
        banner = page.get_by_role("status")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("1 of 2 sources is failing — see Sources")
    banner.get_by_role("link", name="Sources").click()
    expect(page.locator("h1")).to_have_text("Source health")


LONG_URL = (
    "https://news.example/" + "pakistan-afghanistan-ceasefire-talks-istanbul-" * 6 + "report?utm_source=feed&id=1"
)


@pytest.fixture
def long_url_article(archive, sessions):
    """A title-less report (the dashboard shows its URL instead) in the agreement story."""
    from datetime import timedelta

    from sqlalchemy import select

    from storage.articles import ArticleRecord, store_article
    from storage.db import transaction
    from storage.models import Source
    from storage.stories import attach
    from tests.alertdata import T0

    with transaction(sessions) as session:
        geo = session.scalar(select(Source.id).where(Source.name == "geo"))
        article = store_article(
            session,
            ArticleRecord(
                url=LONG_URL,
                title="",
                text="Istanbul talks report without a headline, only a very long address. " * 5,
                source_id=geo,
                language="en",
                published_at=T0 + timedelta(hours=3),
            ),
        ).article_id
        attach(session, article, archive.agreement_story, title="", when=T0)
    return archive


def test_pages_fit_a_phone(browser, api, long_url_article):
    """No page is wider than a 390 px phone: tables turn into cards, long URLs wrap."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    try:
        paths = [
            "/",
            "/stories",
            "/search",
            "/search?q=ceasefire",
            "/sources",
            f"/stories/{long_url_article.agreement_story}",
        ]
        for path in paths:
            phone.goto(api.url + path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width} px wide"
        # The story page has the long URL and the Urdu headline, as cards.
        expect(phone.get_by_text(LONG_URL)).to_be_visible()
        urdu = phone.locator('a.article-link[lang="ur"]')
        expect(urdu).to_have_text(URDU)
        # Nastaliq needs a line height of about 2, or a line overlaps the one above.
        ratio = urdu.evaluate(
            "e => parseFloat(getComputedStyle(e).lineHeight) / parseFloat(getComputedStyle(e).fontSize)"
        )
        assert ratio >= 1.9
        assert phone.locator("table.articles tr td[data-label=Source]").first.evaluate(
            "e => getComputedStyle(e).display"
        ) in ("block", "inline-block")
    finally:
        context.close()


def test_api_docs_work_offline(browser, api):
    """/api/docs renders Swagger UI with every request to another host refused."""
    from urllib.parse import urlsplit

    from playwright.sync_api import expect

    own = urlsplit(api.url).netloc
    elsewhere: list[str] = []

    def only_this_server(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context = browser.new_context()
    context.route("**/*", only_this_server)
    tab = context.new_page()
    try:
        tab.goto(api.url + "/api/docs")
        expect(tab.locator(".swagger-ui .info .title")).to_contain_text("newswatch")
        operations = tab.locator(".opblock-summary-path")
        expect(operations.first).to_be_visible()
        expect(tab.locator('.opblock-summary-path[data-path="/api/articles"]')).to_be_visible()
    finally:
        context.close()
    assert elsewhere == []
