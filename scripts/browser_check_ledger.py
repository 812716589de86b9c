#!/usr/bin/env python3
"""Reads the budget ledger (予算管理表) in a real headless Chromium (Selenium + chromedriver) against a running demo
server, and checks its sums against the API's.

Usage: python3 scripts/browser_check_ledger.py http://127.0.0.1:PORT
As the demo PMO (Japanese): the project menu leads to the ledger; it has a table for each of the demo's two fiscal
years whose totals are the API's, a revised development line, two orders with their
acceptance and payment months, and the estimates of both vendors; from the requests for estimate to the decided
request's aggregation (its options, the chosen one marked) and on to its decision; the waiting request's choice
recorded with the form, which leads to the new decision; the ledger exported to Excel, a budget edited with openpyxl
and the workbook imported through the page's preview and applied; the portfolio's budget by fiscal year shows the ledger's
figures; on a phone (390 px) the tables scroll inside their
boxes, not the page. As the CIO (a viewer granted the commercial right, English): the same ledger in English. As the
Aoba lead (a vendor, English): only Aoba's order and estimates, no budget and nothing of 楓's. Exits non-zero, naming
the step, on the first failure.
"""
import json
import sys
import urllib.request

import openpyxl

from selenium.webdriver.common.by import By

import browser_support
from browser_support import body, check, go, wait

base = sys.argv[1].rstrip("/")
driver = browser_support.start(base, page_load_timeout=90)
step = "start"


def api(email, path):
    request = urllib.request.Request(base + "/api/v1/tokens", method="POST",
                                     data=json.dumps({"email": email, "password": "demo-password", "name": "ledger check"}).encode(),
                                     headers={"Content-Type": "application/json"})
    token = json.load(urllib.request.urlopen(request))["token"]
    # A path from the root ("/portfolio/budget"), or one in the CRM project ("ledger").
    url = base + "/api/v1" + (path if path.startswith("/") else "/projects/CRM/" + path)
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(request))


def api_ledger(email):
    return api(email, "ledger")


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
    check(len(orders) == len(ledger["orders"]) == 3, f"{len(orders)} orders on the page")
    shared = [o for o in ledger["orders"] if len(o["lines"]) > 1]
    check(len(shared) == 1, "the demo has no order drawing on two budget lines")
    shared_row = driver.find_element(By.ID, "ledger-" + shared[0]["reference"]).text
    check(all(f"L{s['line']}" in shared_row and yen(s["amount"]) in shared_row for s in shared[0]["lines"]),
          f"the shared order's row does not list each line with its share: {shared_row!r}")
    milestones = driver.find_elements(By.CSS_SELECTOR, "#ledger-milestones tbody tr")
    check(len(milestones) == sum(len(o["milestones"]) for o in ledger["orders"]), "the milestones do not match the API's")
    check("楓システムズ" in body() and "請負" in body() and "準委任" in body(), "the orders lack their vendors or contract types")
    estimates = driver.find_elements(By.CSS_SELECTOR, "#ledger-estimates tbody tr")
    check(len(estimates) == len(ledger["estimates"]) == 5, f"{len(estimates)} estimates on the page")

    step = "from the estimate aggregation to its decision"
    requests = api("pmo@demo.pmo", "estimate-requests")["items"]
    check([r["reference"] for r in requests] == ["E1", "E2"], f"the demo's requests are {[r['reference'] for r in requests]}")
    decided, waiting = requests
    check(decided["decision"] and not waiting["decision"], "the demo's first request should be decided and the second waiting")
    rows = driver.find_elements(By.CSS_SELECTOR, "#ledger-requests tbody tr")
    check(len(rows) == 2, f"{len(rows)} requests for estimate on the ledger")
    driver.find_element(By.CSS_SELECTOR, "#ledger-E1 td.name a").click()
    wait(lambda d: d.find_elements(By.ID, "request-options"), "the request's aggregation did not open")
    options = driver.find_elements(By.CSS_SELECTOR, "#request-options tbody tr")
    check(len(options) == len(decided["options"]) == 3, f"{len(options)} options on the page")
    chosen = [o for o in decided["options"] if o["chosen"]][0]
    check("chosen" in driver.find_element(By.ID, f"option-{chosen['number']}").get_attribute("class"), "the chosen option is not marked")
    check(yen(chosen["cost"]) in driver.find_element(By.ID, f"option-{chosen['number']}").text, "the chosen option's cost is not the API's")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#request-estimates tbody tr")) == len(decided["estimates"]) == 3,
          "the request's estimates are not side by side")
    phases = [p["phase"] for e in decided["estimates"] for p in e["breakdown"] if p["phase"]]
    rows = driver.find_elements(By.CSS_SELECTOR, "#request-by-phase tbody tr:not(.total)")
    check([r.find_element(By.CSS_SELECTOR, "td").text for r in rows] == list(dict.fromkeys(phases)),
          "the estimates by phase are not the API's breakdowns")
    check(yen(decided["remaining"]) in driver.find_element(By.ID, "request-remaining").text, "the line's remaining budget is not shown")
    driver.find_element(By.CSS_SELECTOR, "#request-decision a.decision-link").click()
    wait(lambda d: "/decisions/" in d.current_url, "the decision link did not open the decision")
    page = body()
    check(decided["title"] in page and all(o["title"] in page for o in decided["options"]),
          "the decision does not carry the request's title and options")
    check("Emily Clark" in page, "the decision does not name the CIO as the decider")

    step = "choose an option of the waiting request: it becomes a decision"
    go("/projects/CRM/ledger/requests/" + str(waiting["number"]))
    wait(lambda d: d.find_elements(By.ID, "choose-form"), "the waiting request has no form to record the choice")
    form = driver.find_element(By.ID, "choose-form")
    from selenium.webdriver.support.ui import Select
    Select(form.find_element(By.NAME, "option")).select_by_value("2")
    deciders = Select(form.find_element(By.NAME, "decider"))
    check(any("Emily Clark" in o.text for o in deciders.options), "the CIO, who holds the budget right, is not offered as the decider")
    deciders.select_by_visible_text([o.text for o in deciders.options if "Emily Clark" in o.text][0])
    form.find_element(By.NAME, "rationale").send_keys("予算内に収めるため、ポイント機能は第2段階とする。")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(lambda d: "/decisions/" in d.current_url, "recording the choice did not lead to the decision")
    check(waiting["options"][1]["title"] in body() and "予算内に収めるため" in body(), "the new decision lacks the chosen option or the rationale")
    after = api("pmo@demo.pmo", "estimate-requests/" + str(waiting["number"]))
    check(after["decision"] and driver.current_url.endswith("/decisions/" + after["decision"].split("-D")[-1]),
          f"the request links {after['decision']}, the page is {driver.current_url}")
    check([o["chosen"] for o in after["options"]] == [False, True], "the API does not mark the second option chosen")

    step = "the portfolio's budget by fiscal year holds the ledger's figures"
    portfolio = api("pmo@demo.pmo", "/portfolio/budget")
    first_year = ledger["years"][0]
    go(f"/portfolio?fy={first_year['fiscalYear']}")
    wait(lambda d: d.find_elements(By.ID, f"portfolio-budget-fy{first_year['fiscalYear']}"), "the portfolio has no budget table for the first year")
    row = driver.find_element(By.ID, "portfolio-budget-CRM").text
    check(yen(first_year["budget"]) in row and yen(first_year["forecast"]) in row, f"the portfolio's CRM row {row!r} is not the ledger's")
    year = [y for y in portfolio["years"] if y["fiscalYear"] == first_year["fiscalYear"]][0]
    check([p["source"] for p in year["projects"] if p["project"] == "CRM"] == ["ledger"], "the API's portfolio does not count CRM's ledger")

    step = "the ledger goes to Excel and an edited workbook comes back through the import's preview"
    go("/projects/CRM/ledger")
    wait(lambda d: d.find_elements(By.ID, "ledger-exchange"), "the ledger has no export and import links")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    workbook_path = "/tmp/browser_check_ledger.xlsx"
    with urllib.request.urlopen(urllib.request.Request(base + "/projects/CRM/ledger/export.xlsx", headers={"Cookie": cookie})) as response:
        open(workbook_path, "wb").write(response.read())
    book = openpyxl.load_workbook(workbook_path)
    check(book.sheetnames == ["予算管理表", "検収・支払"], f"the workbook's sheets are {book.sheetnames}")
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    last = max(ledger["lines"], key=lambda l: l["number"])
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=header.index("番号") + 1).value == f"L{last['number']}")
    original = sheet.cell(row=row, column=header.index("当初予算") + 1)
    check(original.value == last["original"], f"the workbook's original budget of L{last['number']} is {original.value}, not the API's")
    original.value = last["original"] + 1_000_000
    book.save(workbook_path)
    go("/projects/CRM/ledger/import")
    driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(workbook_path)
    driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "table.plan tr.update"), "the preview shows no change")
    plan = driver.find_element(By.CSS_SELECTOR, "table.plan").text
    check(f"L{last['number']}" in plan and yen(last["original"] + 1_000_000) in plan, f"the preview does not show the new budget: {plan!r}")
    check(len(driver.find_elements(By.CSS_SELECTOR, "table.plan tbody tr")) == 1, "the preview shows more than the one edited line")
    check(api_ledger("pmo@demo.pmo")["lines"][-1]["original"] == last["original"], "the preview stored the change")
    driver.find_element(By.XPATH, "//form[contains(@action, '/ledger/import/apply')]//button").click()
    wait(lambda d: d.find_elements(By.ID, "ledger-imported"), "applying the import did not land on the ledger with its notice")
    applied = [l for l in api_ledger("pmo@demo.pmo")["lines"] if l["number"] == last["number"]][0]
    check(applied["original"] == last["original"] + 1_000_000, "the applied import did not change the budget")

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
    check(len(aoba["orders"]) == 2 and not aoba["lines"] and not aoba["years"], "Aoba's API answer holds more than its own orders")
    go("/projects/CRM/ledger/requests/" + str(decided["number"]))
    wait(lambda d: d.find_elements(By.ID, "request-estimates"), "Aoba cannot open the request sent to it")
    check(not driver.find_elements(By.ID, "request-options") and "楓システムズ" not in body(), "Aoba sees the options or 楓's estimates")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#request-estimates tbody tr")) == 1, "Aoba sees more than its own estimate")
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
