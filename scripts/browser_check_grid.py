#!/usr/bin/env python3
"""Drives the plan grid (plan-grid.js) in a real headless Chromium against a running demo server.

Usage: python3 scripts/browser_check_grid.py http://127.0.0.1:PORT
In Japanese as the demo PMO, by keyboard only: inserts rows (Insert), names them, types a duration and sees the
finish move, types a predecessor and sees the successor follow, indents (Alt+Shift+→) and undoes it (Ctrl+Z), pastes
a block of rows copied from Excel (updates one row, adds two), selects a block with Shift+arrows and copies it
(Ctrl+C, tab-separated), moves with Home and End, sees a bad pasted cell named by row and column with
nothing changed, and deletes a row (Ctrl+Delete). Then in English as the demo PM: a bad date typed into a cell is
refused with its row named, and the paste box (the way without a script) adds rows; on the Gantt chart the name
column stays while the dates scroll, a summary folds with one click and the progress line is drawn. Prints how long a one-cell
change took from the key press to the moved dates on screen. Exits non-zero, naming the step, on the first failure.
"""
import re
import sys

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select

import browser_support
from browser_support import body, check, go, wait

driver = browser_support.start(sys.argv[1], page_load_timeout=60)
step = "start"


def sign_in(email):
    logout = driver.find_elements(By.CSS_SELECTOR, "form.logout button")
    if logout:
        logout[0].click()
        wait(expected_conditions.url_contains("/login"), "signing out failed")
    go("/login")
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys("demo-password")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(expected_conditions.url_contains("/projects"), f"sign-in as {email} failed")


def open_grid():
    go("/projects/CRM/plan")
    wait(lambda d: d.find_element(By.CSS_SELECTOR, "#wbs tbody td[data-c=name]").get_attribute("tabindex") == "-1",
         "the grid script did not start")
    # What the status line said, in order (printed when a step fails).
    driver.execute_script("""
        window.gridSaid = [];
        new MutationObserver(() => window.gridSaid.push(document.getElementById('grid-status').textContent))
            .observe(document.getElementById('grid-status'), {childList: true, characterData: true, subtree: true});
    """)


def rows():
    return driver.find_elements(By.CSS_SELECTOR, "#wbs tbody tr")


def row_named(name):
    for tr in rows():
        if tr.find_element(By.CSS_SELECTOR, "td.name .v").text == name:
            return tr
    return None


class Cell:
    """A grid cell that is scrolled to the middle of the window before a click (the grid's status line sticks to the
    bottom of the window and may cover the last row)."""
    def __init__(self, element):
        self.element = element
        self.text = element.text

    def click(self):
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", self.element)
        self.element.click()


def cell(tr, column):
    return Cell(tr.find_element(By.CSS_SELECTOR, f"td[data-c={column}]"))


def status_text():
    return driver.find_element(By.ID, "grid-status").text


def saved():
    """Waits until the last thing the status line said is "saved" (it clears itself a moment later)."""
    def said_saved(d):
        said = [x for x in d.execute_script("return window.gridSaid") if x]
        return said and said[-1] in ("保存しました。", "Saved.")
    wait(said_saved, f"the change was not saved: {status_text()}")


def keys(*sequence):
    ActionChains(driver).send_keys(*sequence).perform()


def paste(text):
    """Pastes `text` into the active cell as the clipboard would (a ClipboardEvent with text/plain)."""
    driver.execute_script("""
        const data = new DataTransfer();
        data.setData('text/plain', arguments[0]);
        document.querySelector('#wbs td.active').dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
    """, text)


try:
    step = "sign in (Japanese PMO)"
    sign_in("pmo@demo.pmo")
    open_grid()
    count = len(rows())

    step = "insert a row with the Insert key and name it"
    last = rows()[-1]
    Cell(last.find_element(By.CSS_SELECTOR, "td.outline")).click()
    keys(Keys.INSERT)
    wait(lambda d: len(rows()) == count + 1 and d.find_elements(By.CSS_SELECTOR, ".grid-wrap input.cell-editor"), "Insert added no row to edit")
    keys("グリッド作業A", Keys.ENTER)
    saved()
    a = row_named("グリッド作業A")
    check(a is not None, "the new row was not named")
    a_uid = a.get_attribute("data-uid")

    step = "type a duration: the finish moves at once"
    a = row_named("グリッド作業A")
    finish_before = cell(a, "finish").text
    cell(a, "duration").click()
    keys("6", Keys.ENTER)
    wait(lambda d: cell(row_named("グリッド作業A"), "finish").text != finish_before, "the finish did not move after the duration changed")
    saved()
    one_cell_ms = driver.execute_script("return document.getElementById('wbs').dataset.lastChangeMs")
    check(cell(row_named("グリッド作業A"), "duration").text == "6", "the duration is not 6")

    step = "insert a second row and give it a predecessor by keyboard"
    cell(row_named("グリッド作業A"), "name").click()
    keys(Keys.INSERT)
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, ".grid-wrap input.cell-editor"), "Insert opened no editor")
    keys("グリッド作業B", Keys.TAB)
    saved()
    b = row_named("グリッド作業B")
    check(b is not None, "the second row was not named")
    cell(b, "predecessors").click()
    keys(a_uid, Keys.TAB)
    saved()
    b = row_named("グリッド作業B")
    check(cell(b, "predecessors").text == a_uid, f"the predecessor is {cell(b, 'predecessors').text!r}")
    check(cell(b, "start").text > cell(row_named("グリッド作業A"), "finish").text or
          cell(b, "start").text == cell(row_named("グリッド作業A"), "finish").text,
          "the successor does not follow its predecessor")

    step = "indent with Alt+Shift+→ and undo with Ctrl+Z"
    cell(row_named("グリッド作業A"), "name").click()
    keys(Keys.INSERT)
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, ".grid-wrap input.cell-editor"), "Insert opened no editor")
    keys("グリッド作業C", Keys.ENTER)
    saved()
    c = row_named("グリッド作業C")
    outline_before = c.find_element(By.CSS_SELECTOR, "td.outline").text
    cell(c, "name").click()
    ActionChains(driver).key_down(Keys.ALT).key_down(Keys.SHIFT).send_keys(Keys.ARROW_RIGHT).key_up(Keys.SHIFT).key_up(Keys.ALT).perform()
    wait(lambda d: row_named("グリッド作業C").find_element(By.CSS_SELECTOR, "td.outline").text.count(".") == outline_before.count(".") + 1,
         "Alt+Shift+→ did not indent the row")
    saved()
    check(not driver.find_element(By.ID, "grid-undo").get_attribute("disabled"), "the undo button is not offered")
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
    wait(lambda d: row_named("グリッド作業C").find_element(By.CSS_SELECTOR, "td.outline").text == outline_before, "Ctrl+Z did not undo the indent")

    step = "paste a block of rows copied from Excel: one updated, two added"
    count = len(rows())
    # At the last row (B): its line updates it, the two lines past the end add activities.
    check(rows()[-1].find_element(By.CSS_SELECTOR, "td.name .v").text == "グリッド作業B", "B is not the last row")
    cell(row_named("グリッド作業B"), "name").click()
    paste("グリッド作業B\t2\n貼付D\t3\n貼付E\t1\n")
    wait(lambda d: row_named("貼付D") is not None and row_named("貼付E") is not None, "the pasted rows were not added")
    saved()
    check(len(rows()) == count + 2, f"{len(rows()) - count} rows were added, not 2")
    check(cell(row_named("グリッド作業B"), "duration").text == "2", "the pasted duration did not update the row")

    step = "Shift+arrows select a block and Ctrl+C copies it tab-separated; Home and End"
    cell(row_named("グリッド作業B"), "name").click()
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.ARROW_RIGHT, Keys.ARROW_DOWN).key_up(Keys.SHIFT).perform()
    check(len(driver.find_elements(By.CSS_SELECTOR, "#wbs td.selected")) == 4, "Shift+arrows did not select a 2 × 2 block")
    copied = driver.execute_script("""
        const data = new DataTransfer();
        document.querySelector('#wbs td.active').dispatchEvent(new ClipboardEvent('copy', {clipboardData: data, bubbles: true, cancelable: true}));
        return data.getData('text/plain');
    """)
    check(copied == "グリッド作業B\t2\n貼付D\t3", f"the copied block is {copied!r}")
    keys(Keys.END)
    check(driver.find_element(By.CSS_SELECTOR, "#wbs td.active").get_attribute("data-c") == "percent", "End did not go to the last column")
    check(not driver.find_elements(By.CSS_SELECTOR, "#wbs td.selected"), "moving did not clear the block")
    keys(Keys.HOME)
    check("id" in driver.find_element(By.CSS_SELECTOR, "#wbs td.active").get_attribute("class"), "Home did not go to the first column")

    step = "a pasted block with a bad cell changes nothing and names the row and cell"
    count = len(rows())
    cell(row_named("貼付E"), "name").click()
    paste("貼付E\t5\n貼付F\tabc\n")
    wait(lambda d: "error" in d.find_element(By.ID, "grid-status").get_attribute("class"), "the bad paste was not refused")
    message = status_text()
    check("行 2" in message and "期間" in message, f"the refusal does not name row 2 and the duration: {message}")
    check(len(rows()) == count and row_named("貼付F") is None, "a refused paste added a row")
    check(cell(row_named("貼付E"), "duration").text == "1", "a refused paste changed a good row")

    step = "delete a row with Ctrl+Delete"
    cell(row_named("貼付E"), "name").click()
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.DELETE).key_up(Keys.CONTROL).perform()
    wait(expected_conditions.alert_is_present(), "no confirmation before deleting")
    driver.switch_to.alert.accept()
    # The confirmation interrupted the key chain: let go of Ctrl, or the next click would be a Ctrl+click.
    ActionChains(driver).key_up(Keys.CONTROL).perform()
    wait(lambda d: row_named("貼付E") is None, "Ctrl+Delete did not delete the row")

    step = "sign in as the PM and switch to English"
    sign_in("pm@demo.pmo")
    go("/settings")
    Select(driver.find_element(By.NAME, "locale")).select_by_value("en")
    driver.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
    wait(lambda d: "Projects" in body(), "the language did not switch")
    open_grid()
    check("Undo my last change" in body(), "the grid's tools are not in English")

    step = "a date that is not a date is refused with its row named (English)"
    d = row_named("貼付D")
    cell(d, "start").click()
    keys("next week", Keys.ENTER)
    wait(lambda dr: "error" in dr.find_element(By.ID, "grid-status").get_attribute("class"), "the bad date was not refused")
    check(re.search(r"(Row|ID) \d+ · Start: .*YYYY-MM-DD", status_text()), f"the refusal does not name the row and cell: {status_text()}")

    step = "the paste box (without a script) adds rows"
    driver.find_element(By.CSS_SELECTOR, "#paste-rows summary").click()
    box = driver.find_element(By.CSS_SELECTOR, "#paste-rows textarea")
    driver.execute_script("arguments[0].value = arguments[1]", box, "Name\tDuration\nBox row 1\t2\nBox row 2\t3\n")
    driver.find_element(By.CSS_SELECTOR, "#paste-rows button[type=submit]").click()
    wait(lambda dr: row_named("Box row 1") is not None and row_named("Box row 2") is not None, "the paste box added no rows")

    step = "Gantt: the name column stays while the dates scroll, a summary folds with one click, the progress line"
    go("/projects/CRM/plan/gantt?scale=day")
    labels = driver.find_element(By.CSS_SELECTOR, "#gantt .gantt-labels svg")
    x_before = labels.rect["x"]
    driver.execute_script("document.getElementById('gantt').scrollLeft = 1500")
    wait(lambda dr: dr.execute_script("return document.getElementById('gantt').scrollLeft") > 1000, "the Gantt chart does not scroll sideways")
    check(abs(driver.find_element(By.CSS_SELECTOR, "#gantt .gantt-labels svg").rect["x"] - x_before) < 1, "the name column moved with the dates")
    check(driver.find_elements(By.CSS_SELECTOR, "#gantt .gantt-body svg .progress-line"), "no progress line at the status date")
    shown = len(driver.find_elements(By.CSS_SELECTOR, "#gantt .gantt-labels .row-label"))
    fold = driver.find_element(By.CSS_SELECTOR, "#gantt .gantt-labels a.fold")
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}))", fold)
    wait(lambda dr: "collapsed=" in dr.current_url and len(dr.find_elements(By.CSS_SELECTOR, "#gantt .gantt-labels .row-label")) < shown,
         "clicking a summary's fold control did not fold it")
    check(driver.find_elements(By.CSS_SELECTOR, "#gantt .gantt-labels .collapsed-marker"), "the folded summary has no unfold control")

    print(f"plan grid: keyboard, paste, undo, indent, delete and the paste box work in Japanese and English; "
          f"one-cell change shown in {one_cell_ms} ms")
except Exception as error:  # noqa: BLE001 - report the step, then fail
    print(f"plan grid check failed at step '{step}': {error}", file=sys.stderr)
    try:
        print("the status line said: " + " | ".join(driver.execute_script("return window.gridSaid || []")), file=sys.stderr)
        print("browser console: " + str(driver.get_log("browser"))[:2000], file=sys.stderr)
    except Exception:  # noqa: BLE001
        pass
    try:
        driver.save_screenshot("/tmp/grid-failure.png")
    except Exception:  # noqa: BLE001
        pass
    sys.exit(1)
finally:
    driver.quit()
