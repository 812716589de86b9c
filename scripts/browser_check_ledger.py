#!/usr/bin/env python3
"""Reads the budget ledger (予算管理表) in a real headless Chromium (Selenium + chromedriver) against a running demo
server, and checks its sums against the API's.

Usage: python3 scripts/browser_check_ledger.py http://127.0.0.1:PORT
As the demo PMO (Japanese): the project menu leads to the ledger; it has a table for each of the demo's two fiscal
years whose totals are the API's, a revised development line, two orders with their
acceptance and payment months, and the estimates of both vendors; on a phone (390 px) the tables scroll inside their
boxes, not the page. As the CIO (a viewer granted the commercial right, English): the same ledger in English. As the
Aoba lead (a vendor, English): only Aoba's order and estimates, no budget and nothing of 楓's. Exits non-zero, naming
the step, on the first failure.
"""
import json
import sys
import urllib.request

from selenium.webdriver.common.by import By

import browser_support
from browser_support import body, check, go, wait

base = sys.argv[1].rstrip("/")
driver = browser_support.start(base, page_load_timeout=90)
step = "start"


def api_ledger(email):
    request = urllib.request.Request(base + "/api/v1/tokens", method="POST",
                                     data=json.dumps({"email": email, "password": "demo-password", "name": "ledger check"}).encode(),
                                     headers={"Content-Type": "application/json"})
    token = json.load(urllib.request.urlopen(request))["token"]
    request = urllib.request.Request(base + "/api/v1/projects/CRM/ledger", headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(request))


def yen(n):
    return ("-" if n < 0 else "") + f"{abs(n):,}"


def total_cells(year):
    # Each cell's first line is the amount before tax; ordered and paid have the amount with tax under it.
    cells = driver.find_elements(By.CSS_SELECTOR, f"#ledger-fy{year} tr.total th.num")
    return [c.text.strip().split("\n")[0] for c in cells]


try:
    ledger = api_ledger("pmo@demo.pmo")
    years = [y["fiscalYear"] for y in ledger["years"]]
    check(len(years) == 2, f"the demo's ledger has {len(years)} fiscal years, not 2")

    step = "sign in (Japanese) and open the ledger from the project menu"
    browser_support.sign_in("pmo@demo.pmo")
    go("/projects/CRM")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "nav.project a[href='/projects/CRM/ledger']"), "the project menu has no ledger entry")
    driver.find_element(By.CSS_SELECTOR, "nav.project a[href='/projects/CRM/ledger']").click()
    wait(lambda d: d.find_elements(By.ID, f"ledger-fy{years[0]}"), "the ledger did not open")
    check("予算管理表" in body() and f"{years[0]}年度" in body(), "the ledger is not in Japanese")

    step = "each fiscal year's totals are the API's"
    for y in ledger["years"]:
        expected = [yen(y[k]) for k in ("budget", "estimated", "ordered", "accepted", "paid", "remaining", "forecast", "variance")]
        shown = total_cells(y["fiscalYear"])
        check(shown == expected, f"FY{y['fiscalYear']} totals on the page {shown} are not the API's {expected}")
        total = driver.find_element(By.CSS_SELECTOR, f"#ledger-fy{y['fiscalYear']} tr.total").text
        check(yen(y["orderedIncludingTax"]) in total and yen(y["paidIncludingTax"]) in total,
              f"FY{y['fiscalYear']} totals lack the amounts with tax")
    first = ledger["years"][0]["rows"][0]
    check(first["budget"] != [l for l in ledger["lines"] if l["number"] == first["line"]][0]["original"],
          "the first line's budget shows no revision")

    step = "orders, milestones and estimates"
    orders = driver.find_elements(By.CSS_SELECTOR, "#ledger-orders > .table-wrap:first-of-type tbody tr")
    check(len(orders) == len(ledger["orders"]) == 2, f"{len(orders)} orders on the page")
    milestones = driver.find_elements(By.CSS_SELECTOR, "#ledger-milestones tbody tr")
    check(len(milestones) == sum(len(o["milestones"]) for o in ledger["orders"]), "the milestones do not match the API's")
    check("楓システムズ" in body() and "請負" in body() and "準委任" in body(), "the orders lack their vendors or contract types")
    estimates = driver.find_elements(By.CSS_SELECTOR, "#ledger-estimates tbody tr")
    check(len(estimates) == len(ledger["estimates"]) == 5, f"{len(estimates)} estimates on the page")

    step = "on a phone the tables scroll inside their boxes"
    driver.set_window_size(390, 900)
    go("/projects/CRM/ledger")
    wait(lambda d: d.find_elements(By.ID, f"ledger-fy{years[0]}"), "the ledger did not open on a phone")
    page_width = driver.execute_script("return document.documentElement.scrollWidth")
    check(page_width <= 400, f"the page is {page_width} px wide on a 390 px phone")
    driver.set_window_size(1440, 1000)

    step = "the CIO reads it in English"
    driver.delete_all_cookies()
    browser_support.sign_in("exec@demo.pmo")
    go("/projects/CRM/ledger")
    wait(lambda d: d.find_elements(By.ID, f"ledger-fy{years[0]}"), "the CIO's ledger has no fiscal year")
    check("Budget ledger" in body() and f"FY{years[0]}" in body() and "Remaining" in body(), "the CIO's ledger is not in English")
    check(total_cells(years[0])[0] == yen(ledger["years"][0]["budget"]), "the CIO's budget differs from the PMO's")

    step = "a vendor sees its own order only"
    driver.delete_all_cookies()
    browser_support.sign_in("aoba.lead@demo.pmo")
    go("/projects/CRM/ledger")
    wait(lambda d: d.find_elements(By.ID, "ledger-orders"), "Aoba's ledger has no orders")
    check(not driver.find_elements(By.ID, f"ledger-fy{years[0]}"), "Aoba sees a budget table")
    check("楓システムズ" not in body() and yen(ledger["years"][0]["budget"]) not in body(), "Aoba sees 楓's amounts or the budget")
    aoba = api_ledger("aoba.lead@demo.pmo")
    check(len(aoba["orders"]) == 1 and not aoba["lines"] and not aoba["years"], "Aoba's API answer holds more than its own order")
    print("browser check of the budget ledger: OK")
except Exception as error:
    print(f"browser check of the budget ledger failed at step '{step}': {error}", file=sys.stderr)
    try:
        driver.save_screenshot("/tmp/browser_check_ledger_failure.png")
    except Exception:
        pass
    sys.exit(1)
finally:
    driver.quit()
