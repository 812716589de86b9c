#!/usr/bin/env python3
"""Drives the plan pages in a real headless Chromium (Selenium + chromedriver) against a running demo server.

Usage: python3 scripts/browser_check_plan.py http://127.0.0.1:PORT
Signs in as the demo PMO (Japanese), opens the Gantt chart and prints it to PDF on A3 (one page per page of rows,
each repeating the dates, none blank), adds two activities with a dependency through the WBS form,
checks the successor's dates follow the predecessor, records progress, lengthens the predecessor so both become
critical and checks the WBS and the Gantt chart show it, saves a baseline and opens the comparison, then attaches a
file to an activity, downloads it, and checks that a vendor's staff see neither the section nor the file.
Exits non-zero, naming the step, on the first failure.
"""
import datetime
import os
import re
import sys
import tempfile
import urllib.error

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions

import browser_support
from browser_support import body, check, go, wait

driver = browser_support.start(sys.argv[1], page_load_timeout=60)
step = "start"


def add_activity(name, days, predecessors=""):
    """Adds an activity through the WBS form (typed and submitted with Enter); returns its id from the redirect."""
    go("/projects/CRM/plan")
    form = driver.find_element(By.ID, "add-activity")
    form.find_element(By.NAME, "name").send_keys(name)
    duration = form.find_element(By.NAME, "durationDays")
    duration.clear()
    duration.send_keys(str(days))
    if predecessors:
        form.find_element(By.NAME, "predecessors").send_keys(predecessors)
    form.find_element(By.NAME, "name").send_keys(Keys.ENTER)
    wait(lambda d: re.search(r"/plan#a(\d+)$", d.current_url), f"adding {name} did not land on its WBS row")
    return int(re.search(r"#a(\d+)$", driver.current_url).group(1))


def row_cells(uid):
    row = driver.find_element(By.ID, f"a{uid}")
    return row, {c: row.find_element(By.CSS_SELECTOR, f"td.{c}").text for c in ["start", "finish"]}


try:
    step = "sign in"
    go("/login")
    driver.find_element(By.NAME, "email").send_keys("pmo@demo.pmo")
    driver.find_element(By.NAME, "password").send_keys("demo-password")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(expected_conditions.url_contains("/projects"), "sign-in failed")

    step = "open the Gantt chart"
    go("/projects/CRM/plan/gantt?scale=week")
    svg = driver.find_element(By.CSS_SELECTOR, "#gantt svg")
    check(svg.size["width"] > 300, "the Gantt chart has no width")

    step = "the Gantt chart prints on A3 landscape, one page per page of rows, each with the date header"
    print_pages = driver.find_elements(By.CSS_SELECTOR, "#gantt-print .gantt-page svg")
    check(print_pages, "the Gantt chart has no print pages")
    widths = {p.get_attribute("width") for p in print_pages}
    check(len(widths) == 1, f"the print pages have different date ranges (widths {widths})")
    check(all(float(w) <= 1500 for w in widths), f"the printed Gantt chart is wider than an A3 page: {widths}")
    printed = browser_support.printed_pages(42.0, 29.7)
    check(printed == len(print_pages), f"the Gantt chart prints on {printed} A3 pages for {len(print_pages)} pages of rows")

    step = "add two activities with a dependency"
    first = add_activity("ブラウザ確認：準備", 3)
    second = add_activity("ブラウザ確認：実施", 2, str(first))
    _, a = row_cells(first)
    _, b = row_cells(second)
    check(b["start"] >= a["finish"], f"the successor starts {b['start']} before its predecessor finishes {a['finish']}")
    go("/projects/CRM/plan/gantt?scale=week")
    check(driver.find_elements(By.CSS_SELECTOR, f"#gantt svg [data-activity='{second}']"), "the Gantt chart has no bar for the new activity")

    step = "a dependency that closes a loop is refused"
    go(f"/projects/CRM/plan/activities/{first}")
    driver.find_element(By.CSS_SELECTOR, "#add-link input[name=predecessors]").send_keys(str(second))
    driver.find_element(By.CSS_SELECTOR, "#add-link button").click()
    wait(lambda d: "ループ" in body() or "loop" in body(), "the loop was not refused with a message")
    check("ブラウザ確認：準備" in body() and "ブラウザ確認：実施" in body(), "the refusal does not name the loop's activities")

    step = "record progress"
    go("/projects/CRM/plan/progress")
    status = driver.find_element(By.CSS_SELECTOR, "#status-date-form input[name=statusDate]").get_attribute("value")
    if not status:
        today = datetime.date.today().isoformat()
        driver.execute_script("arguments[0].value = arguments[1]",
                              driver.find_element(By.CSS_SELECTOR, "#status-date-form input[name=statusDate]"), today)
        driver.find_element(By.CSS_SELECTOR, "#status-date-form button").click()
        wait(expected_conditions.url_contains("/plan/progress"), "the status date was not set")
        status = today
    go("/projects/CRM/plan/gantt?scale=week")
    # The demo plan spans the status date, so its chart shows the status line.
    if len(driver.find_elements(By.CSS_SELECTOR, "#gantt svg .row-label")) > 50:
        check(len(driver.find_elements(By.CSS_SELECTOR, "#gantt svg .status-line")) == 1, "no status-date line on the Gantt chart")
    go(f"/projects/CRM/plan/activities/{first}")
    form = driver.find_element(By.ID, "progress-form")
    start_field = form.find_element(By.NAME, "actualStart")
    driver.execute_script("arguments[0].value = arguments[1]", start_field, status)
    form.find_element(By.NAME, "percentComplete").send_keys("40")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(lambda d: "40%" in body(), "the progress was not recorded")
    check(status in driver.find_element(By.ID, "start").text, "the actual start did not move the activity's start")

    step = "lengthen the predecessor: both become critical"
    go(f"/projects/CRM/plan/activities/{first}")
    duration = driver.find_element(By.CSS_SELECTOR, "#edit-activity input[name=durationDays]")
    duration.clear()
    duration.send_keys("400")
    driver.find_element(By.CSS_SELECTOR, "#edit-activity button[type=submit]").click()
    wait(lambda d: driver.find_element(By.ID, "critical").text in ("はい", "yes"), "the lengthened activity is not critical")
    go("/projects/CRM/plan")
    row, b2 = row_cells(second)
    check("critical" in row.get_attribute("class"), "the successor is not marked critical in the WBS")
    check(b2["start"] > b["start"], f"the successor did not move: {b['start']} -> {b2['start']}")
    go("/projects/CRM/plan/gantt?scale=month")
    bars = driver.find_elements(By.CSS_SELECTOR, f"#gantt svg [data-activity='{second}'].bar-critical, #gantt svg [data-activity='{second}'] .bar-critical")
    check(bars, "the Gantt chart does not show the successor as critical")

    step = "baseline and comparison"
    go("/projects/CRM/plan/baselines")
    driver.find_element(By.CSS_SELECTOR, "#baseline-form input[name=name]").send_keys("ブラウザ確認")
    driver.find_element(By.CSS_SELECTOR, "#baseline-form button").click()
    wait(expected_conditions.url_contains("compare="), "saving a baseline did not open the comparison")
    check(driver.find_elements(By.CSS_SELECTOR, f"#comparison tr[data-uid='{second}']"), "the new activity is not in the comparison")

    step = "earned value and master schedule"
    go("/projects/CRM/plan/evm")
    check(driver.find_elements(By.CSS_SELECTOR, "#evm #ev-project"), "no project earned value row")
    go("/projects/CRM/plan/master")
    check(driver.find_elements(By.ID, "milestones"), "no milestone table on the master schedule")

    step = "attach a review record to an activity; another company's staff do not see it"
    go(f"/projects/CRM/plan/activities/{first}")
    content = "準備作業のレビュー記録（ブラウザ確認）\n".encode("utf-8") * 300
    file_url = browser_support.upload_attachment("レビュー記録.txt", content)
    check(browser_support.fetch(file_url).read() == content, "the downloaded file differs from the uploaded one")
    driver.delete_all_cookies()
    go("/login")
    driver.find_element(By.NAME, "email").send_keys("aoba.lead@demo.pmo")
    driver.find_element(By.NAME, "password").send_keys("demo-password")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(expected_conditions.url_contains("/projects"), "the vendor's sign-in failed")
    go(f"/projects/CRM/plan/activities/{first}")
    check(driver.find_elements(By.ID, "computed") and not driver.find_elements(By.ID, "attachments"),
          "the vendor sees the files section of an activity that is not its company's")
    try:
        browser_support.fetch(file_url)
        check(False, "the vendor downloaded the file of an activity that is not its company's")
    except urllib.error.HTTPError as refused:
        check(refused.code == 404, f"the vendor got {refused.code}, not 404")
    print("plan browser check passed: Gantt and its A3 print, add activities with a dependency, loop refused, progress, critical path change, baseline, EVM, master schedule, an activity's file (and a vendor refused it)")
except Exception as error:  # noqa: BLE001 - any failure names its step
    shot = os.path.join(tempfile.gettempdir(), "pmo-plan-browser-failure.png")
    driver.save_screenshot(shot)
    print(f"plan browser check failed at '{step}': {error}\n(page: {driver.current_url}; screenshot: {shot})", file=sys.stderr)
    sys.exit(1)
finally:
    driver.quit()
