"""Every page a person can reach holds at phone width (390 px) and passes axe-core.

For the demo PM, the demo leader and a brand-new organisation's admin, the test starts at
home and follows same-origin links breadth first, visiting one page of each kind (ids in the
path replaced, so pages added later are checked without naming them). On each page: no
horizontal overflow, and no serious or critical axe-core violation. One failure lists every
page and what is wrong with it; a summary and a screenshot of each page go to
test-artifacts/every-page/<role>/.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "every-page"
WIDTH = 390
SERIOUS = {"serious", "critical"}

# Links that leave the HTML app, download a file, or act (sign out, delete) are not followed.
SKIP_PATH = re.compile(
    r"^/(logout|api/|admin/|static/|media/)|/(delete|erase|revoke|discard|export)/?$|"
    r"\.(pdf|csv|md|json|ics|yaml|xlsx|zip)$|/(pdf|download|export)(/|$)"
)

# The element(s) that stick out past the viewport and are not inside a region that scrolls.
OVERFLOW_JS = """(vw) => {
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o !== 'visible') return true;
    }
    return false;
  };
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (typeof el.className === 'string' && el.className.trim())
      s += '.' + el.className.trim().split(/\\s+/).join('.');
    return s;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1 || clipped(el)) continue;
    if (out.some((o) => o.el.contains(el))) continue;
    out.push({el, text: name(el) + ' ' + Math.round(r.right) + ' px'});
  }
  // An absolutely placed element can escape a scrolling region whose box is not positioned.
  if (!out.length) for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 && !out.some((o) => o.el.contains(el))) out.push({el, text: name(el) + ' ' + Math.round(r.right) + ' px'});
  }
  return {width: document.documentElement.scrollWidth, culprits: out.slice(0, 3).map((o) => o.text)};
}"""


def pattern(url: str) -> str:
    """One key per kind of page: ids and tokens in the path become {id}."""
    parsed = urlparse(url)
    path = re.sub(r"/\d+(?=/|$|\.)", "/{id}", parsed.path)
    path = re.sub(r"/(r|invite)/[^/]+/", r"/\1/{token}/", path)
    keys = sorted({part.split("=")[0] for part in parsed.query.split("&") if part})
    return path + ("?" + "&".join(keys) if keys else "")


def links(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))"
    )
    found = []
    for href in hrefs:
        parsed = urlparse(href)
        if parsed.netloc or parsed.scheme or not parsed.path.startswith("/"):
            continue
        if SKIP_PATH.search(parsed.path):
            continue
        found.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return found


def check(page: Any, axe_source: str) -> list[str]:
    """What is wrong with the page now open: overflow at 390 px and serious axe violations."""
    problems = []
    overflow = page.evaluate(OVERFLOW_JS, WIDTH)
    if overflow["width"] > WIDTH:
        problems.append(f"{overflow['width']} px wide: " + "; ".join(overflow["culprits"]))
    # The app's CSP refuses inline scripts, which add_script_tag would add; evaluating the
    # source through the DevTools protocol is not subject to it.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    for v in result["violations"]:
        if v["impact"] in SERIOUS:
            targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
            problems.append(f"axe {v['id']} ({v['impact']}) ×{len(v['nodes'])}: {targets}{more}")
    return problems


def crawl(
    page: Any, role: str, axe_source: str, times: list[tuple[str, float, float]]
) -> dict[str, list[str]]:
    """Every kind of page reachable from home, each checked once: {url: problems}. Seconds
    per page (checks, screenshot) go to `times`, to see where the crawl's time goes."""
    report: dict[str, list[str]] = {}
    seen = {pattern("/")}
    queue = ["/"]
    while queue:
        url = queue.pop(0)
        response = page.goto(page.base + url)
        if response is None or response.status >= 400 or not page.url.startswith(page.base):
            report[url] = [f"answered {response.status if response else 'nothing'}"]
            continue
        t0 = time.monotonic()
        report[url] = check(page, axe_source)
        t1 = time.monotonic()
        name = re.sub(r"[^a-z0-9]+", "-", pattern(url).lower()).strip("-") or "home"
        # The whole page where something is wrong; the first screen elsewhere, which is quicker.
        shot = ARTIFACTS / role / f"{name}.png"
        page.screenshot(path=str(shot), full_page=bool(report[url]))
        times.append((url, t1 - t0, time.monotonic() - t1))
        for link in links(page):
            if pattern(link) not in seen:
                seen.add(pattern(link))
                queue.append(link)
    return report


# Who signs in, and the fewest kinds of page their crawl must reach. One test per role, so
# the test workers share the crawl (the three took two minutes in one test).
ROLES = {"pm": 15, "leader": 40, "new-admin": 0}


def credentials(role: str) -> tuple[str, str]:
    from leadshift.demo import DEMO_PASSWORD, LEADER_EMAIL, PM_EMAIL
    from leadshift.people.services import do_create_organisation

    if role == "pm":
        return PM_EMAIL, DEMO_PASSWORD
    if role == "leader":
        return LEADER_EMAIL, DEMO_PASSWORD
    do_create_organisation(
        name="Brand New Ltd",
        admin_name="Nadia Admin",
        admin_email="nadia@brandnew.example",
        password="s3cret-pass!",
    )
    return "nadia@brandnew.example", "s3cret-pass!"


@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_page_holds_at_390_px_and_passes_axe(
    role, browser, live_server, task_worker, demo
):
    email, password = credentials(role)
    shutil.rmtree(ARTIFACTS / role, ignore_errors=True)
    (ARTIFACTS / role).mkdir(parents=True)
    context = browser.new_context(viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.base = live_server.url
    sign_in(page, email, password)
    times: list[tuple[str, float, float]] = []
    report = crawl(page, role, AXE.read_text(), times)
    context.close()

    summary = {
        "pages": len(report),
        "overflowing": sum(any(" px wide" in p for p in ps) for ps in report.values()),
        "axe_serious": sum(1 for ps in report.values() for p in ps if p.startswith("axe ")),
        "problems": {url: ps for url, ps in report.items() if ps},
    }
    (ARTIFACTS / role / "summary.json").write_text(json.dumps(summary, indent=2))
    (ARTIFACTS / role / "times.json").write_text(json.dumps(times, indent=2))
    assert summary["pages"] >= ROLES[role]
    failures = [f"{role} {url}: {p}" for url, ps in report.items() for p in ps]
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
