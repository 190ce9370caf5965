#!/usr/bin/env python3
"""Drives PAM's web page in headless Chromium (Debian's chromium + chromium-driver, Selenium):
sign in through the local hosted UI, upload photos, see the tag counts, request a download,
and read the delivered message the page shows (the outbox needs the token). Run by Tests/PAMCLITests/BrowserTests.swift against `pam serve`.

usage: web_page_test.py BASE_URL EXPECTED_LABELS_JSON PHOTO...
"""
import json
import os
import sys
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def main():
    base, expected_json, photos = sys.argv[1], sys.argv[2], sys.argv[3:]
    expected = json.loads(expected_json)  # label -> count the page must show
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,1400"):
        options.add_argument(argument)
    options.binary_location = os.environ.get("PAM_CHROMIUM", "/usr/bin/chromium")
    driver = webdriver.Chrome(service=Service(os.environ.get("PAM_CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    wait = WebDriverWait(driver, 90)
    try:
        # A token planted in the page's fragment by a link from elsewhere (login CSRF) is ignored:
        # its state is not the one this tab's sign-in sent.
        driver.get(base + "/#id_token=planted.token.value&token_type=Bearer&state=not-this-tabs")
        wait.until(EC.visibility_of_element_located((By.ID, "error")))
        assert "did not ask for" in driver.find_element(By.ID, "error").text
        assert driver.execute_script("return sessionStorage.getItem('pam.id_token')") is None, "a planted token was taken"
        assert driver.find_element(By.ID, "signed-out").is_displayed()

        # The sign-in opened in another tab (as a ctrl+click does) is taken there: the state is
        # this browser's, not only the first tab's.
        driver.get(base + "/")
        link = wait.until(EC.element_to_be_clickable((By.ID, "signin-link"))).get_attribute("href")
        driver.switch_to.new_window("tab")
        driver.get(link)
        wait.until(EC.presence_of_element_located((By.ID, "username"))).send_keys("photographer")
        driver.find_element(By.ID, "password").send_keys("offline-photos")
        driver.find_element(By.ID, "signin").click()

        files = wait.until(EC.visibility_of_element_located((By.ID, "files")))
        files.send_keys("\n".join(photos))
        driver.find_element(By.ID, "upload").click()
        done = "Uploaded %d of %d photos." % (len(photos), len(photos))
        wait.until(lambda d: d.find_element(By.ID, "upload-status").text == done)
        wait.until(lambda d: not d.find_element(By.ID, "spinner").is_displayed())

        shown = {}
        for box in driver.find_elements(By.CSS_SELECTOR, "#labels input[type=checkbox]"):
            text = box.find_element(By.XPATH, "..").text
            shown[box.get_attribute("data-label")] = text
        for label, count in expected.items():
            assert shown.get(label) == "%s (%d)" % (label, count), "label %r: page shows %r" % (label, shown.get(label))
        assert driver.execute_script("return window.pwned === undefined"), "a label name ran as HTML"

        chosen = max((label for label in expected if not label.startswith("<")), key=lambda label: expected[label])
        driver.find_element(By.CSS_SELECTOR, "#labels input[data-label='%s']" % chosen).click()
        driver.find_element(By.ID, "recipient").send_keys("browser@example.com")
        driver.find_element(By.ID, "download").click()
        confirmation = wait.until(EC.visibility_of_element_located((By.ID, "confirmation")))
        assert "e-mail" in confirmation.text, confirmation.text
        wait.until(EC.visibility_of_element_located((By.ID, "outbox-message")))
        wait.until(lambda d: "To: <browser@example.com>" in d.find_element(By.ID, "outbox-message").text)
        message = driver.find_element(By.ID, "outbox-message").text
        assert "/pam-working/" in message, message

        # The page read the message with its token; without one the outbox refuses it.
        token = driver.execute_script("return sessionStorage.getItem('pam.id_token')")
        listing = urllib.request.Request(base + "/api/outbox", headers={"Authorization": "Bearer " + token})
        newest = json.loads(urllib.request.urlopen(listing).read())["messages"][0]["url"]
        try:
            urllib.request.urlopen(base + newest)
            raise AssertionError("the outbox showed a message without a token")
        except urllib.error.HTTPError as error:
            assert error.code == 401, error.code
        driver.save_screenshot(os.environ.get("PAM_SCREENSHOT", "/tmp/pam-web-page.png"))
        print("web page test passed: %d photos, %d labels shown, bundle of %s requested" % (len(photos), len(shown), chosen))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
