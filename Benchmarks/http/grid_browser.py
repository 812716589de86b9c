#!/usr/bin/env python3
"""The plan grid in headless Chromium: DOMContentLoaded of the WBS grid, and a one-cell change from the key press to the
moved dates on screen (the grid script's own measure, `data-last-change-ms`). Used by grid.sh.
Usage: grid_browser.py URL PROJECT EMAIL PASSWORD"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
import browser_support  # noqa: E402
from browser_support import go, wait  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

url, key, email, password = sys.argv[1:5]
d = browser_support.start(url, page_load_timeout=60)
try:
    go("/login")
    d.find_element(By.NAME, "email").send_keys(email)
    d.find_element(By.NAME, "password").send_keys(password)
    d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(lambda dr: "/login" not in dr.current_url, "sign-in failed")
    for i in range(3):
        go(f"/projects/{key}/plan")
        t = d.execute_script("const n = performance.getEntriesByType('navigation')[0];"
                             "return [n.responseEnd - n.startTime, n.domContentLoadedEventEnd - n.startTime]")
        print(f"{key} grid: response {t[0]:.0f} ms, DOMContentLoaded {t[1]:.0f} ms")
    wait(lambda dr: dr.find_element(By.CSS_SELECTOR, "#wbs tbody td[data-c=duration]").get_attribute("tabindex") == "-1", "no grid script")
    cells = d.find_elements(By.CSS_SELECTOR, "#wbs tbody td[data-c=duration]")
    # Early in the plan (its chain moves nearly every row's dates: the worst case), then near its end (a few rows move).
    for where, cell, value in [("early", cells[5], v) for v in "34567"] + [("late", cells[-8], v) for v in "34567"]:
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
        cell.click()
        before = d.execute_script("return document.getElementById('wbs').dataset.lastChangeMs || ''")
        d.execute_script("delete document.getElementById('wbs').dataset.lastChangeMs")
        ActionChains(d).send_keys(value, Keys.ENTER).perform()
        wait(lambda dr: dr.execute_script("return document.getElementById('wbs').dataset.lastChangeMs || ''") != "", "the change was not shown")
        ms, parts = d.execute_script("const t = document.getElementById('wbs').dataset; return [t.lastChangeMs, t.lastChangeParts]")
        print(f"one-cell change, {where} row (key press to moved dates on screen): {ms} ms (answer/parse/patch/paint: {parts})")
        time.sleep(2)   # let the previous change's frame settle (two cores: the browser and the server share them)
finally:
    d.quit()
