"""Walks every kind of page of a demo server in headless Chromium, as PMO, vendor and viewer, at 1440 and 390 px (the
viewer at 390 px only), in Japanese and English, and reports what a user would see wrong.

Usage: python3 scripts/page_walk.py http://127.0.0.1:PORT [--shots DIR] [--report-only]

Pages are found by following the links of the pages themselves (from /projects, /work, /portfolio, /settings), one
page per kind: numbers and ids in a path are one kind (`/projects/CRM/risks/3` and `/projects/CRM/risks/5` are
`/projects/{}/risks/{}`). Downloads (paths with a file extension) and sign-out are not followed.

Fails (exit 1) when:
- a page answers 5xx, or a link on a page leads to 403 or 404;
- at 390 px the page scrolls sideways;
- a card, table cell or definition's content overflows its box sideways (elements meant to scroll, such as the
  Gantt, are exempt: anything inside an element with overflow-x auto or scroll);
- a Japanese page shows a product code in its visible text: a dotted or snake_case identifier (`link.blocks`,
  `specification_change`), or one of the product's own status and choice codes (`open`, `in_progress`, `budget`:
  every lower-case enum value of the served OpenAPI document) standing as a word of its own. What users typed in
  the demo is Japanese, so it does not trip this.

Error pages are looked at too: a missing item, and up to three pages the PMO sees that the vendor or viewer may not
(their 403 page).
"""
import http.cookiejar
import re
import sys
import urllib.error
import urllib.request
from collections import deque
from urllib.parse import urljoin, urlparse

import browser_support as b
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

USERS = [("pmo@demo.pmo", "pmo"), ("kaede.lead@demo.pmo", "vendor"), ("exec@demo.pmo", "viewer")]
PASSWORD = "demo-password"
STARTS = ["/projects", "/work", "/portfolio", "/settings"]
MAX_PAGES = 150
MISSING_ITEM = "/projects/CRM/risks/999999"
ID = re.compile(r"^(\d+|[0-9a-fA-F-]{36}|[A-Z]\d+)$")
CODE = re.compile(r"(?<![\w./@-])([a-z]+(?:[._][a-z]+)+)(?![\w/@-])")
# A code word stands alone: not a word of an English sentence someone typed ("no critical defects open").
WORD = re.compile(r"(?<![\w./@-])(?<![A-Za-z,] )([a-z]+)(?![\w/@-])(?! [A-Za-z])")

# What the page checks in the browser: sideways scroll, and boxes whose content does not fit.
OVERFLOW_JS = """
const out = {sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth, boxes: []};
function scrolls(el) {
  for (let p = el; p && p !== document.body; p = p.parentElement) {
    const x = getComputedStyle(p).overflowX;
    if (x === 'auto' || x === 'scroll') return true;
  }
  return false;
}
for (const el of document.querySelectorAll('.card, td, th, dd, dt, section, main, header, nav, form, label')) {
  if (el.offsetParent === null) continue;
  if (el.scrollWidth > el.clientWidth + 1 && !scrolls(el)) {
    const name = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '');
    out.boxes.push(name + ' (' + el.scrollWidth + ' > ' + el.clientWidth + '): ' + el.innerText.trim().slice(0, 60));
  }
}
return out;
"""


def page_lang(driver):
    """The page's language, or None while the browser is between pages."""
    try:
        return driver.execute_script("return document.documentElement.lang")
    except WebDriverException:
        return None


def api_enum_words(base):
    """The product's own status and choice codes (`open`, `in_progress`, `budget`…): every lower-case string enum of
    the served OpenAPI document. On a Japanese page they must appear as their labels, never as themselves."""
    import json
    with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=30) as response:
        document = json.load(response)
    words = set()

    def walk(node):
        if isinstance(node, dict):
            for value in node.get("enum", []):
                if isinstance(value, str) and value.islower():
                    words.add(value)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(document)
    return words - {"ja", "en"}


def kind_of(path_and_query):
    parsed = urlparse(path_and_query)
    parts = ["{}" if ID.match(p) else p for p in parsed.path.split("/")]
    query = "&".join(sorted(q.split("=")[0] for q in parsed.query.split("&") if q))
    return "/".join(parts) + ("?" + query if query else "")


def followable(href, base):
    parsed = urlparse(href)
    if parsed.scheme not in ("http", "https") or parsed.netloc != urlparse(base).netloc:
        return False
    last = parsed.path.rsplit("/", 1)[-1]
    return "." not in last and parsed.path not in ("/logout", "/login")


class Walker:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.failures = []
        self.enum_words = api_enum_words(self.base)

    def fail(self, message):
        self.failures.append(message)

    def set_locale(self, locale):
        """Sets the signed-in user's language on the settings page, as a user would."""
        b.go("/settings")
        Select(b.driver.find_element(By.NAME, "locale")).select_by_value(locale)
        b.driver.find_element(By.NAME, "locale").find_element(By.XPATH, "ancestor::form").find_element(By.CSS_SELECTOR, "button").click()
        b.wait(lambda drv: page_lang(drv) == locale, f"the language did not become {locale}")

    def sign_in(self, email):
        d = b.driver
        d.delete_all_cookies()
        b.go("/login")
        d.find_element(By.NAME, "email").send_keys(email)
        d.find_element(By.NAME, "password").send_keys(PASSWORD)
        d.find_element(By.CSS_SELECTOR, "form button").click()
        b.wait(lambda drv: "/login" not in drv.current_url, f"{email} could not sign in")

    def status(self, path):
        """The status of a GET with the browser's cookies (Selenium does not say)."""
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in b.driver.get_cookies())
        req = urllib.request.Request(self.base + path, headers={"Cookie": cookies})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            return opener.open(req, timeout=30).status
        except urllib.error.HTTPError as e:
            return e.code

    def discover(self, role):
        """Every kind of page reachable from the menus, as the signed-in user."""
        seen, pages = set(), []
        queue = deque((p, "menu") for p in STARTS)
        while queue and len(pages) < MAX_PAGES:
            path, found_on = queue.popleft()
            kind = kind_of(path)
            if kind in seen:
                continue
            seen.add(kind)
            status = self.status(path)
            if status >= 500:
                self.fail(f"[{role}] {path} answers {status} (linked from {found_on})")
                continue
            if status in (403, 404):
                self.fail(f"[{role}] {path} answers {status}, yet {found_on} links to it")
                continue
            if status != 200:
                continue
            b.go(path)
            pages.append(path)
            for a in b.driver.find_elements(By.CSS_SELECTOR, "a[href]"):
                href = a.get_attribute("href") or ""
                if followable(href, self.base):
                    parsed = urlparse(href)
                    target = parsed.path + ("?" + parsed.query if parsed.query else "")
                    if kind_of(target) not in seen:
                        queue.append((target, path))
        return pages

    def look(self, role, lang, width, path, shots):
        d = b.driver
        b.go(path)
        where = f"[{role} {lang} {width}px] {path}"
        result = d.execute_script(OVERFLOW_JS)
        if width <= 400 and result["sideways"] > 1:
            self.fail(f"{where}: the page scrolls sideways by {result['sideways']} px")
        for box in result["boxes"][:5]:
            self.fail(f"{where}: content overflows its box: {box}")
        if lang == "ja":
            text = b.body()
            found = set(CODE.findall(text)) | (set(WORD.findall(text)) & self.enum_words)
            for code in sorted(found):
                self.fail(f"{where}: a product code shows as text: {code}")
        if shots:
            name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "root"
            d.save_screenshot(f"{shots}/{role}-{lang}-{width}-{name}.png")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Answers a redirect as it is (its own status), instead of following it."""

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def main():
    args = sys.argv[1:]
    base = args[0]
    shots = args[args.index("--shots") + 1] if "--shots" in args else None
    walker = Walker(base)
    b.start(base)
    visited = 0
    first_pages = None
    try:
        for email, role in USERS:
            walker.sign_in(email)
            pages = walker.discover(role)
            print(f"{role}: {len(pages)} kinds of page")
            # Error pages are pages too: a missing item, and pages the first user sees that this one may not.
            errors = [MISSING_ITEM]
            if first_pages is not None:
                errors += [p for p in first_pages if p not in pages and walker.status(p) == 403][:3]
            first_pages = first_pages or pages
            pages = pages + errors
            for lang in ("ja", "en"):
                walker.set_locale(lang)
                # The viewer's pages are the PMO's with fewer controls: a phone's width shows what overflows for it,
                # and the wide screen is left to the other two (it keeps CI's walk near ten minutes).
                for width in ((390,) if role == "viewer" else (1440, 390)):
                    b.driver.set_window_size(width, 1000)
                    for path in pages:
                        walker.look(role, lang, width, path, shots)
                        visited += 1
            walker.set_locale("ja")
    finally:
        b.driver.quit()
    print(f"page walk: {visited} page views")
    if walker.failures:
        print(f"page walk FAILED ({len(walker.failures)}):")
        for f in walker.failures:
            print("  " + f)
        if "--report-only" not in args:
            sys.exit(1)
    else:
        print("page walk passed: no 5xx, no link to 403/404, no sideways scroll at 390 px, no overflowing box, "
              "no product code on a Japanese page")


if __name__ == "__main__":
    main()
