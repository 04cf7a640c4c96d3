"""The workbench driven in headless Chromium (Debian's chromium through Playwright; `make test`
installs it): search, open an article, see its highlighted claims, open a cluster, submit a
correction, log in as an editor, accept it, see the record changed and the audit entry, add a
verdict and export ClaimReview; every page is right to left."""
from __future__ import annotations

import json

import pytest

from raqib.web.browser import chromium_path

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="no Chromium: `make browser-deps` installs it")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from raqib.web import demo
    from raqib.web.browser import browser, running_app
    db = str(tmp_path_factory.mktemp("browser") / "demo.db")
    demo.build(db, password="browser-pass-1")
    with running_app(db) as base, browser() as b:
        yield base, b


def test_fact_checker_workflow(site):
    base, b = site
    page = b.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # search
    page.goto(base + "/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.fill("#q", "دوما")
    page.click("form.search button[type=submit]")
    assert int(page.inner_text("#n-articles .count")) >= 3
    page.click(".results a.title >> text=موسكو: هجوم دوما مسرحية")

    # the article, its highlighted claims; a click on a claim marks its words
    page.wait_for_selector("#body .hl.c-content")
    assert page.locator("#body .hl.c-cue").count() >= 1
    brand, side, art = (page.locator(s).bounding_box() for s in ("header .brand", "aside.side", "article.article"))
    assert brand["x"] > 640 and art["x"] > side["x"]          # right to left: text on the right, claims beside
    page.click(".claim-item >> nth=0")
    assert page.locator("#body .hl.active").count() >= 1
    page.wait_for_selector(".claim-item >> nth=0 >> .cluster-box")          # its cluster, inline
    assert "وزارة الدفاع الروسية" in page.inner_text(".claim-item >> nth=0 >> .cluster-box")
    stance_before = page.inner_text(".claim-item >> nth=0 >> .stance")

    # its cluster: who said it first, who relayed it, what contradicts it
    page.click(".claim-item >> nth=0 >> a.cluster-link")
    page.wait_for_selector("#cluster")
    assert "وزارة الدفاع الروسية" in page.inner_text("#cluster")
    assert page.locator("#contradicting .claim-card").count() >= 1
    cluster_url = page.url

    # a reader sends a correction of the first claim's stance
    page.goto(base + "/articles/ru-mod-1")
    page.select_option("#target", "claim:C1")
    page.select_option("#field", "stance")
    new_stance = "accuse" if stance_before != "accuse" else "deny"
    page.fill("#value", new_stance)
    page.fill("textarea[name=message]", "الوزارة تتهم ولا تنفي فقط")
    page.click("form.correction button")
    assert "sent=" in page.url and page.locator("#sent").count() == 1

    # an editor logs in, accepts it, and the record changes with an audit entry
    page.goto(base + "/login")
    page.fill("input[name=name]", "editor")
    page.fill("input[name=password]", "browser-pass-1")
    page.click("form.login button")
    page.goto(base + "/corrections")
    row = page.locator("tr[id^=correction-]").first
    assert new_stance in row.inner_text()
    row.locator("input[name=reason]").first.fill("checked against the statement")
    row.locator("button.accept").click()
    page.wait_for_selector("#audit")
    assert "accept correction" in page.inner_text("#audit")
    page.goto(base + "/articles/ru-mod-1")
    assert page.inner_text(".claim-item >> nth=0 >> .stance") == new_stance

    # a verdict on the cluster, exported as ClaimReview
    page.goto(cluster_url)
    page.select_option("select[name=rating]", "false")
    page.fill("input[name=summary]", "OPCW found chlorine use in Douma")
    page.fill("input[name=url]", "https://example.org/checks/douma")
    page.click(".verdict-form button")
    assert "false" in page.inner_text("#verdicts")
    docs = json.loads(page.request.get(base + "/export/claimreview").text())
    doc = next(d for d in docs if d["url"] == "https://example.org/checks/douma")
    assert doc["@type"] == "ClaimReview" and doc["reviewRating"]["alternateName"] == "false"

    # the events map draws offline
    page.goto(base + "/events")
    page.wait_for_selector("#map[data-ready] svg circle.event", timeout=10_000)
    assert page.locator("#map svg path.country").count() >= 10
    assert not errors, errors
