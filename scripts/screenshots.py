"""Screenshots of every workbench page (`make screenshots`), with a check of the right-to-left
layout: the page is dir=rtl and the brand sits at the right edge, the claims list beside the
article text on its left.

    python scripts/screenshots.py [--out screenshots/]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="screenshots")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    from raqib.web import demo
    from raqib.web.browser import browser, running_app

    problems = []
    with tempfile.TemporaryDirectory() as d:
        db = str(Path(d) / "demo.db")
        demo.build(db, password="screenshot-pass")
        with running_app(db) as base, browser() as b:
            page = b.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "/search?q=دوما")
            article = page.locator(".results a.title").first.get_attribute("href")
            page.goto(base + article)
            cluster = page.locator("a.cluster-link").first.get_attribute("href")
            # log in as the demo editor for the editor pages
            shots = [("search", "/search?q=دوما"), ("home", "/"), ("article", article), ("cluster", cluster),
                     ("entity", "/entities/org:ru-mod"), ("events", "/events"), ("analyze", "/analyze"),
                     ("login", "/login"), ("article-en", article + "?lang=en")]
            for name, url in shots:
                page.goto(base + url)
                if name == "events":
                    page.wait_for_selector("#map[data-ready] svg circle", timeout=10_000)
                page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                problems += [f"{name}: {p}" for p in rtl_problems(page, expect_rtl=not name.endswith("-en"))]
                page.goto(base + "/lang/ar?next=/") if name.endswith("-en") else None
            page.goto(base + "/login")
            page.fill("input[name=name]", "editor")
            page.fill("input[name=password]", "screenshot-pass")
            page.click("form.login button")
            page.goto(base + "/corrections")
            page.screenshot(path=str(out / "corrections.png"), full_page=True)
            problems += [f"corrections: {p}" for p in rtl_problems(page, True)]
    for p in problems:
        print("RTL check:", p, file=sys.stderr)
    print(f"{len(list(out.glob('*.png')))} screenshots in {out}/; RTL problems: {len(problems)}", file=sys.stderr)
    return 1 if problems else 0


def rtl_problems(page, expect_rtl: bool) -> list[str]:
    """What is wrong with the page's direction: <html dir>, the brand's side, the article layout."""
    out = []
    d = page.evaluate("document.documentElement.dir")
    if d != ("rtl" if expect_rtl else "ltr"):
        out.append(f"html dir is {d!r}")
    width = page.evaluate("document.documentElement.clientWidth")
    brand = page.locator("header .brand").bounding_box()
    if brand and expect_rtl and brand["x"] < width / 2:
        out.append("the brand is not on the right")
    if brand and not expect_rtl and brand["x"] > width / 2:
        out.append("the brand is not on the left")
    art, side = page.locator("article.article"), page.locator("aside.side")
    if art.count() and side.count():
        a, s = art.first.bounding_box(), side.first.bounding_box()
        if expect_rtl and not a["x"] > s["x"]:
            out.append("the article text is not right of the claims list")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
