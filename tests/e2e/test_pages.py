"""Every page of the navigation loads in Chromium without an exception and passes axe-core.

axe-core comes with the axe-playwright-python package (its bundled axe.min.js is injected into
the page; nothing is fetched from a CDN). Critical and serious violations fail the test unless
they are listed in ALLOWED with the reason they cannot be fixed in this app.
"""

from __future__ import annotations


from tests.e2e.conftest import wait_for_script

# rule id -> why it is accepted (only for markup Streamlit or Leaflet generate, not ours)
ALLOWED: dict[str, str] = {}


def nav_links(session) -> list[tuple[str, str]]:
    """(label, href) of every page in the sidebar navigation, as users see it."""
    page = session.page
    page.goto(session.url + "/")
    wait_for_script(page)
    links = page.locator('[data-testid="stSidebarNav"] a')
    links.first.wait_for(timeout=60_000)
    # the link text starts with the icon's ligature name ("map"); the title is the last line
    return [(a.inner_text().strip().splitlines()[-1], a.get_attribute("href")) for a in links.all()]


def blocking_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    found = []
    for v in results.response["violations"]:
        if v["impact"] in ("critical", "serious") and v["id"] not in ALLOWED:
            targets = "; ".join(str(n["target"]) for n in v["nodes"][:5])
            found.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']} — {targets}")
    return found


def test_every_page_loads_without_exception_and_passes_axe(session):
    page = session.page
    links = nav_links(session)
    assert len(links) >= 4, links
    problems = {}
    for label, href in links:
        page.goto(href)
        wait_for_script(page)
        page.locator("h1").first.wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        errors = page.locator('[data-testid="stException"]')
        assert errors.count() == 0, f"{label}: {errors.first.inner_text()}"
        assert not session.page_errors, f"{label}: {session.page_errors}"
        violations = blocking_violations(page)
        if violations:
            problems[label] = violations
    assert not problems, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in problems.items())
