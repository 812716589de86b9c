"""What both browser checks share: a headless Chromium driven by Selenium, and small helpers that fail with a message.

Import it, then call `start(sys.argv[1])` once; `driver` and `base` are set for the helpers.
"""
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

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


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def go(path):
    driver.get(base + path)


def body():
    return driver.find_element(By.TAG_NAME, "body").text


def wait(predicate, message, timeout=20):
    """Waits until `predicate` holds; a page still loading (stale or missing elements) counts as not yet."""
    try:
        WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(predicate)
    except Exception:
        raise AssertionError(f"{message} (on {driver.current_url})\n{body()[:800]}")
