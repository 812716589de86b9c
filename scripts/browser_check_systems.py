#!/usr/bin/env python3
"""Drives the systems, the interfaces (IF一覧) and the system configuration diagram in a real headless Chromium
(Selenium + chromedriver) against a running demo server.

Usage: python3 scripts/browser_check_systems.py http://127.0.0.1:PORT
As the demo PMO (Japanese): the diagram draws the demo's 12 systems and every interface as an arrow, in bands by
vendor and then by kind; the Mermaid download names every system; a business function's page draws its sequence
diagram with its steps in order; on a phone (390 px) the diagram scrolls inside its box, not the page; an interface
is edited through its form (status built) and the list follows; the requirements' tabs lead to the traceability
matrix, which has the demo's 80 requirements and 12 systems and filters by gap; the organisation tabs lead to the
organisation chart (9 units, 11 escalation routes) and the RACI table (10 rows, one accountable unit each); an
issue links to the systems it is about, whose page leads to its open issues; an activity links to its system. As the Aoba lead (a vendor, English): the diagram
is in English, and an interface the lead owns is edited (its IF specification version). Exits non-zero, naming the
step, on the first failure.
"""
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import browser_support
from browser_support import body, check, go, wait

driver = browser_support.start(sys.argv[1], page_load_timeout=90)
step = "start"


def diagram_counts():
    systems = driver.find_elements(By.CSS_SELECTOR, "#sysmap svg g.system")
    keys = set()
    for arrow in driver.find_elements(By.CSS_SELECTOR, "#sysmap svg g.interface"):
        keys.update((arrow.get_attribute("data-keys") or "").split())
    return len(systems), keys


def save_form():
    button = driver.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    browser_support.wait_gone(button)


try:
    step = "sign in (Japanese)"
    browser_support.sign_in("pmo@demo.pmo")

    step = "the diagram draws every system and interface"
    go("/projects/CRM/systems")
    wait(lambda d: d.find_elements(By.ID, "sysmap-link"), "the systems list has no link to the diagram")
    driver.find_element(By.ID, "sysmap-link").click()
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#sysmap svg g.system"), "the diagram did not open")
    check("システム構成図" in body(), "the diagram page is not in Japanese")
    systems, keys = diagram_counts()
    check(systems == 12, f"the diagram draws {systems} systems, not the demo's 12")
    check(keys == {f"F{n}" for n in range(1, 41)}, f"the diagram's arrows carry {len(keys)} interfaces, not F1 to F40")
    check(driver.find_elements(By.CSS_SELECTOR, "#sysmap svg g.group"), "the diagram has no vendor bands")

    step = "by kind"
    Select(driver.find_element(By.NAME, "group")).select_by_value("kind")
    driver.find_element(By.CSS_SELECTOR, "#sysmap-group button[type=submit]").click()
    wait(lambda d: "group=kind" in d.current_url and d.find_elements(By.CSS_SELECTOR, "#sysmap svg g.group"), "grouping by kind did not show")
    bands = [g.get_attribute("data-name") for g in driver.find_elements(By.CSS_SELECTOR, "#sysmap svg g.group")]
    check("外部システム" in bands and "新規" in bands, f"the bands by kind are {bands}")

    step = "the Mermaid text names every system"
    mermaid = browser_support.fetch(driver.find_element(By.ID, "sysmap-mermaid").get_attribute("href")).read().decode("utf-8")
    check("flowchart LR" in mermaid, "the Mermaid download is not a flowchart")
    check(all(f"S{n}[" in mermaid for n in range(1, 13)), "the Mermaid text misses a system")

    step = "a business function's sequence diagram"
    go("/projects/CRM/functions/1")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#sequence svg g.message"), "the function's sequence diagram did not show")
    steps = [g.get_attribute("data-reference") for g in driver.find_elements(By.CSS_SELECTOR, "#sequence svg g.message")]
    check(steps == ["CRM-F13", "CRM-F11", "CRM-F9", "CRM-F10", "CRM-F16"], f"the sequence's steps are {steps}")
    check("シーケンス図" in body(), "the sequence diagram's heading is not in Japanese")

    step = "the requirements' tabs lead to the traceability matrix"
    go("/projects/CRM/requirements")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#shape-tabs a"), "the requirements list has no tabs")
    driver.find_element(By.CSS_SELECTOR, "#shape-tabs a[href$='/requirements/traceability']").click()
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#trace-matrix tbody tr"), "the traceability matrix did not open")
    check("トレーサビリティマトリクス" in body(), "the matrix page is not in Japanese")
    rows = len(driver.find_elements(By.CSS_SELECTOR, "#trace-matrix tbody tr"))
    columns = len(driver.find_elements(By.CSS_SELECTOR, "#trace-matrix thead th.sys"))
    check(rows == 80 and columns == 12, f"the matrix has {rows} requirements and {columns} system columns, not the demo's 80 and 12")
    changed = driver.find_element(By.CSS_SELECTOR, "#trace-gaps a[data-gap='changed_after_agreement']")
    expected = int(changed.text.split()[-1])
    changed.click()
    wait(lambda d: "gap=changed_after_agreement" in d.current_url, "the gap filter did not apply")
    shown = driver.find_elements(By.CSS_SELECTOR, "#trace-matrix tbody tr")
    check(len(shown) == expected > 0, f"the filter shows {len(shown)} requirements, its count says {expected}")
    check(all(r.find_elements(By.CSS_SELECTOR, "span.gap-changed_after_agreement") for r in shown), "a filtered row lacks the gap")

    step = "the organisation chart and the RACI table"
    go("/projects/CRM/units")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#shape-tabs a"), "the units list has no tabs")
    driver.find_element(By.CSS_SELECTOR, "#shape-tabs a[href$='/units/chart']").click()
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#org-chart svg g.unit"), "the organisation chart did not open")
    check("体制図" in body(), "the organisation chart is not in Japanese")
    units = len(driver.find_elements(By.CSS_SELECTOR, "#org-chart svg g.unit"))
    routes = len(driver.find_elements(By.CSS_SELECTOR, "#org-chart svg g.escalation"))
    check(units == 9 and routes == 11, f"the chart draws {units} units and {routes} escalation routes, not the demo's 9 and 11")
    driver.find_element(By.CSS_SELECTOR, "#shape-tabs a[href$='/raci/table']").click()
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#raci-table tbody tr"), "the RACI table did not open")
    rows = driver.find_elements(By.CSS_SELECTOR, "#raci-table tbody tr")
    check(len(rows) == 10, f"the RACI table has {len(rows)} rows, not the demo's 10")
    for row in rows:
        letters = [c.text for c in row.find_elements(By.CSS_SELECTOR, "td")]
        check(letters.count("A") == 1, f"a RACI row has {letters.count('A')} accountable units")

    step = "a unit's members in the chart's boxes"
    go("/projects/CRM/units/chart")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#org-chart svg g.unit"), "the organisation chart did not open again")
    team = driver.find_element(By.CSS_SELECTOR, "#org-chart svg g.unit[data-key='U6']")
    lines = [t.text for t in team.find_elements(By.CSS_SELECTOR, "text")]
    check("Java開発者（楓・未定）" in lines and any(l.startswith("渡辺") for l in lines), f"the 楓 team's box lists {lines}")

    step = "free text matched to the registers"
    go("/projects/CRM/systems")
    driver.find_element(By.CSS_SELECTOR, "#shape-tabs a[href$='/systems/matching']").click()
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#match-table tbody tr"), "the free-text page did not open")
    check("自由記述の照合" in body(), "the free-text page is not in Japanese")
    unmatched = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#match-table tbody tr.flagged")]
    check(any("基幹受注システム" in r for r in unmatched), f"'基幹受注システム' is not listed as matching nothing: {unmatched[:5]}")
    check(not driver.find_elements(By.ID, "match-apply"), "the demo's matches are not all referenced yet")

    step = "on a phone the diagram scrolls inside its box"
    driver.set_window_size(390, 900)
    go("/projects/CRM/systems/diagram")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#sysmap svg"), "the diagram did not open at 390 px")
    page_width = driver.execute_script("return document.documentElement.scrollWidth")
    check(page_width <= 392, f"the page scrolls sideways at 390 px ({page_width} px wide)")
    driver.set_window_size(1366, 1000)

    step = "an interface is edited in Japanese"
    go("/projects/CRM/interfaces/3/edit")
    wait(lambda d: d.find_elements(By.NAME, "status"), "the interface's form did not open")
    Select(driver.find_element(By.NAME, "status")).select_by_value("built")
    save_form()
    wait(lambda d: "/projects/CRM/interfaces/3" in d.current_url and "構築済" in body(), "the interface was not saved as built")
    check("CRM-S1 新CRM (CRM)" in body(), "the interface's page does not name its source system")
    go("/projects/CRM/interfaces?q=" + "与信照会")
    wait(lambda d: "構築済" in body(), "the list does not show the new status")

    step = "an issue names its systems, and a system leads to its open issues"
    go("/projects/CRM/issues/10")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "a[href='/projects/CRM/systems/1']"), "CRM-I10 does not link to the system it is about")
    driver.find_element(By.CSS_SELECTOR, "a[href='/projects/CRM/systems/1']").click()
    wait(lambda d: "このシステムの未完了課題" in body(), "the system's page does not count its open issues")
    driver.find_element(By.CSS_SELECTOR, "a[href*='system=S1']").click()
    wait(lambda d: "system=S1" in d.current_url and "CRM-I10" in body(), "the system's open issues did not list CRM-I10")
    check("CRM-I3 " not in body(), "an issue about another system is in the system's list")

    step = "an activity names its system"
    go("/projects/CRM/plan/activities/5")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#system a[href='/projects/CRM/systems/1']"), "activity 5 does not link to its system")
    check(driver.find_elements(By.CSS_SELECTOR, "datalist#plan-systems option[value='S12']"), "the activity form does not offer the systems")

    step = "the vendor's diagram in English"
    driver.delete_all_cookies()
    browser_support.sign_in("aoba.lead@demo.pmo")
    go("/projects/CRM/systems/diagram")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#sysmap svg g.system"), "the vendor's diagram did not open")
    check("System configuration diagram" in body(), "the vendor's diagram page is not in English")
    check(driver.find_elements(By.CSS_SELECTOR, "#sysmap svg g.interface"), "the vendor's diagram has no arrows")

    step = "the vendor edits an interface it owns"
    go("/projects/CRM/interfaces/2/edit")
    wait(lambda d: d.find_elements(By.NAME, "specVersion"), "the vendor cannot open the form of an interface it owns")
    version = driver.find_element(By.NAME, "specVersion")
    version.clear()
    version.send_keys("2.0")
    save_form()
    wait(lambda d: "/projects/CRM/interfaces/2" in d.current_url and "IF specification version" in body() and "2.0" in body(),
         "the vendor's change was not saved")

    step = "a vendor's diagram holds only the interfaces it is party to"
    driver.delete_all_cookies()
    browser_support.sign_in("kaede.lead@demo.pmo")
    go("/projects/CRM/systems/diagram")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#sysmap svg g.system"), "楓's diagram did not open")
    _, vendor_keys = diagram_counts()
    check(0 < len(vendor_keys) < 40, f"楓's diagram carries {len(vendor_keys)} of the 40 interfaces")
    print("browser check of systems, interfaces and the diagram: OK")
except Exception as error:
    print(f"browser check of systems failed at step '{step}': {error}", file=sys.stderr)
    try:
        driver.save_screenshot("/tmp/browser_check_systems_failure.png")
    except Exception:
        pass
    sys.exit(1)
finally:
    driver.quit()
