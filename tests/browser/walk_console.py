#!/usr/bin/python3
"""Walks the operator console in Debian's headless Chromium (chromium-driver, python3-selenium).

usage: walk_console.py URL ADMIN_TOKEN AGENCY_TOKEN OUT_DIR
       walk_console.py --story URL ADMIN_TOKEN OUT_DIR

One browser session: sign in with the admin token, check each page against the API, approve the
held run, cancel a reservation, look for injected elements and alerts from the hostile names, save
a full-page screenshot of each page in OUT_DIR; then sign in with the agency's token (units: A02)
and check it sees only its agency. --story walks what a new user does after scripts/quickstart on
its sample portal: the sync state, the sample's reserved changes (one blocked by a handover duty),
approving the held run, downloading the change log. Exits non-zero with the first failure on
stderr.
"""
import json
import os
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

STORY = sys.argv[1] == "--story"
if STORY:
    URL, ADMIN, OUT = sys.argv[2:5]
else:
    URL, ADMIN, AGENCY, OUT = sys.argv[1:5]


def api(path, token=ADMIN):
    request = urllib.request.Request(URL + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.load(reply)


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def browser():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=zh-TW"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": OUT,
                                              "download.prompt_for_download": False})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def screenshot(driver, name):
    # Full page: the viewport grows to the document's height for the picture.
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1280, "height": max(800, height), "deviceScaleFactor": 1,
                            "mobile": False})
    driver.save_screenshot(os.path.join(OUT, name + ".png"))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def no_injection(driver, where):
    try:
        alert = driver.switch_to.alert
        raise AssertionError(where + ": an alert opened: " + alert.text)
    except NoAlertPresentException:
        pass
    injected = driver.find_elements(By.CSS_SELECTOR, "#page script, #page img, #page iframe, "
                                    "#page [onmouseover], #page [onerror]")
    check(not injected, where + ": injected elements " + str(len(injected)))


def page(driver, name):
    driver.find_element(By.ID, "nav-" + name).send_keys(Keys.ENTER)  # the keyboard, not a click
    wait = WebDriverWait(driver, 20)
    wait.until(lambda d: d.find_element(By.ID, "nav-" + name).get_attribute("aria-current") == "page")
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#page h2 ~ *")) > 0)


def sign_in(driver, token):
    driver.get(URL + "/ui/")
    field = driver.find_element(By.ID, "token")
    field.send_keys(token)
    field.send_keys(Keys.ENTER)
    WebDriverWait(driver, 20).until(lambda d: not d.find_element(By.ID, "nav").get_attribute("hidden"))


def look_up(driver, username):
    name = driver.find_element(By.ID, "account-name")
    name.clear()
    name.send_keys(username)
    name.send_keys(Keys.ENTER)
    WebDriverWait(driver, 20).until(
        lambda d: username in d.find_element(By.ID, "account-result").text and
        d.find_elements(By.ID, "account-table"))


def directory_entry(driver, username):
    """The account page's directory entry, as text; fails when the directory could not be read."""
    WebDriverWait(driver, 30).until(
        lambda d: d.find_elements(By.ID, "directory-table") or d.find_elements(By.ID, "directory-error"))
    errors = driver.find_elements(By.ID, "directory-error")
    check(not errors, username + ": " + (errors[0].text if errors else ""))
    return driver.find_element(By.ID, "directory-table").text


def walk_as_admin(driver):
    sign_in(driver, ADMIN)
    status = api("/v1/status")
    wait = WebDriverWait(driver, 20)
    wait.until(lambda d: d.find_elements(By.ID, "ov-state"))
    check(driver.find_element(By.ID, "ov-state").text == status["state"] or status["state"] == "syncing",
          "overview state")
    check(driver.find_element(By.ID, "ov-failures").text == str(status["consecutive_failures"]),
          "overview failures")
    check(driver.find_elements(By.CSS_SELECTOR, "svg.chart rect"), "overview chart has no runs")
    screenshot(driver, "overview")

    page(driver, "holds")
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#page table")) == 2)
    no_injection(driver, "holds")
    text = driver.find_element(By.ID, "page").text
    check("lin.wei" in text and "hsu.one" in text, "no sample of the held operations")
    screenshot(driver, "holds")
    held = [h for h in api("/v1/approvals") if h["state"] == "held"]
    check(held and sorted(o["subject"] for o in held[0]["sample"]) == ["hsu.one", "hsu.two", "lin.wei"],
          "the hold's sample: " + str(held))
    dns = [o["dn"] for o in held[0]["sample"]]
    check(all(dn in text for dn in dns) and any("onerror" in dn for dn in dns),
          "the held operations' DNs (one under the hostile unit) are not shown as text: " + str(dns))
    approve_held(driver)

    page(driver, "quarantine")
    screenshot(driver, "quarantine")

    page(driver, "reserved")
    no_injection(driver, "reserved")
    text = driver.find_element(By.ID, "page").text
    check('<script>alert("dn")</script>' in text, "the hostile display name is not shown as text")
    check('"onmouseover=alert(1) x="' in text, "the hostile reason is not shown as text")
    blockers = [c["blocker"] for c in api("/v1/scheduled-changes") if c["blocker"]]
    check(blockers and all(b in text for b in blockers), "a reservation's blocker is not shown")
    check(any("onerror=alert(1)" in b for b in blockers), "the hostile unit is not in the blocker")
    screenshot(driver, "reserved")
    before = [c for c in api("/v1/scheduled-changes") if c["state"] == "pending"]
    driver.find_element(By.XPATH, "//td/button").send_keys(Keys.ENTER)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#page p.ok"))
    after = [c for c in api("/v1/scheduled-changes") if c["state"] == "pending"]
    check(len(after) == len(before) - 1, "no reservation was cancelled")

    page(driver, "account")
    look_up(driver, "lin.wei")
    no_injection(driver, "account")
    check("戶政科<img src=x onerror=alert(1)>" in driver.find_element(By.ID, "account-table").text,
          "the hostile unit name is not shown as text")
    check('<script>alert("dn")</script>' in driver.find_element(By.ID, "account-table").text,
          "the hostile display name is not shown as text")
    entry = directory_entry(driver, "lin.wei")
    # slapd hex-escapes < = > in the DNs it returns (\3C): the hostile name stays text either way.
    check("onerror" in entry and "已停用" in entry, "lin.wei's directory entry: " + entry)
    screenshot(driver, "account")
    look_up(driver, "chen.yating")
    entry = directory_entry(driver, "chen.yating")
    check("可登入" in entry and "sys-edoc" in entry and "onmouseover" in entry,
          "chen.yating's directory entry and its hostile group: " + entry)

    download_change_log(driver)
    check("lin.wei" in driver.find_element(By.ID, "audit-results").text, "audit shows no lin.wei")
    check("anchor" in driver.find_element(By.ID, "audit-verify").text.lower() or
          "錨點" in driver.find_element(By.ID, "audit-verify").text, "no verify state")
    # One record in detail: the hostile unit's, every field of it as text.
    driver.find_element(By.XPATH, "//tr[td[contains(., 'onerror=alert(1)')]]/td/button").send_keys(Keys.ENTER)
    wait.until(lambda d: d.find_elements(By.ID, "audit-record"))
    no_injection(driver, "audit record")
    record = driver.find_element(By.ID, "audit-record").text
    check("戶政科<img src=x onerror=alert(1)>" in record and "correlation_id" in record,
          "the record's detail: " + record)
    screenshot(driver, "audit")

    # English: the same page, translated.
    driver.find_element(By.ID, "lang").send_keys("English")
    wait.until(lambda d: d.find_element(By.ID, "nav-audit").text == "Audit")
    screenshot(driver, "audit-en")
    driver.find_element(By.ID, "signout").send_keys(Keys.ENTER)


def approve_held(driver):
    """Approves the held run on the holds page (open) and waits for the run that sends it."""
    held = [h for h in api("/v1/approvals") if h["state"] == "held"]
    check(held, "no held run to approve")
    driver.find_element(By.XPATH, "//td/button").send_keys(Keys.ENTER)
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#page p.ok"))
    WebDriverWait(driver, 60).until(lambda d: any(
        h["id"] == held[0]["id"] and h["state"] == "released" for h in api("/v1/approvals")))


def download_change_log(driver):
    page(driver, "audit")
    wait = WebDriverWait(driver, 20)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#audit-results table"))
    driver.find_element(By.ID, "audit-csv").send_keys(Keys.ENTER)
    csv = os.path.join(OUT, "audit.csv")
    wait.until(lambda d: os.path.exists(csv) and os.path.getsize(csv) > 0)
    with open(csv, encoding="utf-8-sig") as f:
        check(f.readline().startswith("id,time_utc"), "the CSV has no header")
        check(len(f.readlines()) > 0, "the CSV has no record")


def walk_story(driver):
    sign_in(driver, ADMIN)
    wait = WebDriverWait(driver, 20)
    wait.until(lambda d: d.find_elements(By.ID, "ov-state"))
    check(driver.find_element(By.ID, "ov-state").text in (api("/v1/status")["state"], "syncing"),
          "overview state")
    screenshot(driver, "story-overview")
    page(driver, "reserved")
    text = driver.find_element(By.ID, "page").text
    pending = [c for c in api("/v1/scheduled-changes") if c["state"] == "pending"]
    check(len(pending) == 4, "the sample's reserved changes: " + str(pending))
    check(all(c["username"] in text and c["effective_at"] in text for c in pending),
          "a reserved change is not shown")
    blocked = [c for c in pending if c["blocker"]]
    check(len(blocked) == 1 and blocked[0]["blocker"] in text,
          "the reservation a handover duty blocks: " + str(blocked))
    screenshot(driver, "story-reserved")
    page(driver, "holds")
    approve_held(driver)
    screenshot(driver, "story-holds")
    download_change_log(driver)


def walk_as_agency(driver):
    sign_in(driver, AGENCY)
    wait = WebDriverWait(driver, 20)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#page h2 ~ *"))
    shown = [b.get_attribute("id") for b in driver.find_elements(By.CSS_SELECTOR, "#nav button")]
    check(shown == ["nav-reserved", "nav-account"], "the agency token's pages: " + str(shown))
    text = driver.find_element(By.ID, "page").text
    check("tsai.left" in text and "lin.wei" not in text, "the agency sees another agency's reservation")
    screenshot(driver, "agency-reserved")
    page(driver, "account")
    name = driver.find_element(By.ID, "account-name")
    name.send_keys("lin.wei")
    name.send_keys(Keys.ENTER)
    wait.until(lambda d: "404" in d.find_element(By.ID, "error").text)
    check(not driver.find_elements(By.ID, "account-table"), "another agency's account is shown")
    name.clear()
    name.send_keys("tsai.left")
    name.send_keys(Keys.ENTER)
    wait.until(lambda d: d.find_elements(By.ID, "account-table"))
    entry = directory_entry(driver, "tsai.left")  # in English: the admin switched it for the tab
    check("disabled" in entry or "已停用" in entry, "tsai.left's directory entry: " + entry)
    screenshot(driver, "agency-account")


def main():
    os.makedirs(OUT, exist_ok=True)
    started = time.monotonic()
    driver = browser()
    try:
        if STORY:
            walk_story(driver)
        else:
            walk_as_admin(driver)
            walk_as_agency(driver)
    except Exception:
        screenshot(driver, "failure")
        raise
    finally:
        driver.quit()
    print("walked the console in %.1f s; screenshots in %s" % (time.monotonic() - started, OUT))


if __name__ == "__main__":
    main()
