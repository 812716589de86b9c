#!/usr/bin/env python3
"""Drives resources, the overload map and levelling in a real headless Chromium (Selenium + chromedriver) against a
running demo server.

Usage: python3 scripts/browser_check_resources.py http://127.0.0.1:PORT
As the demo PMO (Japanese): the overload map shows 渡辺 over capacity in the busiest month ahead, and a cell opens on the
CRM work behind it; by day the map has one column per day. The CRM plan's levelling page proposes a scenario; the
scenario shows the current plan beside the levelled one (no resource-day over capacity after, the moves with the
resource they were in conflict on); applying saves a baseline first (the baselines page lists it) and the map then
shows no overloaded cell with CRM work in it. On a phone (390 px) the map scrolls inside its box, not the page. As
the Aoba lead (a vendor, English) the map shows Aoba's people and never 楓's. Exits non-zero, naming the step, on the
first failure.
"""
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import browser_support
from browser_support import body, check, go, wait

driver = browser_support.start(sys.argv[1], page_load_timeout=90)
step = "start"


def overloaded_cells_with(project):
    """Cells over capacity whose details list work of `project`."""
    found = 0
    for cell in driver.find_elements(By.CSS_SELECTOR, "#load-map td[data-level='over'], #load-map td[data-level='critical']"):
        links = cell.find_elements(By.CSS_SELECTOR, "details a")
        if any(f"/projects/{project}/" in (a.get_attribute("href") or "") for a in links):
            found += 1
    return found


try:
    step = "sign in (Japanese)"
    browser_support.sign_in("pmo@demo.pmo")

    step = "the overload map shows 渡辺 over capacity"
    go("/resources/load?count=20")
    wait(lambda d: d.find_elements(By.ID, "load-map"), "the overload map did not open")
    check("負荷マップ" in body(), "the map is not in Japanese")
    rows = driver.find_elements(By.CSS_SELECTOR, "#load-map tbody tr")
    watanabe = [r for r in rows if "渡辺" in r.find_element(By.TAG_NAME, "th").text]
    check(watanabe, "渡辺 is not on the map")
    check(int(watanabe[0].get_attribute("data-overloaded")) > 0, "渡辺 is not over capacity in any week")
    check(overloaded_cells_with("CRM") > 0, "no overloaded cell lists CRM work")

    step = "a cell opens on the work behind it"
    cell = watanabe[0].find_elements(By.CSS_SELECTOR, "td[data-level='critical'], td[data-level='over']")[0]
    summary = cell.find_element(By.TAG_NAME, "summary")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
    summary.click()
    wait(lambda d: "CRM" in cell.find_element(By.CSS_SELECTOR, "details > div").text, "the open cell does not list the CRM work")

    step = "by day"
    Select(driver.find_element(By.NAME, "scale")).select_by_value("day")
    count = driver.find_element(By.NAME, "count")
    count.clear()
    count.send_keys("28")
    driver.find_element(By.CSS_SELECTOR, "#load-filters button[type=submit]").click()
    wait(lambda d: "scale=day" in d.current_url and d.find_elements(By.CSS_SELECTOR, "#load-map thead th"), "the map did not switch to days")
    heads = driver.find_elements(By.CSS_SELECTOR, "#load-map thead th")
    check(len(heads) == 29, f"the day map has {len(heads) - 1} columns, not 28")

    step = "propose a levelling scenario for CRM"
    go("/projects/CRM/plan/levelling")
    wait(lambda d: d.find_elements(By.ID, "propose-level"), "the plan's levelling page has no proposal form")
    driver.find_element(By.ID, "propose-level").click()
    wait(lambda d: "/levelling/" in d.current_url and d.find_elements(By.ID, "compare-CRM"), "proposing did not open the scenario", timeout=60)
    check(driver.find_element(By.ID, "scenario-status").get_attribute("data-status") == "proposed", "the scenario is not proposed")
    after = driver.find_element(By.CSS_SELECTOR, "#overloads-CRM td[data-after]").get_attribute("data-after")
    check(after == "0", f"the levelled plan still has {after} resource-days over capacity")
    moves = driver.find_elements(By.CSS_SELECTOR, "#moves-CRM tbody tr")
    check(moves, "the scenario moves nothing")
    check(all("渡辺" in m.text for m in moves), "a move does not name the resource it was in conflict on")
    check("現在の計画" in body() and "平準化後" in body(), "the current and levelled plans are not side by side")

    step = "apply (baseline first)"
    Select(driver.find_element(By.NAME, "baseline")).select_by_value("")
    driver.find_element(By.ID, "apply-scenario").click()
    wait(lambda d: d.find_elements(By.ID, "scenario-status")
         and d.find_element(By.ID, "scenario-status").get_attribute("data-status") == "applied", "the scenario was not applied", timeout=60)
    go("/projects/CRM/plan/baselines")
    check("平準化前" in body(), "applying did not save the current schedule as a baseline first")
    go("/resources/load?count=20")
    wait(lambda d: d.find_elements(By.ID, "load-map"), "the overload map did not open again")
    check(overloaded_cells_with("CRM") == 0, "after applying, a cell with CRM work is still over capacity")

    step = "the map on a phone"
    driver.set_window_size(390, 900)
    go("/resources/load?count=12")
    wait(lambda d: d.find_elements(By.ID, "load-map"), "the map did not open on a phone")
    sideways = driver.execute_script("return document.documentElement.scrollWidth > window.innerWidth + 1")
    check(not sideways, "the map page scrolls sideways on a phone")
    driver.set_window_size(1366, 1000)

    step = "a vendor's map (English)"
    driver.delete_all_cookies()
    browser_support.sign_in("aoba.lead@demo.pmo")
    go("/resources/load?count=12")
    wait(lambda d: d.find_elements(By.ID, "load-map"), "the vendor's map did not open")
    text = body()
    check("Overload map" in text, "the vendor's map is not in English")
    check("Daniel Kim" in text, "the vendor does not see its own people")
    check("渡辺" not in text and "伊藤" not in text, "the vendor sees another company's people")
    print("browser check of resources and levelling: OK")
except Exception as error:
    print(f"browser check of resources failed at step '{step}': {error}", file=sys.stderr)
    try:
        driver.save_screenshot("/tmp/browser_check_resources_failure.png")
    except Exception:
        pass
    sys.exit(1)
finally:
    driver.quit()
