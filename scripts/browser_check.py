#!/usr/bin/env python3
"""Drives the registers in a real headless Chromium (Selenium + chromedriver) against a running demo server.

Usage: python3 scripts/browser_check.py http://127.0.0.1:PORT
Signs in as the demo PMO (Japanese), raises a risk through the form, records that it occurred (an issue is raised
and linked), turns an answered question into a change request, imports an edited CSV through the preview, attaches a file to a risk, downloads it, has another vendor refused it and deletes it, changes two
actions at once through the list's bulk form, hides a column and saves the list as a shared view, and
checks "my work". Exits non-zero, naming the step, on the first failure.
Needs: apt-get install chromium chromium-driver; pip install selenium.
"""
import os
import sys
import tempfile
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

import browser_support
from browser_support import body, check, go

driver = browser_support.start(sys.argv[1], page_load_timeout=30)
base = browser_support.base
step = "start"


def wait_url(fragment):
    """Waits for the navigation a click started (a form post answered by a redirect)."""
    try:
        WebDriverWait(driver, 15).until(expected_conditions.url_contains(fragment))
    except Exception:
        raise AssertionError(f"expected a page under {fragment}, still on {driver.current_url}")


def sign_in(email):
    """Signs in through the login form as one of the demo's people (password demo-password)."""
    go("/login")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys("demo-password")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_url("/projects")


try:
    step = "sign in"
    sign_in("pmo@demo.pmo")

    step = "risk list and heat map"
    go("/projects/CRM/risks")
    check("重要リスク" in body(), "the top-risks box is missing")
    img = driver.find_element(By.CSS_SELECTOR, "img[src$='heatmap.svg']")
    check(driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img), "the heat map did not load")

    step = "raise a risk through the form"
    go("/projects/CRM/risks/new")
    driver.find_element(By.NAME, "title").send_keys("ブラウザ確認：帳票サーバーの性能不足")
    Select(driver.find_element(By.NAME, "riskType")).select_by_value("threat")
    Select(driver.find_element(By.NAME, "category")).select_by_value("technical")
    Select(driver.find_element(By.NAME, "probability")).select_by_value("4")
    Select(driver.find_element(By.NAME, "impactSchedule")).select_by_value("5")
    Select(driver.find_element(By.NAME, "impactCost")).select_by_value("3")
    Select(driver.find_element(By.NAME, "impactQuality")).select_by_value("4")
    Select(driver.find_element(By.NAME, "strategy")).select_by_value("mitigate")
    driver.find_element(By.NAME, "indicators").send_keys("triggered: 負荷試験で応答3秒超")
    driver.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
    WebDriverWait(driver, 15).until(lambda d: "/risks/new" not in d.current_url)
    check("/projects/CRM/risks/" in driver.current_url, f"no detail page after saving: {driver.current_url}\n{body()[:400]}")
    check("ブラウザ確認：帳票サーバーの性能不足" in body() and "20" in body(), "the new risk or its score is not shown")
    risk_url = driver.current_url

    step = "the risk occurs"
    driver.find_element(By.CSS_SELECTOR, "form[action$='/occurred'] button").click()
    wait_url("/projects/CRM/issues/")
    # One list of links on an issue, as on every item: the risk is in it, "caused by" (原因).
    risk_ref = "CRM-R" + risk_url.rstrip("/").split("/")[-1]
    links = driver.find_element(By.ID, "links").text
    check(risk_ref in links and "原因" in links, f"the issue's links do not name {risk_ref}: {links}")
    driver.get(risk_url)
    check("顕在化" in body(), "the risk is not marked occurred")

    step = "question to change request"
    go("/projects/CRM/questions?status=answered")
    links = driver.find_elements(By.CSS_SELECTOR, "table.registers td.num a")
    check(links, "no answered question in the demo")
    links[0].click()
    driver.find_element(By.CSS_SELECTOR, "form[action$='/change-request'] button").click()
    wait_url("/projects/CRM/changes/")
    check("派生元" in body(), "the change does not link to its question")

    step = "import an edited CSV with a preview"
    request = urllib.request.Request(base + "/projects/CRM/actions/export.csv",
                                     headers={"Cookie": "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())})
    csv = urllib.request.urlopen(request).read().decode("utf-8-sig")
    lines = csv.split("\r\n")
    header = lines[0].split(",")
    row = lines[1].split(",")
    title_at = header.index("件名")
    row[title_at] = row[title_at] + "（ブラウザで更新）"
    lines[1] = ",".join(row)
    path = os.path.join(tempfile.mkdtemp(), "actions.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\r\n".join(lines))
    go("/projects/CRM/actions/import")
    driver.find_element(By.NAME, "file").send_keys(path)
    driver.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]").click()
    WebDriverWait(driver, 15).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "table.plan, table.errors")))
    check("1 件を変更" in body(), "the preview does not announce one change:\n" + body()[:600])
    driver.find_element(By.CSS_SELECTOR, "form[action$='/import/apply'] button").click()
    wait_url("imported=1")
    check("取り込みました" in body(), "the list does not confirm the import:\n" + body()[:600])
    go("/projects/CRM/actions?q=" + urllib.request.quote("ブラウザで更新"))
    check("（ブラウザで更新）" in body(), "the imported change is not in the list")

    step = "issue register import"
    path = os.path.join(tempfile.mkdtemp(), "issues.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("No.,件名,ステータス,優先度,エスカレーション\r\n,ブラウザから取り込んだ課題,対応中,高,1 – PM\r\n")
    go("/projects/CRM/issues/import")
    driver.find_element(By.NAME, "file").send_keys(path)
    driver.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]").click()
    WebDriverWait(driver, 15).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "table.plan, table.errors")))
    check("1 件を新規登録" in body() and "新規" in body(), "the issue import preview does not announce one new issue:\n" + body()[:600])
    driver.find_element(By.CSS_SELECTOR, "form[action$='/import/apply'] button").click()
    wait_url("imported=1")
    check("取り込みました" in body() and "ブラウザから取り込んだ課題" in body(), "the imported issue is not in the list:\n" + body()[:600])

    step = "attach a file to a risk and download it"
    # The Kaede-only risk: the PMO may edit it; Aoba's staff may not see it, nor its files.
    go("/projects/CRM/risks?status=&q=" + urllib.request.quote("CRMパッケージ経験者"))
    driver.find_element(By.CSS_SELECTOR, "table.registers td.num a").click()
    WebDriverWait(driver, 15).until(expected_conditions.presence_of_element_located((By.ID, "attachments")))
    item_url = driver.current_url
    content = "要員計画の見直し案（ブラウザ確認）\n".encode("utf-8") * 2000
    file_url = browser_support.upload_attachment("要員計画_見直し案.txt", content)
    wait_url("#attachments")
    check("保存しました" in body(), "no saved notice after the upload")
    answer = browser_support.fetch(file_url)
    check(answer.read() == content, "the downloaded bytes differ from the uploaded file")
    check(answer.headers.get("X-Content-Type-Options") == "nosniff", "a download without nosniff")
    check("filename*=UTF-8''" in answer.headers.get("Content-Disposition", ""), "the download does not carry its name")

    step = "another company's file is refused"
    driver.delete_all_cookies()
    sign_in("aoba.lead@demo.pmo")
    vendor_cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    try:
        urllib.request.urlopen(urllib.request.Request(file_url, headers={"Cookie": vendor_cookies}))
        check(False, "Aoba's staff downloaded Kaede's file")
    except urllib.error.HTTPError as refused:
        check(refused.code == 404, f"the vendor got {refused.code}, not 404")
    driver.get(file_url)
    check("要員計画の見直し案" not in body(), "the vendor's browser shows the file")
    driver.delete_all_cookies()
    sign_in("pmo@demo.pmo")

    step = "delete the file"
    driver.get(item_url)
    button = driver.find_element(By.CSS_SELECTOR, "#attachments ul form button")
    button.click()
    # The page's address ends with #attachments before and after: wait for the new page itself.
    browser_support.wait_gone(button)
    check("要員計画_見直し案.txt" not in driver.find_element(By.ID, "attachments").text, "the deleted file is still listed")

    step = "bulk edit of ticked actions"
    go("/projects/CRM/actions?sort=number")
    ticks = driver.find_elements(By.CSS_SELECTOR, "table.registers input.bulk-tick")
    check(len(ticks) >= 2, "no tick boxes on the action list")
    refs = [t.get_attribute("value") for t in ticks[:2]]
    for tick in ticks[:2]:
        tick.click()
    form = driver.find_element(By.ID, "bulk")
    Select(form.find_element(By.NAME, "owner")).select_by_visible_text("佐藤 美咲 (PMO)")
    driver.execute_script("arguments[0].value = '2031-03-31'", form.find_element(By.NAME, "due"))
    apply = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    apply.click()
    browser_support.wait_gone(apply)
    wait_url("sort=number")
    check("保存しました" in body(), "no saved notice after the bulk edit")
    for number in refs:
        go(f"/projects/CRM/actions/{number}")
        check("佐藤 美咲 (PMO)" in body() and "2031-03-31" in body(), f"action {number} did not take the bulk change")

    step = "hide a column and save the list as a shared view"
    go("/projects/CRM/issues?sort=due")
    filters = driver.find_element(By.CSS_SELECTOR, "form.filters")
    filters.find_element(By.CSS_SELECTOR, "details.columns summary").click()
    filters.find_element(By.CSS_SELECTOR, "input[name=hide][value=company]").click()
    submit = filters.find_element(By.CSS_SELECTOR, "button[type=submit]")
    submit.click()
    browser_support.wait_gone(submit)
    company_heading = driver.find_element(By.CSS_SELECTOR, "table.list.issues thead th:nth-child(4)")
    check(not company_heading.is_displayed(), "the company column is still shown")
    check(driver.find_element(By.CSS_SELECTOR, "table.list.issues thead th:nth-child(3)").is_displayed(), "the owner column was hidden too")
    driver.find_element(By.CSS_SELECTOR, "details.save-view summary").click()
    driver.find_element(By.CSS_SELECTOR, "details.save-view input[name=name]").send_keys("期限順（会社列なし）")
    driver.find_element(By.CSS_SELECTOR, "details.save-view input[name=shared]").click()
    save = driver.find_element(By.CSS_SELECTOR, "details.save-view button[type=submit]")
    save.click()
    browser_support.wait_gone(save)
    current = driver.find_element(By.CSS_SELECTOR, "section.views a[aria-current=true]")
    check(current.text == "期限順（会社列なし）", f"the saved view is not marked as the list showing: {current.text}")
    go("/projects/CRM/issues")
    driver.find_element(By.LINK_TEXT, "期限順（会社列なし）").click()
    WebDriverWait(driver, 15).until(lambda d: "hide=company" in d.current_url)
    check(not driver.find_element(By.CSS_SELECTOR, "table.list.issues thead th:nth-child(4)").is_displayed(),
          "the saved view does not hide the company column")

    step = "my work"
    go("/work")
    check("自分の担当" in body() and "CRM-" in body(), "my work is empty for the PMO")
    print("browser check passed: sign-in, risk form, heat map, risk occurred, question to change, import preview and apply (actions and issues), attach / download / vendor refused / delete a file, bulk edit, hidden column and shared saved view, my work")
except Exception as error:  # noqa: BLE001 - any failure names its step
    shot = os.path.join(tempfile.gettempdir(), "pmo-browser-failure.png")
    driver.save_screenshot(shot)
    print(f"browser check failed at '{step}': {error}\n(page: {driver.current_url}; screenshot: {shot})", file=sys.stderr)
    sys.exit(1)
finally:
    driver.quit()
