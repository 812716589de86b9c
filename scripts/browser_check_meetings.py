#!/usr/bin/env python3
"""Drives meetings, minutes and status reports in a real headless Chromium (Selenium + chromedriver) against a running
demo server, in Japanese and then in English.

Usage: python3 scripts/browser_check_meetings.py http://127.0.0.1:PORT
Japanese, as the demo PMO: reads the project's health cockpit (colours as of the status date, SPI, milestones,
decisions waiting, overdue actions, next meeting) and follows a milestone into the plan; prepares next week's
development meeting (whose minutes cannot be approved before it has
started), amends last week's approved minutes, writes notes, creates an action from an agenda line without an owner,
is refused approval naming it, gives it an owner and due date, approves (the minutes freeze as version 2), reads the
invitation (.ics, with the icalendar package) and the minutes workbook (.xlsx, with openpyxl) back, then sees the new
report offer the plan's status date (already reported), starts one for the day before (warned that the dates differ),
overrides an area with a reason and issues it (its charts kept, printed on at most three A4 pages).
English, after switching the PMO's language: prepares the steering committee, records a decision from a line, is told
the minutes wait for the meeting to start, hands out the meeting's materials and attaches a file to the issued report
(each downloaded back), corrects the issued report and issues the correction, filters and sorts the
portfolio and follows it into the project's cockpit, and opens the kickoff pack. In both languages it looks at a list
on a phone (390 px): the menus fold behind one switch that opens them, and the rows are cards that do not scroll
sideways.
Exits non-zero, naming the step, on the first failure.
"""
import datetime
import io
import re
import sys

import icalendar
import openpyxl
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import browser_support
from browser_support import body, check, go, wait

driver = browser_support.start(sys.argv[1], page_load_timeout=60)
step = "start"


def download(path):
    """Fetches `path` with the browser's session cookie; returns (content type, bytes)."""
    with browser_support.fetch(path) as response:
        return response.headers.get("Content-Type", ""), response.read()


def click(element):
    """Clicks `element` after scrolling it to the middle of the window (the minutes' save bar sticks to the bottom)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def click_and_wait_for_reload(element, message):
    """Clicks a submit button and waits until its page has been replaced: the typed values are on the old page too,
    so waiting for them alone can pass before the form is sent, and the next look then finds a stale element."""
    click(element)

    def replaced(_):
        try:
            element.tag_name
            return False
        except StaleElementReferenceException:
            return True
    wait(replaced, message)


def open_series(name):
    go("/projects/CRM/meetings")
    driver.find_element(By.LINK_TEXT, name).click()
    wait(lambda d: d.find_elements(By.ID, "prepare-next"), f"the series page of {name} did not open")


def attach_and_download(name, content):
    """Uploads a file through the page's files section, then downloads it from the listed link and compares the bytes."""
    check(browser_support.fetch(browser_support.upload_attachment(name, content)).read() == content,
          f"the downloaded {name} differs from the uploaded file")


def prepare_next():
    """Prepares the next occurrence from the series page; returns (series path, number)."""
    driver.find_element(By.ID, "prepare-next").click()
    wait(lambda d: re.search(r"/meetings/[0-9a-f-]+/\d+$", d.current_url), "preparing did not land on the occurrence")
    m = re.search(r"(/projects/CRM/meetings/[0-9a-f-]+)/(\d+)$", driver.current_url)
    return m.group(1), int(m.group(2))


def approve_minutes():
    """Presses Approve, which asks to confirm (approval freezes the minutes), then confirms."""
    click(driver.find_element(By.ID, "approve-minutes"))
    wait(lambda d: d.find_elements(By.ID, "confirm-approve"), "approving did not ask to confirm")
    check(not driver.find_elements(By.ID, "frozen"), "the minutes froze before approval was confirmed")
    click(driver.find_element(By.ID, "confirm-approve"))


def issue_report():
    """Presses Issue, which asks to confirm (an issued report never changes), then confirms."""
    driver.find_element(By.CSS_SELECTOR, "#issue-form button").click()
    wait(lambda d: d.find_elements(By.ID, "confirm-issue-button"), "issuing did not ask to confirm", timeout=60)
    check(driver.find_elements(By.ID, "edit-form"), "the report was issued before it was confirmed")
    driver.find_element(By.ID, "confirm-issue-button").click()


def phone_layout(menu_word):
    """At 390 px: the menus fold behind one switch that opens them, lists are cards, nothing scrolls sideways."""
    driver.set_window_size(390, 900)
    try:
        go("/projects/CRM/issues")
        label = driver.find_element(By.CSS_SELECTOR, "label.nav-toggle-label")
        check(label.is_displayed() and menu_word in label.text, f"the phone has no '{menu_word}' switch")
        check(not driver.find_element(By.CSS_SELECTOR, "nav.main").is_displayed(), "the phone shows the whole top menu")
        hidden = [a for a in driver.find_elements(By.CSS_SELECTOR, "nav.project a") if not a.is_displayed()]
        check(len(hidden) >= 8, "the project menu is not folded on a phone")
        click(label)
        wait(lambda d: d.find_element(By.CSS_SELECTOR, "nav.main").is_displayed(), "the menu switch does not open the menus")
        check(all(a.is_displayed() for a in driver.find_elements(By.CSS_SELECTOR, "nav.project a")), "the open menu hides sections")
        check(not driver.find_element(By.CSS_SELECTOR, "table.list.issues thead").is_displayed(), "the issue list is a table on a phone")
        card = driver.find_element(By.CSS_SELECTOR, "table.list.issues tbody tr")
        check(card.value_of_css_property("display") == "flex", "the issue list's rows are not cards on a phone")
        sideways = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        check(sideways <= 0, f"the issue list scrolls sideways by {sideways}px on a phone")
    finally:
        driver.set_window_size(1366, 1000)


def first_item():
    return driver.find_elements(By.CSS_SELECTOR, "article.agenda-item")[0]


def create_output(kind, title, decider_index=None):
    """Creates a register item of `kind` (the item type letter: A, D, Q, I, R) from the first agenda line."""
    item = first_item()
    item_id = item.get_attribute("id").removeprefix("item-")
    click(item.find_element(By.CSS_SELECTOR, "details.output-form summary"))
    Select(item.find_element(By.NAME, f"out-{item_id}-type")).select_by_value(kind)
    item.find_element(By.NAME, f"out-{item_id}-title").send_keys(title)
    if decider_index is not None:
        Select(item.find_element(By.NAME, f"out-{item_id}-decider")).select_by_index(decider_index)
    click(item.find_element(By.CSS_SELECTOR, f"button[name='create'][value='{item_id}']"))
    wait(lambda d: title in body(), f"the {kind} created from the minutes is not shown under its line")
    return item_id


try:
    step = "sign in (Japanese)"
    browser_support.sign_in("pmo@demo.pmo")

    step = "the project home opens with its live health (cockpit)"
    go("/projects/CRM")
    wait(lambda d: d.find_elements(By.ID, "cockpit-status"), "the project home has no health cockpit")
    check("時点の状況" in driver.find_element(By.ID, "cockpit-status").text, "the cockpit does not say the date it is as of")
    overall = driver.find_element(By.ID, "cockpit-overall").get_attribute("data-rag")
    check(overall in ("red", "amber", "green"), f"the cockpit's overall colour is {overall}")
    check(driver.find_elements(By.ID, "cockpit-area-schedule"), "the cockpit lacks the schedule area")
    check(driver.find_element(By.ID, "cockpit-spi").text.strip() not in ("", "–"), "the cockpit shows no SPI")
    milestone = driver.find_elements(By.CSS_SELECTOR, "#cockpit-milestone-list a")
    check(milestone, "the cockpit lists no milestone ahead")
    check(driver.find_elements(By.CSS_SELECTOR, "#cockpit-decisions a.ref"), "the cockpit lists no decision waiting")
    check(driver.find_elements(By.CSS_SELECTOR, "#cockpit-actions a.ref"), "the cockpit lists no overdue action")
    check("週次定例（開発）" in driver.find_element(By.ID, "cockpit-meeting").text, "the cockpit does not name the next meeting")
    click(milestone[0])
    wait(lambda d: "/plan/activities/" in d.current_url, "a milestone of the cockpit does not open its activity")

    step = "the phone layout in Japanese: one menu switch, lists as cards"
    phone_layout("メニュー")

    step = "prepare next week's meeting"
    open_series("週次定例（開発）")
    series_path, number = prepare_next()
    check(number == 4, f"the demo has three held meetings, so the next is #4, not #{number}")
    text = body()
    check("第4回" in text and "アジェンダ" in text, "the agenda's heading is not shown in Japanese")
    check("期限到来・超過のアクション" in text, "no section of actions due or overdue")
    check(re.search(r"日超過|次回会議より前", text), "the actions carry no reason in words")
    check(len(driver.find_elements(By.CSS_SELECTOR, "article.agenda-item")) >= 5, "the generated agenda has fewer than 5 items")
    check("会議 60 分" in driver.find_element(By.ID, "time-box").text, "the agenda has no time box against the meeting's length")

    step = "next week's minutes cannot be approved before the meeting starts"
    approve_minutes()
    wait(lambda d: d.find_elements(By.ID, "minutes-error"), "approving a meeting that has not started was not refused")
    refusal = driver.find_element(By.ID, "minutes-error").text
    check("まだ始まっていません" in refusal and "10:00" in refusal, f"the refusal does not say when the meeting starts: {refusal}")
    check(not driver.find_elements(By.ID, "frozen"), "the minutes of a meeting that has not started were frozen")

    step = "amend last week's minutes (#3): a new draft version"
    number = 3
    go(f"{series_path}/{number}")
    check(driver.find_elements(By.ID, "frozen"), "last week's minutes are not approved in the demo")
    click_and_wait_for_reload(driver.find_element(By.ID, "amend-minutes"), "amending did not reopen the minutes")
    wait(lambda d: d.find_elements(By.ID, "minutes-form"), "the amended minutes have no edit form")

    step = "write notes and carry a point over"
    item_id = first_item().get_attribute("id").removeprefix("item-")
    notes = driver.find_element(By.NAME, f"notes-{item_id}")
    notes.clear()
    notes.send_keys("担当者から金曜までに回答。")
    click(driver.find_element(By.NAME, f"carry-{item_id}"))
    driver.find_element(By.NAME, "notes").send_keys("ブラウザ確認の定例。")
    click_and_wait_for_reload(driver.find_element(By.ID, "save-minutes"), "the minutes form was not sent")
    wait(lambda d: d.find_element(By.NAME, f"notes-{item_id}").get_attribute("value") == "担当者から金曜までに回答。",
         "the item's notes were not saved")
    check(driver.find_element(By.NAME, f"carry-{item_id}").is_selected(), "the carry-over mark was not saved")

    step = "an action from the minutes without an owner blocks approval"
    create_output("A", "ブラウザ確認：議事録からのアクション")
    line = [li for li in driver.find_elements(By.CSS_SELECTOR, "li.output") if "ブラウザ確認：議事録からのアクション" in li.text][0]
    check("incomplete" in line.get_attribute("class"), "the action without an owner is not flagged as incomplete")
    action_ref = line.get_attribute("data-reference")
    action_path = re.search(r"/projects/CRM/actions/\d+", line.find_element(By.TAG_NAME, "a").get_attribute("href")).group(0)
    approve_minutes()
    wait(lambda d: d.find_elements(By.ID, "minutes-error"), "approving with an incomplete action was not refused")
    refusal = driver.find_element(By.ID, "minutes-error").text
    check(action_ref in refusal, f"the refusal does not name {action_ref}: {refusal}")

    step = "give the action an owner and a due date"
    go(action_path + "/edit")
    Select(driver.find_element(By.NAME, "owner")).select_by_index(1)
    due = driver.find_element(By.NAME, "dueDate")
    driver.execute_script("arguments[0].value = '2030-01-31'", due)
    driver.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
    wait(lambda d: re.search(r"/actions/\d+$", d.current_url), "the action was not saved")

    step = "approve the minutes: they freeze"
    go(f"{series_path}/{number}")
    approve_minutes()
    wait(lambda d: d.find_elements(By.ID, "frozen"), "the approved minutes are not shown frozen")
    check(driver.find_elements(By.ID, "amend-minutes"), "approved minutes offer no way to amend")
    check(not driver.find_elements(By.ID, "minutes-form"), "approved minutes still have an edit form")
    check("担当者から金曜までに回答。" in body(), "the frozen minutes lost the item's notes")
    check(driver.find_elements(By.CSS_SELECTOR, f"a[href$='{series_path}/{number}/versions/1']"),
          "the first approved version is not listed beside the amended one")

    step = "the invitation and the minutes read back with real parsers"
    kind, data = download(f"{series_path}/{number}/invite.ics")
    check(kind.startswith("text/calendar"), f"invite.ics is {kind}")
    calendar = icalendar.Calendar.from_ical(data)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    check(len(events) == 1, f"the invitation has {len(events)} events")
    check(str(calendar.get("METHOD")) == "REQUEST", "the invitation is not a REQUEST")
    start = events[0].decoded("DTSTART")
    check(start.hour == 10 and start.utcoffset().total_seconds() == 9 * 3600, f"the invitation starts at {start}, not 10:00 JST")
    check(len(events[0].get("ATTENDEE", [])) >= 2, "the invitation lists fewer than two attendees")
    kind, data = download(f"{series_path}/series.ics")
    series_events = [c for c in icalendar.Calendar.from_ical(data).walk() if c.name == "VEVENT"]
    check(series_events and series_events[0].get("RRULE", {}).get("FREQ") == ["WEEKLY"], "the series has no weekly RRULE")
    kind, data = download(f"{series_path}/{number}/minutes.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    cells = [str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    check(any("担当者から金曜までに回答。" in c for c in cells), "the minutes workbook lacks the item's notes")
    check(any(action_ref in c for c in cells), f"the minutes workbook lacks {action_ref}")

    step = "a status report for another day than the plan's status date, overridden with its reason, issued"
    go("/projects/CRM/reports")
    date_input = driver.find_element(By.CSS_SELECTOR, "#new-report input[name=statusDate]")
    plan_date = datetime.date.fromisoformat(date_input.get_attribute("value"))
    check(plan_date.isoformat() in driver.find_element(By.ID, "plan-status-date").text,
          "the new report does not default to the plan's status date")
    check(driver.find_elements(By.ID, "status-date-reported"),
          "the page does not say the plan's status date was reported already")
    other_day = (plan_date - datetime.timedelta(days=1)).isoformat()
    driver.execute_script("arguments[0].value = arguments[1]", date_input, other_day)
    driver.find_element(By.CSS_SELECTOR, "#new-report button").click()
    wait(lambda d: d.find_elements(By.ID, "edit-form"), "the draft report did not open", timeout=60)
    check(plan_date.isoformat() in driver.find_element(By.ID, "date-differs").text,
          "the draft does not warn that its date differs from the plan's status date")
    report_path = re.search(r"/projects/CRM/reports/[0-9a-f-]+", driver.current_url).group(0)
    check("スケジュール" in body() and "品質" in body(), "the areas are not named in Japanese")
    Select(driver.find_element(By.ID, "override-quality")).select_by_value("amber")
    driver.find_element(By.NAME, "reason.quality").send_keys("緊急課題は回避策で業務影響なし")
    driver.find_element(By.CSS_SELECTOR, "#edit-form button").click()
    # A draft is recomputed from live data on every render; give a slow machine time (a wait, not a speed check).
    wait(lambda d: "緊急課題は回避策で業務影響なし" in body(), "the override is not shown", timeout=60)
    errors = driver.find_elements(By.ID, "error")
    check(not errors, "saving the override was refused: " + (errors[0].text if errors else ""))
    issue_report()
    wait(lambda d: d.find_elements(By.ID, "correct-form"), "the report was not issued", timeout=60)
    check(not driver.find_elements(By.ID, "edit-form"), "an issued report still has an edit form")
    check(driver.find_elements(By.CSS_SELECTOR, "#heatmap svg") and driver.find_elements(By.CSS_SELECTOR, "#burndown svg"),
          "the issued report lost its heat map or burn-down")
    pages = browser_support.printed_pages(21.0, 29.7)
    check(1 <= pages <= 3, f"the issued weekly report prints on {pages} A4 pages, not at most 3")

    step = "switch to English"
    go("/settings")
    Select(driver.find_element(By.NAME, "locale")).select_by_value("en")
    driver.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
    wait(lambda d: "Meetings" in d.find_element(By.TAG_NAME, "body").text or "Projects" in body(), "the language did not switch")

    step = "steering committee in English: prepare, record a decision; approval waits for the meeting"
    open_series("ステアリングコミッティ")
    steering_path, steering_number = prepare_next()
    text = body()
    check("Agenda" in text, "the agenda heading is not in English")
    check(re.search(r"Decisions pending|Risks needing attention|Slips against the baseline", text), "no English section headings")
    create_output("D", "Approve the second migration rehearsal budget", decider_index=1)
    driver.find_element(By.NAME, "notes").send_keys("Steering committee checked in the browser.")
    click_and_wait_for_reload(driver.find_element(By.ID, "save-minutes"), "the English minutes form was not sent")
    wait(lambda d: "Steering committee checked in the browser." in d.find_element(By.NAME, "notes").get_attribute("value"),
         "the English minutes were not saved")
    check("/projects/CRM/decisions/" in driver.page_source, "the decision is not linked to its register page")
    approve_minutes()
    wait(lambda d: d.find_elements(By.ID, "minutes-error"), "approving the coming steering committee was not refused")
    refusal = driver.find_element(By.ID, "minutes-error").text
    check("has not started yet" in refusal or "once it has started" in refusal, f"the English refusal is not worded: {refusal}")
    check("Approve the second migration rehearsal budget" in body(), "the refused approval lost the decision")

    step = "hand out the steering committee's materials and attach the backing to the report"
    go(f"{steering_path}/{steering_number}")
    attach_and_download("steering_pack.txt", "Second migration rehearsal: budget request\n".encode() * 500)
    go(report_path)
    attach_and_download("quality_review_record.txt", "Quality review record agreed with the vendor\n".encode() * 50)

    step = "correct the issued report in English"
    go(report_path)
    check("Schedule" in body() and "Quality" in body() and "PMO override" in body(), "the issued report is not in English")
    driver.find_element(By.CSS_SELECTOR, "#correct-form button").click()
    wait(lambda d: d.find_elements(By.ID, "edit-form") and d.current_url.rstrip("/") != browser_support.base + report_path,
         "Correct did not open a new draft")
    driver.find_element(By.NAME, "comment").send_keys("Corrected: the quality override reason was agreed with the vendor.")
    driver.find_element(By.CSS_SELECTOR, "#edit-form button").click()
    wait(lambda d: "Corrected: the quality override" in body(), "the correction's comment was not saved")
    issue_report()
    wait(lambda d: d.find_elements(By.ID, "correct-form"), "the correction was not issued")
    go(report_path)
    check(driver.find_elements(By.ID, "correction") or "superseded" in body().lower(), "the corrected report is not marked superseded")

    step = "portfolio: filtered, sorted, and into the project's cockpit"
    go("/portfolio")
    check("CRM" in body(), "the portfolio does not list CRM")
    check(driver.find_element(By.CSS_SELECTOR, "#p-CRM td.spi").text.strip() not in ("", "–"), "the portfolio shows no SPI for CRM")
    check("1 of 1 projects shown" in body(), "the portfolio does not count what it shows")
    colour = driver.find_element(By.CSS_SELECTOR, "#p-CRM td.area-overall").get_attribute("data-rag")
    other = "green" if colour != "green" else "red"
    Select(driver.find_element(By.NAME, "colour")).select_by_value(other)
    Select(driver.find_element(By.NAME, "sort")).select_by_value("spi")
    driver.find_element(By.CSS_SELECTOR, "#portfolio-filters button").click()
    wait(lambda d: "sort=spi" in d.current_url, "the portfolio's filters were not applied")
    check(not driver.find_elements(By.ID, "p-CRM"), f"filtered by {other}, the portfolio still lists CRM ({colour})")
    check("0 of 1 projects shown" in body(), "the filtered portfolio's count is wrong")
    go("/portfolio?sort=critical")
    driver.find_element(By.CSS_SELECTOR, "#p-CRM a.pkey").click()
    wait(lambda d: d.find_elements(By.ID, "cockpit-status"), "the portfolio's project link does not open its cockpit")
    check("Status as of" in body() and "Overdue actions by owner" in body(), "the cockpit is not in English")

    step = "the phone layout in English"
    phone_layout("Menu")

    step = "kickoff pack"
    go("/projects/CRM/kickoff")
    check("楓システムズ" in body() and "Aoba Cloud Services" in body(), "the kickoff pack does not list the vendors' members")
    check(driver.find_elements(By.ID, "kickoff-gantt"), "the kickoff pack has no Gantt extract")

    print("browser check (meetings and reports): ok")
except Exception as error:
    print(f"browser check (meetings and reports) failed at step '{step}': {error}", file=sys.stderr)
    sys.exit(1)
finally:
    driver.quit()
