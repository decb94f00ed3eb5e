#!/usr/bin/env python3
"""End-to-end tests of the JumpCloud onboarding wizard, through the real app over WebDriver.

Run through tests/e2e/run.sh, which provides the environment this file expects:
  E2E_APP            absolute path of the app binary
  E2E_WEBDRIVER_URL  tauri-driver, e.g. http://127.0.0.1:4444
  E2E_HOME           the throw-away HOME the app writes into (scanned by the canary test)
  E2E_WORK           its parent (also holds XDG_RUNTIME_DIR and TMPDIR)
  E2E_DRIVER_LOG     tauri-driver's output, which carries the app's stderr
  E2E_LOGS, E2E_SHOTS  where per-test logs and screenshots go

Every test starts its own app session and quits it (screenshot first, also on failure). The tests share one HOME, one D-Bus session
and one keyring, so test 5 can quit and restart the app, and test 6 (the canary scan) runs last and
scans what all of them wrote. Waits poll; nothing sleeps for a fixed time beyond 0.1 s polls.

Secrets: the demo key is read from the API key field into this process's memory only. It is never
printed, and assertion messages never include it.
"""

from __future__ import annotations

import json
import os
import secrets as pysecrets
import shutil
import signal
import string
import subprocess
import sys
import time
import tomllib
import unittest
from pathlib import Path
from typing import Any, Callable, TypeVar

from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.webelement import WebElement
from Xlib import X
from Xlib import display as xdisplay
from Xlib.protocol import event as xevent

T = TypeVar("T")

APP = os.environ.get("E2E_APP", "")
WEBDRIVER_URL = os.environ.get("E2E_WEBDRIVER_URL", "http://127.0.0.1:4444")
HOME = Path(os.environ.get("E2E_HOME", os.path.expanduser("~")))
WORK = Path(os.environ.get("E2E_WORK", str(HOME)))
DRIVER_LOG = Path(os.environ["E2E_DRIVER_LOG"]) if os.environ.get("E2E_DRIVER_LOG") else None
HERE = Path(__file__).resolve().parent
LOGS = Path(os.environ.get("E2E_LOGS", HERE / "logs"))
SHOTS = Path(os.environ.get("E2E_SHOTS", HERE / "screenshots"))

IDENTIFIER = "com.jconboard.wizard"
STORE_FILE = HOME / ".local" / "share" / IDENTIFIER / "connections.json"
COLLECTIONS = HOME / ".cache" / IDENTIFIER / "collections"
REPO = HERE.parent.parent
KEYRING_DIR = HOME / ".local" / "share" / "keyrings"

UI_TIMEOUT = 20.0  # a screen change, a shape check, the app starting
CHECKS_TIMEOUT = 90.0  # a whole run of the connection checks against the demo org
POLL = 0.1

KNOWN_STATES = ("pending", "running", "pass", "warn", "fail", "skipped")

# Every API key this run put into the app (demo keys read from the field, the wrong key, the
# canary), by label. The canary test scans the HOME for all of them. Never printed.
SEEN_KEYS: dict[str, str] = {}
# Names of connections the tests saved, so the canary test can prove it read the store file.
SAVED_NAMES: list[str] = []


def remember_key(label: str, key: str) -> None:
    if key:
        SEEN_KEYS[label] = key


def unique(prefix: str) -> str:
    return f"{prefix} {pysecrets.token_hex(3)}"


# JS helpers, run in the page. They return plain data so one round trip reads one consistent state.
JS_ROWS = """
const root = arguments[0] || document;
const states = %s;
return Array.from(root.querySelectorAll('li.row[data-check]')).map((li) => ({
  id: li.dataset.check,
  state: Array.from(li.classList).find((c) => states.includes(c)) || '',
  title: (li.querySelector('.title') || {}).textContent || '',
  message: (li.querySelector('.message') || {}).textContent || '',
  fix: (li.querySelector('.fix') || {}).textContent || '',
}));
""" % json.dumps(list(KNOWN_STATES))

# axe-core (an npm dev dependency of the UI) audits each screen the suite visits: WCAG 2.0 and
# 2.1, levels A and AA. A serious or critical violation fails the test.
AXE_SOURCE = HERE.parent.parent / "ui" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
JS_AXE = """
const [tags, done] = [arguments[0], arguments[arguments.length - 1]];
axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then((r) => done(r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }))))
  .catch((e) => done({error: String(e)}));
"""

# What has focus and whether it is drawn: an outline or a box-shadow ring.
JS_FOCUSED = """
const el = document.activeElement;
if (!el || el === document.body) return null;
const style = getComputedStyle(el);
const ringed = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
return {
  tag: el.tagName.toLowerCase(), id: el.id || '', role: el.getAttribute('role') || '',
  text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 80),
  type: el.getAttribute('type') || '', ringed: ringed,
};
"""

JS_SETTLE = """
const done = arguments[arguments.length - 1];
requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
"""


class WizardTestCase(unittest.TestCase):
    """One fresh app session per test, with helpers that speak the wizard's words."""

    driver: webdriver.Remote | None
    maxDiff = None

    # ---------------------------------------------------------------- session lifecycle
    def setUp(self) -> None:
        self.assertTrue(APP and os.path.isabs(APP), "E2E_APP must be the app's absolute path (run through tests/e2e/run.sh)")
        self.name = self.id().rsplit(".", 1)[-1]
        self.log_offset = DRIVER_LOG.stat().st_size if DRIVER_LOG and DRIVER_LOG.exists() else 0
        self.driver = None
        # A cleanup, not tearDown: it also runs when setUp itself fails (e.g. Home never shows).
        self.addCleanup(self._finish)
        self.start_app()

    def _finish(self) -> None:
        """Last screen's screenshot (pass or fail), the session ended, the app's log saved."""
        if self.driver is not None:
            self.quit_app(self.name)
        self._save_log()

    def start_app(self) -> None:
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": APP})
        deadline = time.monotonic() + UI_TIMEOUT
        while True:
            try:
                self.driver = webdriver.Remote(command_executor=WEBDRIVER_URL, options=options)
                break
            except WebDriverException as error:
                if time.monotonic() > deadline:
                    raise AssertionError(f"could not start an app session through tauri-driver at {WEBDRIVER_URL}: {error}") from error
                time.sleep(POLL)
        self.driver.implicitly_wait(0)
        self.wait_heading("Your JumpCloud connections", why="the app opens on Home, the list of saved connections")

    def quit_app(self, shot_name: str) -> None:
        """Screenshots the last screen, saves its text to logs/, then ends the session."""
        driver, self.driver = self.driver, None
        if driver is None:
            return
        try:
            self.screenshot(shot_name, driver)
            try:
                text = driver.execute_script("return document.body.innerText")
                (LOGS / f"{shot_name}.txt").write_text(text, encoding="utf-8")
            except WebDriverException:
                pass
        finally:
            try:
                driver.quit()
            except WebDriverException:
                pass

    def screenshot(self, shot_name: str, driver: webdriver.Remote | None = None) -> None:
        driver = driver or self.driver
        if driver is None:
            return
        SHOTS.mkdir(parents=True, exist_ok=True)
        try:
            driver.set_script_timeout(5)
            driver.execute_async_script(JS_SETTLE)  # two frames, so the snapshot shows the last render
        except WebDriverException:
            pass
        try:
            driver.save_screenshot(str(SHOTS / f"{shot_name}.png"))
        except WebDriverException as error:
            print(f"  (screenshot {shot_name} failed: {error})", file=sys.stderr)

    def _save_log(self) -> None:
        """The app's stderr (through tauri-driver) from this test's start to now."""
        if not DRIVER_LOG or not DRIVER_LOG.exists():
            return
        LOGS.mkdir(parents=True, exist_ok=True)
        with DRIVER_LOG.open("rb") as log:
            log.seek(self.log_offset)
            (LOGS / f"{self.name}.log").write_bytes(log.read())

    # ---------------------------------------------------------------- accessibility
    def audit(self, screen: str) -> None:
        """Runs axe-core on the current screen; fails on any serious or critical violation."""
        self.assertTrue(AXE_SOURCE.is_file(), f"axe-core is installed with the UI's dev dependencies ({AXE_SOURCE})")
        if not self.d.execute_script("return typeof window.axe === 'object'"):
            self.d.execute_script(AXE_SOURCE.read_text(encoding="utf-8"))
        self.d.set_script_timeout(30)
        found = self.d.execute_async_script(JS_AXE, AXE_TAGS)
        self.assertIsInstance(found, list, f"axe-core ran on “{screen}”: {found}")
        failing = [v for v in found if v.get("impact") in FAILING_IMPACTS]
        self.audited = getattr(self, "audited", 0) + 1
        self.assertEqual(
            failing,
            [],
            f"“{screen}” has serious or critical accessibility violations (WCAG 2.1 A/AA, axe-core)",
        )

    # ---------------------------------------------------------------- keyboard
    def focused(self) -> dict[str, Any] | None:
        return self.d.execute_script(JS_FOCUSED)

    def press(self, *keys: str) -> None:
        ActionChains(self.d).send_keys(*keys).perform()

    def tab_to(self, matches: Callable[[dict[str, Any]], bool], what: str, limit: int = 150) -> dict[str, Any]:
        """Presses Tab until focus is on what `matches`; every control passed on the way must show focus."""
        visited: list[str] = []
        for _ in range(limit):
            self.press(Keys.TAB)
            now = self.focused()
            if now is None:
                visited.append("(page body)")
                continue
            label = f"{now['tag']}#{now['id']} “{now['text']}”" if now["id"] else f"{now['tag']} “{now['text']}”"
            visited.append(label)
            self.assertTrue(now["ringed"], f"focus is visible on every control: {label} (type {now['type']!r}) has no outline or ring")
            if matches(now):
                return now
        raise AssertionError(f"Tab never reached {what}; the last stops were {visited[-25:]}")

    def tab_to_button(self, text: str, why: str) -> None:
        """Tabs to the enabled button labelled `text` and presses Enter on it."""
        self.tab_to(lambda f: f["tag"] == "button" and f["text"] == text, f"the “{text}” button ({why})")
        self.press(Keys.ENTER)

    # ---------------------------------------------------------------- waiting
    def wait_until(self, condition: Callable[[], T], what: str, timeout: float = UI_TIMEOUT) -> T:
        """Polls condition() until it returns something truthy; fails saying what was awaited."""
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while True:
            try:
                value = condition()
                if value:
                    return value
            except (NoSuchElementException, StaleElementReferenceException) as error:
                last_error = error
            if time.monotonic() > deadline:
                where = self.current_heading() or "(no heading)"
                raise AssertionError(
                    f"timed out after {timeout:.0f} s waiting for {what}; the screen shows “{where}”"
                    + (f" (last lookup error: {type(last_error).__name__})" if last_error else "")
                )
            time.sleep(POLL)

    def current_heading(self) -> str:
        try:
            assert self.driver is not None
            return self.driver.find_element(By.CSS_SELECTOR, "main h1").text.strip()
        except (WebDriverException, AssertionError):
            return ""

    def wait_heading(self, text: str, why: str, timeout: float = UI_TIMEOUT) -> None:
        self.wait_until(lambda: self.current_heading().startswith(text), f"the screen “{text}” ({why})", timeout)
        self.audit(text)

    # ---------------------------------------------------------------- finding things
    @property
    def d(self) -> webdriver.Remote:
        assert self.driver is not None, "no app session"
        return self.driver

    def css(self, selector: str, root: Any = None) -> WebElement:
        return (root or self.d).find_element(By.CSS_SELECTOR, selector)

    def css_all(self, selector: str, root: Any = None) -> list[WebElement]:
        return (root or self.d).find_elements(By.CSS_SELECTOR, selector)

    def button(self, label: str, root: Any = None) -> WebElement:
        """The first displayed button whose visible text is exactly `label`."""
        literal = json.dumps(label) if "'" in label else f"'{label}'"
        for el in (root or self.d).find_elements(By.XPATH, f".//button[normalize-space(.)={literal}]"):
            if el.is_displayed():
                return el
        raise NoSuchElementException(f"button {label!r}")

    def click_button(self, label: str, why: str, root: Any = None) -> None:
        el = self.wait_until(lambda: self._enabled(self.button(label, root)), f"an enabled “{label}” button ({why})")
        el.click()

    @staticmethod
    def _enabled(el: WebElement) -> WebElement | None:
        return el if el.is_enabled() else None

    def next_button(self) -> WebElement:
        return self.css("footer.nav button.btn.primary")

    def click_next(self, label: str, why: str) -> None:
        def ready() -> WebElement | None:
            el = self.next_button()
            return el if el.is_enabled() and el.text.strip() == label else None

        self.wait_until(ready, f"the footer's “{label}” button to be enabled ({why})").click()

    def type_into(self, element_id: str, text: str) -> None:
        """Replaces the field's content the way a person would: select all, then type."""
        field = self.wait_until(lambda: self.css(f"input#{element_id}"), f"the field #{element_id}")
        field.click()
        field.clear()
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(Keys.BACK_SPACE)
        field.send_keys(text)
        self.wait_until(lambda: field.get_property("value") == text, f"#{element_id} to hold what was typed")

    def rows(self, root: WebElement | None = None) -> dict[str, dict[str, str]]:
        return {r["id"]: r for r in self.d.execute_script(JS_ROWS, root)}

    def text_of(self, selector: str, root: Any = None) -> str:
        return self.css(selector, root).text.strip()

    # ---------------------------------------------------------------- wizard steps
    def step_shot(self, label: str) -> None:
        """An extra screenshot of an intermediate screen: screenshots/<test>-NN-<label>.png."""
        self.shots = getattr(self, "shots", 0) + 1
        self.screenshot(f"{self.name}-{self.shots:02d}-{label}")
        self.audit(label)

    def choose_platform(self, platform: str, shots: bool = False) -> None:
        """The Platform step: choose `platform` (a profile id; "other" is "Another platform"), then Next."""
        self.wait_heading("Which platform are you connecting to?", "the platform is chosen right after Welcome")
        radio = self.wait_until(
            lambda: self.css(f"input[name='platform'][value='{platform}']"),
            f"the platform “{platform}” in the list",
        )
        radio.click()
        self.wait_until(lambda: radio.is_selected(), f"the “{platform}” radio to be selected")
        if shots:
            self.step_shot("platform")
        self.click_next("Next", "a platform is chosen")

    def choose_scenario(self, scenario: str) -> None:
        """The demo chooser: select `scenario` (not yet started)."""
        self.wait_heading("Try with a demo organization", "the demo chooser lists the situations to rehearse")
        radio = self.wait_until(
            lambda: self.css(f"input[name='scenario'][value='{scenario}']"),
            f"the demo situation “{scenario}” in the chooser",
        )
        radio.click()
        self.wait_until(lambda: radio.is_selected(), f"the “{scenario}” radio to be selected")

    def start_demo(self, scenario: str, via_welcome: bool = False, shots: bool = False, platform: str = "other") -> str:
        """Home → (Welcome →) demo chooser → scenario → platform → admin → API key step.

        Returns the demo key read from the field (kept in memory, never printed)."""
        if via_welcome:
            self.click_button("Connect JumpCloud", "Home offers to connect JumpCloud")
            self.wait_heading("Connect your JumpCloud directory", "the wizard opens on Welcome")
            if shots:
                self.step_shot("welcome")
            self.click_button("Try with a demo organization", "Welcome offers the demo organization too", self.css("footer.nav"))
        else:
            self.click_button("Try with a demo organization", "Home offers a demo organization")
        self.choose_scenario(scenario)
        if shots:
            self.step_shot("demo-chooser")
        self.click_next("Start the demo", "a situation is chosen")
        self.choose_platform(platform, shots)
        self.wait_heading("How should the platform connect?", "the platform step leads to the choice of how to connect")
        badge = self.wait_until(lambda: self.css("[data-testid='demo-badge']"), "the Demo badge in the header")
        self.assertIn("Demo", badge.text, "the header says the app is in demo mode, so nobody mistakes it for a real org")
        api_key = self.css("input[name='connect-kind'][value='api_key']")
        self.assertTrue(api_key.is_selected(), "an API-key demo situation comes with the administrator's API key chosen")
        self.click_next("Next", "either way to connect can go on")
        self.wait_heading("Create a read-only administrator", "the API key path starts with the read-only administrator")
        if shots:
            self.step_shot("admin")
        self.click_next("Next", "the admin checklist is informational; Next is always on")
        self.wait_heading("Copy the administrator's API key", "the API key step follows the admin step")
        field = self.css("input#api-key")
        key = self.wait_until(lambda: field.get_property("value"), "the demo key to be filled in")
        self.wait_until(lambda: self.css("#api-key-feedback p"), "the key's shape feedback")
        if shots:
            self.step_shot("api-key")
        remember_key(f"demo key ({scenario})", key)
        self.assertEqual(field.get_attribute("type"), "password", "the API key field masks the key unless Show is pressed")
        return key

    def start_service_account_demo(self, scenario: str, audit: bool = False) -> None:
        """Home → demo chooser → a service-account scenario → how to connect → console steps → client ID and secret."""
        self.click_button("Try with a demo organization", "Home offers a demo organization")
        self.choose_scenario(scenario)
        self.click_next("Start the demo", "a situation is chosen")
        self.choose_platform("other")
        self.wait_heading("How should the platform connect?", "the platform step leads to the choice of how to connect")
        chosen = self.css("input[name='connect-kind'][value='service_account']")
        self.assertTrue(chosen.is_selected(), "a service-account demo situation comes with the service account chosen")
        self.assertIn("Recommended", self.text_of("fieldset.kinds"), "the service account is marked as the recommended way")
        if audit:
            self.step_shot("connect-how")
            self.audit("How should the platform connect?")
            # The choice works from the keyboard: one Tab stop for the group, arrows move the choice.
            self.tab_to(lambda f: f["type"] == "radio", "the ways to connect (one Tab stop for the group)")
            self.press(Keys.ARROW_DOWN)
            other = self.css("input[name='connect-kind'][value='api_key']")
            self.wait_until(lambda: other.is_selected(), "the arrow key to choose the administrator's API key")
            self.press(Keys.ARROW_UP)
            self.wait_until(lambda: chosen.is_selected(), "the arrow key to choose the service account again")
            self.tab_to_button("Next", "either way to connect can go on")
        else:
            self.click_next("Next", "either way to connect can go on")
        self.wait_heading("Create a read-only service account", "the service-account path starts with its console steps")
        steps = self.text_of("ol.checklist")
        for must in ("Service Accounts", "Read Only", "Client Secret", "only once"):
            self.assertIn(must, steps, f"the console checklist mentions {must}")
        if audit:
            self.step_shot("service-account-console")
            self.audit("Create a read-only service account")
        self.click_next("Next", "the console checklist is informational; Next is always on")
        self.wait_heading("Paste the client ID and secret", "the client ID and secret step follows")
        secret = self.css("input#sa-client-secret")
        filled = self.wait_until(lambda: secret.get_property("value"), "the demo secret to be filled in")
        remember_key(f"demo client secret ({scenario})", filled)
        self.assertEqual(secret.get_attribute("type"), "password", "the client secret is masked unless Show is pressed")
        self.assertTrue(self.css("input#sa-client-id").get_property("value"), "the demo client ID is filled in")
        self.wait_until(lambda: self.css("#sa-feedback p.ok"), "the shape check to accept the demo client ID and secret")
        if audit:
            self.step_shot("client-credentials")
            self.audit("Paste the client ID and secret")
            self.tab_to(lambda f: f["id"] == "sa-client-secret", "the client secret field")
            self.tab_to_button("Show", "the toggle that reveals the secret")
            self.wait_until(lambda: secret.get_attribute("type") == "text", "Enter on Show to reveal the secret")
            self.press(Keys.ENTER)
            self.wait_until(lambda: secret.get_attribute("type") == "password", "Enter again to mask it")
        self.api_key_to_test()

    def api_key_to_test(self, shots: bool = False) -> None:
        """API key step (with a well-shaped key) → Organization (empty) → Test connection."""
        self.click_next("Next", "the key in the field has the right shape")
        self.wait_heading("Organization ID", "the organization step follows the API key")
        if shots:
            self.step_shot("organization")
        self.click_next("Next", "an empty organization ID is allowed")
        self.wait_heading("Test the connection", "the test step runs the checks right away")

    def wait_checks(self, root_selector: str = "main", previous: WebElement | None = None) -> dict[str, Any]:
        """Waits until a run of the checks is over; returns {"summary", "ok", "rows"}."""
        if previous is not None:
            self.wait_until(lambda: self._is_stale(previous), "the earlier test result to be replaced by a new run")

        def finished() -> dict[str, Any] | None:
            root = self.css(root_selector)
            for alert in self.css_all("[role='alert']", root):
                if "could not run" in alert.text:
                    raise AssertionError(f"the test could not run: {alert.text!r}")
            notices = self.css_all(".summary .notice", root)
            if not notices:
                return None
            rows = self.rows(root)
            if any(r["state"] in ("running", "pending") for r in rows.values()):
                return None
            notice = notices[0]
            return {
                "summary": notice.text.strip(),
                "ok": "pass" in (notice.get_attribute("class") or "").split(),
                "rows": rows,
                "notice": notice,
            }

        return self.wait_until(finished, "the connection checks to finish", CHECKS_TIMEOUT)

    @staticmethod
    def _is_stale(el: WebElement) -> bool:
        try:
            el.is_displayed()
            return False
        except StaleElementReferenceException:
            return True

    def assert_all_passed(self, result: dict[str, Any], context: str) -> None:
        # JumpCloud shows no expiry for an administrator's key, so credentials.expiry is skipped for one.
        failed = {
            k: (r["state"], r["message"])
            for k, r in result["rows"].items()
            if r["state"] not in ("pass", "warn") and not (k == "credentials.expiry" and r["state"] == "skipped")
        }
        self.assertEqual(failed, {}, f"{context}: every check should pass (or warn) against a healthy demo org")
        self.assertTrue(result["ok"], f"{context}: the summary should say the connection works, got {result['summary']!r}")
        for must in ("key.shape", "network.reach", "key.accepted", "org.selected", "role.least_privilege", "preview.sample"):
            self.assertIn(must, result["rows"], f"{context}: the check {must} should be listed")
        self.assertTrue(any(k.startswith("access.") for k in result["rows"]), f"{context}: access.* checks should be listed")

    def preview_and_save(self, name: str, shots: bool = False, platform_fields: Callable[[], None] | None = None) -> None:
        """Test (passed) → Preview → Save with `name` (and the platform's own fields) → hand-over → Home showing it."""
        self.click_next("Next", "the test passed, so the wizard lets the user go on")
        self.wait_heading("Preview your data", "the preview follows a passing test")
        self.wait_until(lambda: self.css("#counts"), "the preview's counts (“How much there is”)", CHECKS_TIMEOUT)
        users = self.wait_until(lambda: self.css_all("section[aria-labelledby='t-users'] tbody tr"), "sample users in the preview")
        self.assertGreater(len(users), 0, "the healthy demo org has users, and the preview shows the first rows")
        if shots:
            self.step_shot("preview")
        self.click_next("Next", "the preview is informational")
        self.wait_heading("Name and save the connection", "the save step comes last")
        if shots:
            self.step_shot("save")
        lead = self.text_of("main .lead")
        self.assertIn("Read Only", lead, "the save step restates that the key is of the Read Only role")
        storage = self.text_of("section[aria-labelledby='key-storage']")
        self.assertIn("keychain", storage, "with gnome-keyring unlocked, the key is kept in the keychain (not session-only)")
        self.type_into("conn-name", name)
        if platform_fields is not None:
            platform_fields()
        self.click_next("Save connection", "the connection has a name and a keychain is available")
        SAVED_NAMES.append(name)
        self.wait_until(lambda: self.current_heading().startswith("Hand over to"), "saving leads to the hand-over to the platform")
        self.wait_until(lambda: self.css_all("ol.fields li.field"), "the platform's fields on the hand-over screen")
        self.audit("hand-over")
        if shots:
            self.step_shot("handover")
        if platform_fields is None:
            self.leave_handover()

    def leave_handover(self) -> None:
        """The hand-over screen's Done → Home with the saved connection."""
        self.click_button("Done", "the hand-over ends with Done")
        self.wait_heading("Your JumpCloud connections", "Done returns to Home")
        name = SAVED_NAMES[-1]
        self.wait_until(lambda: self.list_item(name), f"the saved connection “{name}” in Home's list")

    def list_item(self, name: str) -> WebElement | None:
        for item in self.css_all("ul[aria-label='Saved connections'] button.item"):
            if self.css(".name", item).text.strip() == name:
                return item
        return None

    def saved_names(self) -> list[str]:
        return [el.text.strip() for el in self.css_all("ul[aria-label='Saved connections'] .name")]


class WizardTests(WizardTestCase):
    def test_1_demo_walk_healthy(self) -> None:
        """Welcome → demo → admin → key → org → test → preview → save → Home lists the connection."""
        self.start_demo("healthy", via_welcome=True, shots=True)
        self.wait_until(lambda: self.css("#api-key-feedback p.ok"), "the shape check to accept the demo key")
        self.api_key_to_test(shots=True)
        result = self.wait_checks()
        self.step_shot("test")
        self.assert_all_passed(result, "healthy demo")
        self.assertIn("Connected to", result["summary"], "the summary names what it connected to")
        self.assertIn("US data center", result["summary"], "the healthy demo org is in the US data center")

        name = unique("E2E Healthy")
        self.preview_and_save(name, shots=True)
        notice = self.wait_until(lambda: self.css(".notice.pass"), "the “Saved …” confirmation on Home")
        self.assertIn(f"Saved “{name}”", notice.text, "Home confirms which connection was saved")
        item = self.list_item(name)
        assert item is not None
        self.assertIn("Demo", item.text, "a demo connection is tagged Demo in the list, so it is not mistaken for a real one")
        self.assertIn("Last test passed", item.text, "the list shows the result of the test run before saving")
        detail = self.wait_until(lambda: self.css("#connection-detail h2"), "the saved connection's detail panel")
        self.assertEqual(detail.text.strip(), name, "the just-saved connection is selected, showing its details")
        facts = self.text_of("#connection-detail dl.facts")
        self.assertIn("kept in this computer's keychain", facts, "the detail says where the key is kept")

    def test_2_wrong_key_is_refused_with_a_fix(self) -> None:
        """A well-shaped but unknown key: key.accepted fails, and its fix explains regenerated keys."""
        self.start_demo("healthy")
        wrong = "jca_" + "x" * 36
        remember_key("wrong key", wrong)
        self.type_into("api-key", wrong)
        feedback = self.wait_until(lambda: self.css("#api-key-feedback p.ok"), "the shape check to accept a jca_ + 36 key")
        self.assertTrue(feedback.text, "the shape feedback says the key looks right")
        self.api_key_to_test()
        result = self.wait_checks()
        rows = result["rows"]
        self.assertFalse(result["ok"], "a key JumpCloud does not know must not connect")
        self.assertEqual(rows["key.shape"]["state"], "pass", "the wrong key is well-shaped, so key.shape passes")
        accepted = rows["key.accepted"]
        self.assertEqual(accepted["state"], "fail", f"key.accepted should fail for an unknown key, got {accepted['state']!r}: {accepted['message']!r}")
        self.assertIn("did not recognise this API key", accepted["message"], "the message says the key was not recognised")
        self.assertIn("Generate New API Key", accepted["fix"], "the fix explains that generating a new key stops the old one (explain.rs key_fix)")
        self.assertIn("Enable API Access", accepted["fix"], "the fix also covers API access being off for the administrator")
        self.assertIn(accepted["title"], result["summary"], "the summary names the first failed check")
        later = [k for k, r in rows.items() if k.startswith("access.") or k in ("org.selected", "role.least_privilege", "preview.sample")]
        self.assertTrue(later, "the checks after key.accepted are listed")
        for k in later:
            self.assertEqual(rows[k]["state"], "skipped", f"{k} comes after a failed mandatory check, so it is skipped")
        nxt = self.next_button()
        self.assertFalse(nxt.is_enabled(), "Next stays off until the test passes")
        self.assertIn("has to pass", self.text_of("#next-hint"), "the footer says why Next is off")
        # Show the technical details (one toggle for the list), so the screenshot shows what support would see.
        self.click_button("Show technical details for support", "one toggle shows every check's technical details")
        self.wait_until(
            lambda: self.css_all("li.row[data-check='key.accepted'] .evidence"),
            "the failed check's requests under its technical details",
        )

    def test_3_eu_region_is_detected(self) -> None:
        """The eu-region demo: the test finds the organization in the EU data center by itself."""
        self.start_demo("eu-region")
        self.api_key_to_test()
        result = self.wait_checks()
        self.assert_all_passed(result, "eu-region demo")
        self.assertIn("EU data center", result["summary"], "the summary says the organization is in the EU data center")
        accepted = result["rows"]["key.accepted"]
        self.assertIn("EU data center", accepted["message"], "key.accepted says in which data center the key was accepted")
        self.assertIn("found automatically", accepted["message"], "with Automatic region, the message says the data center was detected")

    def test_4_multi_tenant_org_picker(self) -> None:
        """A multi-tenant key: the test lists the 3 orgs; picking one re-runs the checks, which pass."""
        self.start_demo("multi-tenant")
        self.api_key_to_test()
        first = self.wait_checks()
        self.assertFalse(first["ok"], "without an organization, a multi-tenant key cannot connect yet")
        self.assertIn("choose which organization", first["summary"], "the summary asks to choose an organization, not to fix an error")
        picker = self.wait_until(lambda: self.css("main .picker fieldset"), "the organization picker on the test step")
        names = [el.text.strip() for el in self.css_all(".choice .name", picker)]
        self.assertEqual(sorted(names), sorted(["Acme Corp", "Acme EU Subsidiary", "Globex"]),
                         "the picker lists the three organizations the multi-tenant demo key reaches")
        self.assertNotEqual(first["rows"]["org.selected"]["state"], "pass", "org.selected cannot pass before an organization is chosen")
        use = self.button("Use this organization and test again")
        self.assertFalse(use.is_enabled(), "the re-test button waits for a choice")
        self.step_shot("picker")

        choice = next(el for el in self.css_all(".choice", picker) if self.css(".name", el).text.strip() == "Globex")
        self.css("input[type='radio']", choice).click()
        self.click_button("Use this organization and test again", "an organization is picked")
        second = self.wait_checks(previous=first["notice"])
        self.assert_all_passed(second, "multi-tenant demo with Globex picked")
        self.assertIn("Globex", second["summary"], "the summary names the picked organization")
        self.assertIn("Globex", second["rows"]["org.selected"]["message"], "org.selected names the picked organization")
        self.assertEqual(self.css_all("main .picker"), [], "the picker goes away once an organization is chosen and the test passes")
        self.assertTrue(self.next_button().is_enabled(), "the wizard can go on after the re-run passes")

    def test_5_saved_connection_survives_restart(self) -> None:
        """Save a demo connection, quit, start the app again: it is listed, and re-testing it passes."""
        key = self.start_demo("healthy")
        self.api_key_to_test()
        self.assert_all_passed(self.wait_checks(), "healthy demo before saving")
        name = unique("E2E Restart")
        self.preview_and_save(name)

        # The store file has the connection but not the key; the keychain has the key.
        self.assertTrue(STORE_FILE.is_file(), f"saving writes the connections store at {STORE_FILE}")
        store_text = STORE_FILE.read_text(encoding="utf-8")
        self.assertIn(name, store_text, "the store file holds the saved connection")
        self.assertNotIn(key[4:], store_text, "the store file must never hold the API key")
        conn_id = next(c["id"] for c in json.loads(store_text)["connections"] if c["name"] == name)
        if shutil.which("secret-tool"):
            found = subprocess.run(
                ["secret-tool", "lookup", "service", IDENTIFIER, "username", conn_id],
                capture_output=True, text=True, timeout=20,
            )
            self.assertTrue(found.stdout.strip() == key, "the keychain (Secret Service) holds the demo key under the connection's id")

        self.quit_app(f"{self.name}-before-restart")
        self.start_app()

        item = self.wait_until(lambda: self.list_item(name), f"“{name}” in the list after restarting the app")
        self.assertIn("Last test passed", item.text, "the last test result survives the restart")
        item.click()
        title = self.wait_until(lambda: self.css("#connection-detail h2"), "the detail panel of the chosen connection")
        self.assertEqual(title.text.strip(), name, "clicking the connection opens its details")
        self.assertIn("kept in this computer's keychain", self.text_of("#connection-detail dl.facts"), "the detail says the key is in the keychain")
        self.click_button("Test again", "a saved connection can be re-tested", self.css("#connection-detail"))
        result = self.wait_checks("#connection-detail")
        self.assert_all_passed(result, "re-test after restart (the key came back from the keychain)")
        self.wait_until(lambda: "Passed" in self.text_of("#connection-detail dl.facts"), "the detail's Last test to say Passed")

    def test_5b_diagnostics_show_the_role_failure_and_save_a_bundle(self) -> None:
        """Command-runner demo: the test fails at the role; Diagnostics names the role and saves a bundle without the key."""
        key = self.start_demo("command-runner")
        self.api_key_to_test()
        result = self.wait_checks()
        self.assertFalse(result["ok"], "a Command Runner key must not connect")
        role_row = result["rows"]["role.least_privilege"]
        self.assertEqual(role_row["state"], "fail", f"the role check fails for a Command Runner key: {role_row['message']!r}")
        self.assertFalse(self.next_button().is_enabled(), "the wizard cannot save a connection whose test failed")

        self.click_button("Open diagnostics", "a failed test offers diagnostics for the unsaved connection")
        panel = self.wait_until(lambda: self.css("#diagnostics"), "the Diagnostics panel on the test step")
        self.wait_checks("#diagnostics")
        role = self.wait_until(lambda: self.text_of("#diagnostics [data-fact='role']"), "the role in Diagnostics")
        self.assertIn("Command Runner", role, "Diagnostics shows the key's administrator role")
        causes = self.wait_until(lambda: self.text_of("#diagnostics .diagnoses"), "the list of diagnoses")
        self.assertIn("Command Runner", causes, "a diagnosis names the Command Runner role as the cause")
        self.assertIn("Read Only", causes, "and its fix says to use a Read Only administrator's key")
        self.assertIn(key[-4:], self.text_of("#diagnostics [data-fact='key']"), "the key's last four characters are shown")
        self.assertNotIn(key[4:], panel.text, "the key itself is never shown in Diagnostics")

        self.click_button("Save support bundle", "the checks ran, so a bundle can be saved", panel)
        shown = self.wait_until(lambda: self.text_of("#diagnostics .bundle-path"), "where the support bundle was saved")
        bundle = Path(shown)
        self.assertTrue(bundle.is_absolute() and bundle.is_file(), "the bundle file exists where the app says it saved it")
        self.assertTrue(bundle.is_relative_to(HOME), "the bundle is saved under the user's home (Downloads)")
        text = bundle.read_text(encoding="utf-8")
        self.assertNotIn(key[4:], text, "the support bundle never holds the API key")
        data = json.loads(text)
        self.assertIn("Command Runner", data["report"]["role"] or "", "the bundle carries the report with the role")
        self.assertTrue(any("Command Runner" in d["title"] for d in data["diagnoses"]), "the bundle carries the diagnosis")
        self.assertFalse(data["personal_data"], "people's names and emails are left out by default")
        self.assertTrue(data["log_lines"], "the bundle carries recent lines of the app's log file")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", self.css("#diagnostics .saved-bundle"))
        self.step_shot("diagnostics")

    def test_5d_custom_role_shows_the_missing_permissions_and_the_recipe(self) -> None:
        """Custom-role-partial demo: the Test step names the two missing permissions and shows the recipe to copy."""
        self.start_demo("custom-role-partial")
        self.api_key_to_test()
        result = self.wait_checks()
        self.assertTrue(result["ok"], "devices and RADIUS are optional: the connection still works, with warnings")
        for refused in ("access.devices", "access.radius_servers"):
            self.assertEqual(result["rows"][refused]["state"], "fail", f"{refused} is refused for a role without its permission")

        section = self.wait_until(lambda: self.css("[data-permissions='test-permissions']"), "the permission view after the checks")
        verdict = self.text_of("[data-verdict]", section)
        self.assertIn("missing permissions", verdict, "the verdict says the role lacks permissions")
        for scope in ("systems.readonly", "radius.readonly"):
            self.assertIn(scope, verdict, f"the verdict names the missing permission {scope}")
        self.assertNotIn("groups.readonly", verdict, "only the two missing permissions are named")
        devices = self.text_of("tr[data-permission='devices']", section)
        self.assertIn("Not allowed", devices, "devices are not readable")
        self.assertIn("Grant read access: Devices", devices, "the devices row says which permission to grant")
        radius = self.text_of("tr[data-permission='radius_servers']", section)
        self.assertIn("radius.readonly", radius, "the RADIUS row names the exact permission to grant")
        self.assertIn("Readable", self.text_of("tr[data-permission='users']", section), "users are readable")

        recipe = self.css("[data-recipe]", section)
        self.assertTrue(recipe.is_displayed(), "the recipe is shown open: it is the fix")
        listed = [li.get_attribute("data-scope") for li in self.css_all("li[data-scope]", recipe)]
        self.assertIn("systems.readonly", listed, "the recipe turns on the devices permission")
        self.assertIn("radius.readonly", listed, "the recipe turns on the RADIUS permission")
        self.assertTrue(all(scope.endswith(".readonly") for scope in listed), f"the recipe grants read access only: {listed}")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", recipe)
        self.click_button("Copy the recipe", "the recipe is copyable as text", recipe)
        # A webview without clipboard access shows the text to copy by hand instead.
        outcome = self.wait_until(
            lambda: "Copied" if "Copied" in recipe.text else self.css("textarea", recipe).get_property("value"),
            "the recipe to be copied, or shown to copy by hand",
        )
        if outcome != "Copied":
            self.assertIn("systems.readonly", outcome, "the text to copy is the recipe")
        self.step_shot("permissions")

    def test_5c_collect_search_follow_and_export(self) -> None:
        """Healthy demo: Preview → collect everything → search users → open one → follow a group → export."""
        key = self.start_demo("healthy")
        self.api_key_to_test()
        result = self.wait_checks()
        self.assert_all_passed(result, "healthy demo")
        self.click_next("Next", "the test passed, so the wizard lets the user go on")
        self.wait_heading("Preview your data", "the preview follows a passing test")
        started = time.monotonic()
        self.click_button("Collect everything", "the Preview offers the full collection")
        summary = self.wait_until(lambda: self.css("[data-testid='collection-summary']"), "the collection's summary", CHECKS_TIMEOUT)
        took = time.monotonic() - started
        users_row = self.css("tr[data-category='users']", summary)
        self.assertIn("Complete", users_row.text, "the healthy demo's users are collected completely")
        self.assertIn("Collected in", summary.text, "the summary says how long the collection took")
        print(f"  (collected the demo org in {took:.1f} s)", file=sys.stderr)

        self.click_button(self.css("#tab-users").text.strip(), "a tab per collected category")
        table = self.wait_until(lambda: self.css("[role='grid'][data-category='users']"), "the users table")

        def loaded_ids() -> list[str] | None:
            ids = [r.get_attribute("data-id") for r in self.css_all("[role='row'][data-id]", table)]
            return [i for i in ids if i] or None

        candidates = []
        for user_id in self.wait_until(loaded_ids, "the first rows of users")[:15]:
            row = self.css(f"[role='row'][data-id='{user_id}']", table)
            name = (row.find_elements(By.CSS_SELECTOR, "[role='gridcell']")[0].get_attribute("textContent") or "").strip()
            if name:
                candidates.append((user_id, name))
        group = None
        for user_id, name in candidates:
            self.type_into("search-users", name)

            def filtered(name: str = name) -> list[str] | None:
                shown = [c.get_attribute("textContent") or "" for c in self.css_all("[role='row'][data-id] [role='gridcell']:first-child", table)]
                return shown if shown and all(name.lower() in s.lower() for s in shown) else None

            self.wait_until(filtered, f"the search for {name!r} to leave only matching users")
            row = self.css(f"[role='row'][data-id='{user_id}']", table)
            row.click()
            detail = self.wait_until(
                lambda: (lambda d: d if d and d[0].get_attribute("data-id") == user_id else None)(self.css_all("#record-detail")),
                "the user's detail panel",
            )[0]
            self.wait_until(lambda: self.css("h4", detail), "the user's related records")
            buttons = self.css_all("button[data-category='user_groups']", detail)
            if buttons:
                group = buttons[0]
                break
        self.assertIsNotNone(group, "one of the first users belongs to a group")
        assert group is not None
        group_name = group.text.strip()
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", table)
        self.step_shot("user-detail")
        group.click()
        self.wait_until(lambda: self.css("#tab-user_groups").get_attribute("aria-selected") == "true", "the user groups tab to open")
        self.wait_until(
            lambda: (lambda d: d if d and d[0].get_attribute("data-category") == "user_groups" else None)(self.css_all("#record-detail")),
            "the group's detail panel",
        )
        self.assertEqual(self.text_of("#record-detail h3"), group_name, "following the link selects that group")

        self.click_button("Export", "a finished collection can be exported")
        shown = self.wait_until(lambda: self.text_of(".export-path"), "where the export was saved")
        folder = Path(shown)
        self.assertTrue(folder.is_absolute() and folder.is_dir(), "the export folder exists where the app says")
        self.assertTrue(folder.is_relative_to(HOME), "the export is saved under the user's home (Downloads)")
        for name in ("snapshot.json", "users.csv"):
            path = folder / name
            self.assertTrue(path.is_file(), f"the export holds {name}")
            self.assertNotIn(key[4:], path.read_text(encoding="utf-8"), f"{name} never holds the API key")
        snapshot = json.loads((folder / "snapshot.json").read_text(encoding="utf-8"))
        self.assertGreater(len(snapshot["records"]["users"]), 0, "the snapshot holds the users")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", self.css(".saved-export"))
        self.step_shot("export")

        # Logos are fetched by Rust and shown as data; member lists read as counts.
        self.click_button(self.css("#tab-applications").text.strip(), "the applications tab")
        apps = self.wait_until(lambda: self.css("[role='grid'][data-category='applications']"), "the applications table")
        self.wait_until(
            lambda: self.css_all("[role='row'] img[src^='data:image/png;base64,']", apps) or None,
            "an application logo fetched by Rust and handed over as data",
        )
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", apps)
        self.step_shot("applications")
        self.assertTrue(any(p.is_file() for p in (folder / "logos").iterdir()), "the export holds the fetched logos")
        self.click_button(self.css("#tab-user_groups").text.strip(), "the user groups tab")
        groups = self.wait_until(lambda: self.css("[role='grid'][data-category='user_groups']"), "the user groups table")
        headers = [(h.get_attribute("textContent") or "").strip() for h in self.css_all("[role='columnheader']", groups)]
        self.assertIn("Members", headers, "groups show a Members column")
        members_at = headers.index("Members")

        def member_counts() -> list[str] | None:
            rows = self.css_all("[role='row'][data-id]", groups)
            cells = [(r.find_elements(By.CSS_SELECTOR, "[role='gridcell']")[members_at].get_attribute("textContent") or "").strip() for r in rows]
            return cells or None

        self.assertTrue(all(c.isdigit() for c in self.wait_until(member_counts, "the groups' rows")), "members are a count, not a list of ids")

        # Leaving the Preview and coming back shows the same result without collecting again.
        self.click_button("Back", "the wizard lets the user step back from the Preview")
        self.wait_heading("Test the connection", "Back leads to the test step")
        self.click_next("Next", "the same connection passes again")
        self.wait_heading("Preview your data", "Next returns to the Preview")
        again = self.wait_until(lambda: self.css("[data-testid='collection-summary']"), "the kept collection's summary")
        self.assertIn("started", again.text, "the kept summary says when it was collected")
        self.click_button("Collect again", "a kept result can be refreshed")  # and is replaced by a new one
        self.wait_until(lambda: self.css("[data-testid='collection-summary']"), "the new collection's summary", CHECKS_TIMEOUT)

        # The collection (people's names and emails) lives in a private folder that never outlives the app.
        collections = HOME / ".cache" / IDENTIFIER / "collections"
        held = [p for p in collections.iterdir() if p.is_dir()]
        self.assertEqual(len(held), 1, f"one folder for the kept collection, the replaced one removed: {held}")
        self.assertEqual(held[0].stat().st_mode & 0o077, 0, "only the user can read the collection folder")
        # Asked to quit (a logout sends SIGTERM), the app exits the normal way and removes it.
        self.screenshot(f"{self.name}-before-quit")
        pids = app_pids()
        self.assertEqual(len(pids), 1, f"one app process runs: {pids}")
        os.kill(pids[0], signal.SIGTERM)
        self.wait_until(lambda: not held[0].exists() or None, "the collection folder to be removed as the app exits")
        ended, self.driver = self.driver, None
        try:
            if ended is not None:
                ended.quit()  # the app is gone already; only the session remains
        except WebDriverException:
            pass

        # A killed app cannot clean up: its folder is removed by the next start.
        self.start_app()
        abandoned = collections / "1-1"
        abandoned.mkdir(mode=0o700)
        (abandoned / ".in-use").write_text("")
        (abandoned / "users.csv").write_text("id\n")
        self.quit_app(f"{self.name}-killed")
        self.start_app()
        self.assertFalse(abandoned.exists(), "a folder no running app holds is removed when the app starts")

    def test_5k_keyboard_only_demo_walk(self) -> None:
        """The healthy demo from Home to a saved connection with the keyboard alone, focus always visible."""
        self.tab_to_button("Try with a demo organization", "Home offers a demo organization")
        self.wait_heading("Try with a demo organization", "Enter on the button opens the demo chooser")
        chosen = self.tab_to(lambda f: f["type"] == "radio", "the demo situations (one Tab stop for the group)")
        self.assertEqual(chosen["tag"], "input", "Tab reaches the chosen situation's radio")
        self.tab_to_button("Start the demo", "the healthy situation is chosen by default")
        self.wait_heading("Which platform are you connecting to?", "the demo starts on the Platform step")
        self.tab_to(lambda f: f["type"] == "radio", "the platforms (no choice yet)")
        self.press(Keys.SPACE)
        self.wait_until(lambda: self.css_all("input[name='platform']:checked"), "Space chooses the focused platform")
        self.tab_to_button("Next", "a platform is chosen")
        self.wait_heading("How should the platform connect?", "the platform step leads to the choice of how to connect")
        self.tab_to_button("Next", "the healthy situation uses an administrator's API key, already chosen")
        self.wait_heading("Create a read-only administrator", "the API key path starts with the read-only administrator")
        self.tab_to(lambda f: f["type"] == "checkbox", "the admin checklist's first checkbox")
        self.press(Keys.SPACE)
        self.tab_to_button("Next", "the admin checklist is informational")
        self.wait_heading("Copy the administrator's API key", "the API key step follows")
        self.wait_until(lambda: self.css("#api-key-feedback p.ok"), "the shape check to accept the demo key")
        self.tab_to_button("Next", "the demo key is filled in")
        self.wait_heading("Organization ID", "the organization step follows")
        self.tab_to_button("Next", "an empty organization ID is allowed")
        self.wait_heading("Test the connection", "the test runs by itself")
        self.assert_all_passed(self.wait_checks(), "keyboard walk")
        self.tab_to_button("Next", "the test passed")
        self.wait_heading("Preview your data", "the preview follows a passing test")
        self.wait_until(lambda: self.css("#counts"), "the preview's counts", CHECKS_TIMEOUT)

        self.tab_to_button("Collect everything", "the Preview offers the full collection")
        self.wait_until(lambda: self.css("[data-testid='collection-summary']"), "the collection's summary", CHECKS_TIMEOUT)
        self.wait_until(self.focused, "focus to land on something after the Collect button went away (not the page body)")
        self.tab_to(lambda f: f["role"] == "tab", "the category tabs: one Tab stop, the selected tab")
        for _ in range(len(self.css_all("[role='tab']"))):
            was = (self.focused() or {}).get("text", "")
            if was.startswith("Users"):
                break
            self.press(Keys.ARROW_RIGHT)
            self.wait_until(lambda: (self.focused() or {}).get("text", "") != was, "Right to move focus to the next tab")
        self.assertTrue((self.focused() or {}).get("text", "").startswith("Users"), "Right moves through the tabs to Users")
        self.wait_until(lambda: self.css("#tab-users").get_attribute("aria-selected") == "true", "the tab moved to is shown at once")
        table = self.wait_until(lambda: self.css("[role='grid'][data-category='users']"), "the users table")
        self.wait_until(lambda: len(self.css_all("[role='row'][data-id]", table)) > 3, "the first rows of users")
        row = self.tab_to(lambda f: f["role"] == "row", "the table's rows: one Tab stop")
        first_index = self.d.execute_script("return document.activeElement.getAttribute('aria-rowindex')")
        self.press(Keys.ARROW_DOWN)
        self.press(Keys.ARROW_DOWN)
        moved = self.d.execute_script("return document.activeElement.getAttribute('aria-rowindex')")
        self.assertEqual(int(moved), int(first_index) + 2, f"the arrow keys move between rows ({row['text']!r} onwards)")
        self.assertEqual(self.d.execute_script("return arguments[0].scrollLeft", table), 0, "focusing a row never scrolls the table sideways")
        self.press(Keys.ENTER)
        self.wait_until(lambda: self.css("#record-detail h3"), "Enter opens the row's detail")
        self.step_shot("keyboard-detail")
        height = self.d.execute_script("return [document.documentElement.scrollHeight, window.innerHeight]")
        self.assertLessEqual(height[0], height[1] + 1, f"the window itself never scrolls after a collection (document {height[0]} px, window {height[1]} px)")

        self.tab_to_button("Next", "the preview is informational")
        self.wait_heading("Name and save the connection", "the save step comes last")
        name = unique("E2E Keyboard")
        self.tab_to(lambda f: f["id"] == "conn-name", "the connection's name field")
        ActionChains(self.d).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(Keys.BACK_SPACE).perform()
        self.press(name)
        self.wait_until(lambda: self.css("input#conn-name").get_property("value") == name, "the typed name in the field")
        self.tab_to_button("Save connection", "the connection has a name")
        self.wait_until(lambda: self.current_heading().startswith("Hand over to"), "saving leads to the hand-over")
        self.audit("keyboard hand-over")
        self.tab_to_button("Done", "the hand-over ends with Done")
        self.wait_heading("Your JumpCloud connections", "Done returns to Home")
        SAVED_NAMES.append(name)
        self.wait_until(lambda: self.list_item(name), f"the saved connection “{name}” in Home's list")
        self.step_shot("keyboard-saved")

    # ---------------------------------------------------------------- hand-over to a platform
    def handover_labels(self) -> list[str]:
        return [el.text.strip() for el in self.css_all("ol.fields li.field .label")]

    def read_clipboard(self) -> str | None:
        """The X clipboard's text (xclip, installed with the test dependencies); None without xclip."""
        if shutil.which("xclip") is None:
            return None
        out = subprocess.run(["xclip", "-selection", "clipboard", "-o"], capture_output=True, text=True, timeout=10)
        return out.stdout if out.returncode == 0 else ""

    def copy_and_read_back(self, label: str, expected: str) -> None:
        """Presses a field's Copy button and reads the clipboard back, when the webview may use it."""
        field = next(li for li in self.css_all("ol.fields li.field") if self.css(".label", li).text.strip().startswith(label))
        self.css(f"button[aria-label='Copy {label}']", field).click()

        def outcome() -> str | None:
            if self.css_all(".copied", field):
                return "copied"
            if self.css_all("textarea[aria-label='Text to copy']"):
                return "by-hand"
            return None

        how = self.wait_until(outcome, f"the “{label}” value copied (or offered to copy by hand)")
        print(f"  ({label}: {'copied by the webview' if how == 'copied' else 'offered to copy by hand'})", file=sys.stderr)
        if how == "by-hand":
            shown = self.css("textarea[aria-label='Text to copy']").get_property("value")
            self.assertEqual(shown, expected, "without clipboard access the value is shown to copy by hand")
            return
        held = self.read_clipboard()
        if held is not None:
            self.wait_until(lambda: self.read_clipboard() == expected, f"the clipboard to hold the “{label}” value")

    def test_5h_authomize_walk_ends_on_its_hand_over(self) -> None:
        """Authomize: its credential advice, the owner email it refuses when not an email, its four fields in its order."""
        key = self.start_demo("healthy", platform="authomize", shots=True)
        advice = self.text_of("section[aria-labelledby='credential-advice']")
        self.assertIn("Authomize", advice, "the API key step says which keys Authomize takes")
        self.api_key_to_test()
        self.assert_all_passed(self.wait_checks(), "Authomize walk")
        name = unique("E2E Authomize")

        def fields() -> None:
            self.type_into("owner-email", "Grace Hopper")
            notice = self.wait_until(lambda: self.css_all("#owner-email ~ .notice.fail"), "the owner email refused as not an email")
            self.assertIn("not an email address", notice[0].text)
            self.wait_until(lambda: not self.next_button().is_enabled(), "Save stays off while Authomize would refuse a value")
            self.step_shot("authomize-owner-email")
            self.type_into("owner-email", "grace@example.com")
            self.type_into("admin-username", "readonly-admin@example.com")
            self.wait_until(lambda: not self.css_all("#owner-email ~ .notice.fail"), "the corrected owner email is accepted")

        self.preview_and_save(name, shots=True, platform_fields=fields)
        self.wait_heading("Hand over to Authomize", "the hand-over names the platform")
        self.assertEqual(
            self.handover_labels(),
            ["Username", "API key", "Integration Name", "Application Owner's email"],
            "Authomize's fields, in its dialog's order and words",
        )
        screen_text = self.css("main").text
        self.assertNotIn(key, screen_text, "the hand-over never shows the key")
        self.assertIn("grace@example.com", screen_text)
        self.copy_and_read_back("Integration Name", name)
        self.click_button("Copy the key", "the key's own Copy button")
        notice = self.wait_until(lambda: self.css_all("li.field .notice.pass"), "the notice that the key is on the clipboard")
        self.assertIn("cleared in", notice[0].text, "the screen says the clipboard is cleared")
        if self.read_clipboard() is not None:
            self.wait_until(lambda: self.read_clipboard() == key, "Rust put the key from the keychain on the clipboard")
        self.assertNotIn(key, self.css("main").text, "copying the key never puts it on the screen")
        self.screenshot(f"{self.name}-handover-authomize")
        self.leave_handover()

    def test_5i_apono_walk_warns_about_a_manager_field_holding_names(self) -> None:
        """Apono on an org whose custom manager attribute holds names: warned with examples, then its hand-over."""
        self.start_demo("manager-names", platform="apono")
        self.api_key_to_test()
        result = self.wait_checks()
        self.assertTrue(result["ok"], f"the manager-names demo connects: {result['summary']!r}")
        name = unique("E2E Apono")

        def fields() -> None:
            self.type_into("manager-attr", "managerName")
            warning = self.wait_until(lambda: self.css_all("#manager-attr ~ .notice.warn"), "the manager field's warning")
            self.assertIn("neither an email address nor a JumpCloud user ID", warning[0].text)
            self.assertIn("For example", warning[0].text, "the warning shows what the attribute holds")
            self.step_shot("apono-manager-warning")

        self.preview_and_save(name, shots=True, platform_fields=fields)
        self.wait_heading("Hand over to Apono", "the hand-over names the platform")
        self.assertEqual(
            self.handover_labels(),
            ["Integration name", "Admin API Key", "Custom Manager Field Name (optional)"],
            "Apono's fields, in its order",
        )
        self.assertIn("managerName", self.css("main").text)
        self.screenshot(f"{self.name}-handover-apono")
        self.leave_handover()

    def test_5d_about_names_the_version_build_and_real_folders(self) -> None:
        """About, from Home and over the wizard: version, build, license, and the folders the app uses here."""
        self.click_button("About", "the header offers About on Home")
        dialog = self.wait_until(lambda: self.css("[role='dialog'][aria-labelledby='about-title']"), "the About dialog")
        version = self.wait_until(lambda: self.text_of("[data-about='version']", dialog), "the version in About")
        with (REPO / "Cargo.toml").open("rb") as manifest:
            expected = tomllib.load(manifest)["workspace"]["package"]["version"]
        self.assertEqual(version, expected, "About shows the workspace's version, the one place it is set")
        commit = self.text_of("[data-about='commit']", dialog)
        self.assertTrue(commit == "unknown" or (len(commit) >= 7 and all(c in "0123456789abcdef" for c in commit)), f"the build is a short commit id: {commit!r}")
        if commit != "unknown" and shutil.which("git") and (REPO / ".git").exists():
            known = subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", f"{commit}^{{commit}}"], capture_output=True, timeout=20)
            self.assertEqual(known.returncode, 0, f"the build commit {commit} is a commit of this repository")
        self.assertEqual(self.text_of("[data-about='license']", dialog), "MIT")
        share = HOME / ".local" / "share" / IDENTIFIER
        self.assertEqual(self.text_of("[data-about='data'] code", dialog), str(share), "the real data folder under this HOME")
        self.assertEqual(self.text_of("[data-about='logs'] code", dialog), str(share / "logs"), "the real log folder")
        self.assertEqual(self.text_of("[data-about='collections'] code", dialog), str(COLLECTIONS), "the real collections folder")
        self.assertTrue((share / "logs").is_dir(), "the log folder exists from the first start on")
        self.step_shot("about")
        self.click_button("Close", "About closes", dialog)
        self.wait_until(lambda: not self.css_all("[role='dialog']") or None, "the About dialog to close")

        self.start_demo("healthy")
        self.click_button("About", "the header offers About in the wizard too")
        dialog = self.wait_until(lambda: self.css("[role='dialog'][aria-labelledby='about-title']"), "About over the wizard")
        self.wait_until(lambda: self.text_of("[data-about='version']", dialog), "the version in About")
        self.d.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
        self.wait_until(lambda: not self.css_all("[role='dialog']") or None, "Escape to close About")
        self.assertTrue(self.css("#api-key").get_attribute("value"), "the wizard underneath kept the demo key")

    def test_5e_a_second_launch_brings_the_first_window_forward(self) -> None:
        """Opening the app again while it runs: the second process hands over and exits; one window stays."""
        first = app_pids()
        self.assertEqual(len(first), 1, f"one app runs under the driver: {first}")
        self.assertEqual(len(app_windows(first)), 1, "the running app has one window")
        started = time.monotonic()
        second = subprocess.Popen([APP], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _, err = second.communicate(timeout=UI_TIMEOUT)
        except subprocess.TimeoutExpired:
            second.kill()
            second.communicate()
            self.fail(f"the second launch still ran after {UI_TIMEOUT:.0f} s: it opened a second app instead of handing over")
        took = time.monotonic() - started
        self.assertEqual(second.returncode, 0, f"the second launch exits cleanly after handing over: {err.decode(errors='replace')[-400:]}")
        print(f"  (the second launch handed over and exited in {took:.1f} s)", file=sys.stderr)
        self.assertEqual(app_pids(), first, "only the first app is running")
        self.assertEqual(len(app_windows(first)), 1, "still exactly one window")
        if DRIVER_LOG:  # the app's stderr: the first app says the second one handed over to it
            self.wait_until(
                lambda: b"bringing its window forward" in DRIVER_LOG.read_bytes()[self.log_offset:] or None,
                "the running app to log that it was asked to come forward",
            )
        self.assertEqual(self.current_heading(), "Your JumpCloud connections", "the first window still answers")

    def close_window(self, answered: Callable[[], Any], what: str) -> Any:
        """Presses the window's close button (as a window manager would) until `answered()`.

        Under Xvfb with no window manager, GTK now and then drops a close request, as it does
        one sent while the window is still being set up: a request that got no answer within 2 s
        is sent again, which is only done while a second request would mean the same."""
        for _ in range(5):
            windows = app_windows(app_pids())
            self.assertEqual(len(windows), 1, f"one app window to close: {windows}")
            ask_to_close(windows[0])
            deadline = time.monotonic() + 2.0
            while time.monotonic() < deadline:
                try:
                    if value := answered():
                        return value
                except (NoSuchElementException, StaleElementReferenceException):
                    pass
                time.sleep(POLL)
        self.fail(f"no close request was answered with {what}")

    def test_5f_closing_during_a_collection_asks_first(self) -> None:
        """Close the window while collecting: it asks; “Keep collecting” keeps it; “Stop and close” exits and removes the folder."""
        # Every answer of the slow demo takes 3 s, so the collection runs for minutes: long
        # enough to close the window in the middle of it every time.
        self.start_demo("slow")
        self.api_key_to_test()
        self.assert_all_passed(self.wait_checks(), "slow demo")
        self.click_next("Next", "the test passed")
        self.wait_heading("Preview your data", "the preview follows a passing test")
        self.click_button("Collect everything", "the Preview offers the full collection")
        # The first progress line comes from Rust's running collection: only then is it "running".
        self.wait_until(lambda: self.css_all(".progress-list li"), "the collection's first progress", CHECKS_TIMEOUT)
        question = "[role='alertdialog'][aria-labelledby='close-q']"

        ask = self.close_window(lambda: self.css(question), "the question whether to stop the collection")
        self.step_shot("close-asked")
        self.assertIn("removed from this computer", ask.text, "the question says what happens to the collected data")
        self.click_button("Keep collecting", "the person changes their mind", ask)
        self.wait_until(lambda: not self.css_all(question) or None, "the question to go away")
        self.assertTrue(self.css_all(".progress-list li"), "the collection goes on")
        self.assertEqual(len(app_pids()), 1, "the app is still running")

        held = [p for p in COLLECTIONS.iterdir() if p.is_dir()]
        self.assertTrue(held, "the running collection has its private folder")
        pid = app_pids()[0]
        ask = self.close_window(lambda: self.css(question), "the question, asked again")
        stop = self.wait_until(lambda: self._enabled(self.button("Stop and close", ask)), "an enabled “Stop and close”")
        try:
            stop.click()
        except WebDriverException:
            # The app may stop and exit before the click's own answer reaches the driver: what
            # counts is that it exits and removes the folder, checked next.
            pass
        self.wait_until(lambda: pid not in app_pids() or None, "the app to stop the collection and exit", CHECKS_TIMEOUT)
        left = [p for p in COLLECTIONS.iterdir() if p.is_dir()]
        self.assertEqual(left, [], "the private collection folder is removed when the app closes this way")
        self.end_session()

    def end_session(self) -> None:
        """Ends the WebDriver session of an app that has exited by itself."""
        ended, self.driver = self.driver, None
        try:
            if ended is not None:
                ended.quit()  # the app is gone; only the session remains
        except WebDriverException:
            pass

    def close_and_restart(self) -> None:
        """The window's close button (nothing is being collected: the app exits), then a new start."""
        self.close_window(lambda: not app_pids(), "the app exiting")
        self.end_session()
        self.start_app()

    def test_5g_the_window_keeps_its_size_and_place_on_the_screen(self) -> None:
        """Closed with nothing collecting, the app exits at once; the next start has the window where it was, on the screen."""
        self.d.set_window_rect(x=60, y=40, width=1000, height=700)
        self.close_and_restart()
        rect = self.d.get_window_rect()
        self.assertEqual((rect["width"], rect["height"]), (1000, 700), f"the size is remembered: {rect}")
        self.assertEqual((rect["x"], rect["y"]), (60, 40), f"and the place: {rect}")

        # Bigger than this 1280x800 screen and off its edge (as if saved on a larger monitor).
        self.d.set_window_rect(x=900, y=500, width=1900, height=1200)
        self.close_and_restart()
        rect = self.d.get_window_rect()
        self.step_shot("restored-on-screen")
        self.assertTrue(
            rect["x"] >= 0 and rect["y"] >= 0 and rect["x"] + rect["width"] <= 1280 and rect["y"] + rect["height"] <= 800,
            f"the window comes back within the screen: {rect}",
        )

    def test_7a_service_account_demo_walk(self) -> None:
        """A service-account demo from Home to a saved connection that shows its kind and its secret's expiry."""
        self.start_service_account_demo("service-account", audit=True)
        result = self.wait_checks()
        self.step_shot("test")
        failed = {k: r for k, r in result["rows"].items() if r["state"] not in ("pass", "warn")}
        self.assertEqual(failed, {}, "every check passes (or warns) for the healthy service account")
        self.assertEqual(result["rows"]["credentials.expiry"]["state"], "pass", "the secret's expiry is known and not soon")
        name = unique("E2E Service account")
        self.preview_and_save(name)
        item = self.list_item(name)
        assert item is not None
        self.assertIn("Service account", item.text, "Home's list says the connection is a service account")
        self.assertRegex(item.text, r"Secret expires in \d+ days, on \d{1,2} [A-Z][a-z]+ \d{4}", "and when its secret expires, as a countdown and a date")
        self.assertNotRegex(item.text, r"\d{4}-\d{2}-\d{2}T", "no ISO timestamp on screen")
        facts = self.text_of("#connection-detail dl.facts")
        self.assertIn("Connects with Service account", facts, "the detail names the kind in words")
        self.assertRegex(facts, r"Client secret expires in \d+ days", "the detail shows the secret's countdown")
        self.assertIn("kept in this computer's keychain", facts, "the secret is kept in the keychain")
        self.button("Rotate secret", self.css("#connection-detail")).click()
        panel = self.wait_until(lambda: self.css("#detail-form form"), "the rotation steps")
        self.assertIn("two at a time", panel.text, "the rotation adds a second secret before removing the first")
        self.step_shot("rotate")
        self.audit("Saved service account with the rotation steps")

    def test_7b_expiring_secret_is_warned_about(self) -> None:
        """The expiring-secret demo: the test warns with the fix, and the saved connection's countdown stands out."""
        self.start_service_account_demo("service-account-expiring")
        result = self.wait_checks()
        expiry = result["rows"]["credentials.expiry"]
        self.assertEqual(expiry["state"], "warn", "a secret expiring within days is a warning, not a failure")
        self.assertTrue(result["ok"], "the connection still works while the secret is valid")
        self.assertIn("warning", result["summary"], "the summary counts the warning")
        self.step_shot("test-warning")
        self.audit("Test with an expiring secret")
        name = unique("E2E Expiring secret")
        self.preview_and_save(name)
        item = self.list_item(name)
        assert item is not None
        soon = self.css(".soon", item)
        self.assertRegex(soon.text, r"Secret expires in \d+ days?", "the list marks the secret's near expiry")

    def test_6_canary_key_is_never_written(self) -> None:
        """Type a canary key, run the checks (unknown key), quit; then no file holds any key we used."""
        self.start_demo("healthy")
        canary = "jca_CANARY" + "".join(pysecrets.choice(string.ascii_letters + string.digits) for _ in range(30))
        self.assertEqual(len(canary), 40)
        remember_key("canary", canary)
        self.type_into("api-key", canary)
        self.wait_until(lambda: self.css("#api-key-feedback p.ok"), "the shape check to accept the canary (jca_ + 36)")
        self.api_key_to_test()
        result = self.wait_checks()
        self.assertEqual(result["rows"]["key.accepted"]["state"], "fail", "the demo org does not know the canary key")
        self.quit_app(self.name)  # let the app and WebKit flush whatever they write at exit

        if not SAVED_NAMES:
            print("  (note: no connection was saved in this run; run the whole suite for a full scan)", file=sys.stderr)
        roots = [WORK if HOME.is_relative_to(WORK) else HOME]  # WORK also holds XDG_RUNTIME_DIR and TMPDIR
        logs = sorted(set(LOGS.glob("*.log")) | ({DRIVER_LOG} if DRIVER_LOG else set()))
        scanned, hits = scan(roots, logs, SEEN_KEYS)
        listing = "\n".join(f"{size:>10}  {path}" for path, size in scanned)
        (LOGS / f"{self.name}-scanned.txt").write_text(listing + "\n", encoding="utf-8")

        scanned_paths = {p for p, _ in scanned}
        if SAVED_NAMES:
            self.assertIn(STORE_FILE, scanned_paths, "the scan must cover the connections store")
            store_text = STORE_FILE.read_text(encoding="utf-8")
            for n in SAVED_NAMES:
                self.assertIn(n, store_text, "sanity: the scanned store holds the connections this run saved")
        self.assertIn("canary", SEEN_KEYS)
        self.assertEqual(hits, [], f"no API key may appear in any file the app wrote (scanned {len(scanned)} files; list in logs/{self.name}-scanned.txt)")


def app_pids() -> list[int]:
    """The processes running the app's binary (Linux: /proc/PID/exe)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "exe") == APP:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def app_windows(pids: list[int]) -> list[Any]:
    """The app's top-level windows on the X screen that are shown (no window manager here: they
    are the root's children), found by the process id GTK records on each."""
    screen = xdisplay.Display()
    try:
        pid_atom = screen.intern_atom("_NET_WM_PID")
        found = []
        for window in screen.screen().root.query_tree().children:
            try:
                if window.get_attributes().map_state != X.IsViewable:
                    continue
                prop = window.get_full_property(pid_atom, X.AnyPropertyType)
            except Exception:  # a window that vanished meanwhile
                continue
            if prop is not None and len(prop.value) and int(prop.value[0]) in pids:
                found.append(window.id)
        return found
    finally:
        screen.close()


def ask_to_close(window_id: int) -> None:
    """What a window manager sends when the close button is pressed (WM_DELETE_WINDOW)."""
    screen = xdisplay.Display()
    try:
        window = screen.create_resource_object("window", window_id)
        protocols = screen.intern_atom("WM_PROTOCOLS")
        delete = screen.intern_atom("WM_DELETE_WINDOW")
        message = xevent.ClientMessage(window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
        window.send_event(message, event_mask=X.NoEventMask)
        screen.flush()
    finally:
        screen.close()


def scan(roots: list[Path], extra: list[Path], keys: dict[str, str]) -> tuple[list[tuple[Path, int]], list[str]]:
    """Looks for every key (its 36 characters after jca_) in UTF-8 and UTF-16 in every regular file.

    The keyring's own files are skipped: they are where the key belongs, encrypted."""
    needles: list[tuple[str, str, bytes]] = []
    for label, key in keys.items():
        body = key[4:] if key.startswith("jca_") else key
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            needles.append((label, encoding, body.encode(encoding)))
    files: list[Path] = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            here = Path(dirpath)
            dirnames[:] = [d for d in dirnames if (here / d) != KEYRING_DIR]
            files.extend(here / f for f in filenames)
    files.extend(extra)
    scanned: list[tuple[Path, int]] = []
    hits: list[str] = []
    for path in files:
        try:
            if path.is_symlink() or not path.is_file():
                continue
            data = path.read_bytes()
        except OSError:
            continue
        scanned.append((path, len(data)))
        for label, encoding, needle in needles:
            if needle in data:
                hits.append(f"{label} ({encoding}) in {path}")  # the label, never the key itself
    return scanned, hits


class TimedResult(unittest.TextTestResult):
    timings: dict[str, float] = {}

    def startTest(self, test: unittest.TestCase) -> None:
        self._t0 = time.monotonic()
        super().startTest(test)

    def stopTest(self, test: unittest.TestCase) -> None:
        TimedResult.timings[test.id().rsplit(".", 1)[-1]] = time.monotonic() - self._t0
        super().stopTest(test)


def main(argv: list[str]) -> int:
    for d in (LOGS, SHOTS):
        d.mkdir(parents=True, exist_ok=True)
    loader = unittest.TestLoader()
    module = sys.modules[__name__]
    suite = loader.loadTestsFromNames(argv, module) if argv else loader.loadTestsFromModule(module)
    runner = unittest.TextTestRunner(verbosity=2, resultclass=TimedResult, stream=sys.stdout)
    start = time.monotonic()
    result = runner.run(suite)
    total = time.monotonic() - start
    print("\nPer-test time:")
    for name, seconds in TimedResult.timings.items():
        print(f"  {seconds:6.1f} s  {name}")
    print(f"  {total:6.1f} s  total")
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    tail = f"{passed} passed, {failed} failed" + (f", {len(result.skipped)} skipped" if result.skipped else "")
    if os.environ.get("E2E_START", "").isdigit():  # wall time of the whole run.sh, setup included
        tail += f" in {time.time() - int(os.environ['E2E_START']):.0f} s"
    print(tail)
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
