"""What both browser checks share: a headless Chromium driven by Selenium, and small helpers that fail with a message.

Import it, then call `start(sys.argv[1])` once; `driver` and `base` are set for the helpers.
"""
import os
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

driver = None
base = ""


def start(url, page_load_timeout=30):
    """Starts headless Chromium (Debian's chromium and chromium-driver) for the server at `url`."""
    global driver, base
    base = url.rstrip("/")
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,1000"]:
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(page_load_timeout)
    return driver


def sign_in(email, password="demo-password"):
    """Signs in through the sign-in form as a person does and waits until the page after it opened."""
    go("/login")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit], form button").click()
    wait(lambda d: "/login" not in d.current_url, f"sign-in as {email} failed")


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def go(path):
    driver.get(base + path)


def body():
    return driver.find_element(By.TAG_NAME, "body").text


def wait(predicate, message, timeout=20):
    """Waits until `predicate` holds.

    A page still loading counts as not yet: Chromium may answer a command sent mid-navigation with a stale or
    missing element, a detached frame or a renderer time-out, and any of these only means "ask again". The last
    such answer is kept so a real failure says what the browser last said.
    """
    started = time.monotonic()
    last_error = None
    while True:
        try:
            if predicate(driver):
                return
        except WebDriverException as error:
            last_error = error
        if time.monotonic() - started > timeout:
            break
        time.sleep(0.25)
    said = f"\nthe browser last answered: {type(last_error).__name__}: {str(last_error).splitlines()[0] if str(last_error) else ''}" if last_error else ""
    try:
        text = body()[:800]
    except WebDriverException as error:
        text = f"(the page could not be read: {type(error).__name__})"
    raise AssertionError(f"{message} after {time.monotonic() - started:.0f} s (on {driver.current_url}){said}\n{text}")


def wait_gone(element, message="the page did not change", timeout=15):
    """Waits until `element` is no longer in the document (the page it was on has been replaced).

    Chromium may answer a look at an element of a page being replaced with "stale element" or, mid-navigation, with
    an inspector error ("Node with given id does not belong to the document"): both mean it is gone.
    """
    def gone(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException as error:
            return "stale element" in str(error).lower() or "does not belong to the document" in str(error) \
                or type(error).__name__ == "StaleElementReferenceException"
    wait(gone, message, timeout)


def fetch(url):
    """GETs `url` (absolute, or a path of the server) with the browser's session cookie; answers urllib's response,
    or raises urllib.error.HTTPError for a refusal."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    address = url if url.startswith("http") else base + url
    return urllib.request.urlopen(urllib.request.Request(address, headers={"Cookie": cookies}), timeout=30)


def upload_attachment(name, content):
    """Uploads `content` as file `name` through the page's files section (#attachments), waits until the page lists
    it, and answers its download address."""
    path = os.path.join(tempfile.mkdtemp(), name)
    with open(path, "wb") as f:
        f.write(content)
    driver.find_element(By.CSS_SELECTOR, "#attachments input[type=file]").send_keys(path)
    button = driver.find_element(By.CSS_SELECTOR, "#attachments form.upload button[type=submit]")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()

    def listed(d):
        return any(a.text == name for a in d.find_elements(By.CSS_SELECTOR, "#attachments ul a"))
    wait(listed, f"{name} is not listed after the upload", timeout=30)
    return next(a for a in driver.find_elements(By.CSS_SELECTOR, "#attachments ul a") if a.text == name).get_attribute("href")


def printed_pages(width_cm, height_cm):
    """Prints the current page to PDF as Chromium does (Page.printToPDF) and counts its pages. A page without any
    text (a blank page, or one holding only a frame or a stray rule) fails the check that prints."""
    import base64
    import io
    from pypdf import PdfReader
    from selenium.webdriver.common.print_page_options import PrintOptions
    options = PrintOptions()
    options.page_width = width_cm
    options.page_height = height_cm
    options.background = True
    data = base64.b64decode(driver.print_page(options))
    pages = PdfReader(io.BytesIO(data)).pages
    empty = [n + 1 for n, page in enumerate(pages) if not (page.extract_text() or "").strip()]
    check(not empty, f"printed page(s) {empty} of {len(pages)} have no content")
    return len(pages)
