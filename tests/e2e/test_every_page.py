"""Every page a person can reach holds at phone width (390 px) and passes axe-core.

For the demo PM, the demo leader and a brand-new organisation's admin, the test starts at
home and follows same-origin links breadth first, visiting one page of each kind (ids in the
path replaced, so pages added later are checked without naming them). On each page: no
horizontal overflow, and no serious or critical axe-core violation. One failure lists every
page and what is wrong with it; a summary and a screenshot of each page go to
test-artifacts/every-page/<role>-<part>of<parts>/.

A role's crawl is split in parts, one test each, so the test workers share it: every part
finds the same pages (the same links from the same demo), and checks in the browser only the
kinds of page that fall to it (a fixed hash of the kind); the others it reads as HTML for
their links, without laying them out or running axe.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import zlib
from html.parser import HTMLParser
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
    return followed(
        page.eval_on_selector_all(
            "a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))"
        )
    )


class _Hrefs(HTMLParser):
    """The hrefs of `a[href]:not([download])` in a page's HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "a" and named.get("href") is not None and "download" not in named:
            self.hrefs.append(str(named["href"]))


def fetched_links(page: Any, url: str) -> list[str]:
    """The links of a page read over HTTP with the browser's session, not laid out. Its
    checks are another part's, which also reports it if it does not answer."""
    response = page.request.get(page.base + url)
    if not response.ok or not response.url.startswith(page.base):
        return []
    parser = _Hrefs()
    parser.feed(response.text())
    return followed(parser.hrefs)


def followed(hrefs: list[str]) -> list[str]:
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


def part_of(url: str, parts: int) -> int:
    return zlib.crc32(pattern(url).encode()) % parts


def crawl(
    page: Any,
    folder: Path,
    axe_source: str,
    times: list[tuple[str, float, float]],
    part: tuple[int, int] = (0, 1),
) -> tuple[dict[str, list[str]], int]:
    """Every kind of page reachable from home, those of this part (`part` of `parts`) each
    checked once: ({url: problems}, how many kinds of page the crawl found in all). Seconds
    per page (checks, screenshot) go to `times`, to see where the crawl's time goes."""
    mine, parts = part
    report: dict[str, list[str]] = {}
    seen = {pattern("/")}
    queue = ["/"]
    while queue:
        url = queue.pop(0)
        if part_of(url, parts) != mine:
            for link in fetched_links(page, url):
                if pattern(link) not in seen:
                    seen.add(pattern(link))
                    queue.append(link)
            continue
        response = page.goto(page.base + url)
        if response is None or response.status >= 400 or not page.url.startswith(page.base):
            report[url] = [f"answered {response.status if response else 'nothing'}"]
            continue
        t0 = time.monotonic()
        report[url] = check(page, axe_source)
        t1 = time.monotonic()
        name = re.sub(r"[^a-z0-9]+", "-", pattern(url).lower()).strip("-") or "home"
        # The whole page where something is wrong; the first screen elsewhere, which is quicker.
        shot = folder / f"{name}.png"
        page.screenshot(path=str(shot), full_page=bool(report[url]))
        times.append((url, t1 - t0, time.monotonic() - t1))
        for link in links(page):
            if pattern(link) not in seen:
                seen.add(pattern(link))
                queue.append(link)
    return report, len(seen)


# Who signs in, and the fewest kinds of page their crawl must reach. One test per role and
# part, so the test workers share the crawl (the three took two minutes in one test).
ROLES = {"pm": 15, "leader": 40, "new-admin": 0}
# And in how many parts (tests) their pages are checked: the leader's whole crawl, 77 kinds
# of page, took 82 s in one test, the longest of the suite, which a worker could be left
# running alone at the end.
PARTS = {"pm": 2, "leader": 3, "new-admin": 2}
CASES = [(role, k, PARTS[role]) for role in ROLES for k in range(PARTS[role])]


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


@pytest.mark.parametrize(
    ("role", "part", "parts"), CASES, ids=[f"{r}-{k + 1}of{n}" for r, k, n in CASES]
)
def test_every_reachable_page_holds_at_390_px_and_passes_axe(
    role, part, parts, browser, live_server, task_worker, demo
):
    email, password = credentials(role)
    folder = ARTIFACTS / f"{role}-{part + 1}of{parts}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context = browser.new_context(viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.base = live_server.url
    sign_in(page, email, password)
    times: list[tuple[str, float, float]] = []
    report, found = crawl(page, folder, AXE.read_text(), times, (part, parts))
    context.close()

    summary = {
        "found": found,
        "pages": len(report),
        "overflowing": sum(any(" px wide" in p for p in ps) for ps in report.values()),
        "axe_serious": sum(1 for ps in report.values() for p in ps if p.startswith("axe ")),
        "problems": {url: ps for url, ps in report.items() if ps},
    }
    (folder / "summary.json").write_text(json.dumps(summary, indent=2))
    (folder / "times.json").write_text(json.dumps(times, indent=2))
    assert found >= ROLES[role]
    failures = [f"{role} {url}: {p}" for url, ps in report.items() for p in ps]
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
