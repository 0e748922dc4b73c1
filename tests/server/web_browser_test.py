#!/usr/bin/env python3
"""The web page in a real browser: Debian's chromium, headless, driven over the DevTools
protocol on a pipe (--remote-debugging-pipe) by this standard-library client.

usage: web_browser_test.py SERVE_BIN INDEX_BIN FIXTURE WORK_DIR

Builds an index of FIXTURE (plus a record whose title looks like HTML), starts filmsearch-serve
on 127.0.0.1 and a free port, and checks what a user sees: /?q=red+shoes shows The Red Shoes, a
genre facet narrows the results and lands in the URL, a spoiler is blurred and hidden from
screen readers until "Show spoiler", paging forward, did-you-mean, "/" and Escape, search as
you type, no HTML from the index is ever interpreted. Ends with SIGTERM: the server must exit 0.
Exits 77 (skipped) when chromium is not installed, unless FS_REQUIRE_BROWSER is set.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SERVE, INDEXER, FIXTURE, WORK = sys.argv[1:5]
STEP_TIMEOUT = 20.0  # seconds for any one thing to show up (the machine may be busy, or ASan)


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4 (replies out)."""

    def __init__(self, chromium, profile):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        # In the child: the pipe ends chromium expects at exactly fds 3 and 4 (kept open by
        # pass_fds, which closes everything else after setup() runs).
        def setup():
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--user-data-dir=" + profile, "--window-size=1280,1000", "about:blank"],
            pass_fds=(3, 4, to_child_r, from_child_w), preexec_fn=setup,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.session = None
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method, params=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        deadline = time.time() + STEP_TIMEOUT
        while time.time() < deadline:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self.next_id:
                    if "error" in reply:
                        fail(f"{method}: {reply['error']}")
                    return reply.get("result", {})
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                fail("chromium closed the DevTools pipe")
            self.buffer += chunk
        fail(f"{method}: no reply in {STEP_TIMEOUT} s")

    def eval(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            fail(f"script error in {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, expression, what):
        deadline = time.time() + STEP_TIMEOUT
        while time.time() < deadline:
            if self.eval(expression):
                return
            time.sleep(0.05)
        status = self.eval("document.getElementById('status')?.textContent")
        fail(f"{what}: not seen within {STEP_TIMEOUT} s (status: {status!r}, url: "
             f"{self.eval('location.href')!r})")

    def open(self, url):
        self.call("Page.navigate", {"url": url})
        self.wait("document.readyState === 'complete' && !document.body.hasAttribute('aria-busy')"
                  " && document.getElementById('status').textContent !== ''", "page load " + url)

    def key(self, key, code, text=""):
        for kind in ("keyDown", "keyUp"):
            params = {"type": kind, "key": key, "code": code,
                      "windowsVirtualKeyCode": {"Escape": 27, "/": 191}.get(key, 0)}
            if text and kind == "keyDown":
                params["text"] = text
            self.call("Input.dispatchKeyEvent", params)

    def screenshot(self, path):
        import base64
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close")
        except SystemExit:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_server(index):
    log = open(os.path.join(WORK, "serve.log"), "w+")
    proc = subprocess.Popen([SERVE, "--index", index, "--listen", "127.0.0.1:0"],
                            stdout=log, stderr=log)
    deadline = time.time() + STEP_TIMEOUT
    while time.time() < deadline:
        log.seek(0)
        text = log.read()
        if "on http://" in text:
            return proc, text.split("on http://", 1)[1].split("/", 1)[0]
        if proc.poll() is not None:
            fail("filmsearch-serve exited: " + text)
        time.sleep(0.05)
    fail("filmsearch-serve did not start")


def titles(browser):
    return browser.eval("[...document.querySelectorAll('.hit h3 .title')].map(e => e.textContent)")


def main():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        if os.environ.get("FS_REQUIRE_BROWSER"):
            fail("chromium is not installed and FS_REQUIRE_BROWSER is set")
        print("SKIP: chromium is not installed (Debian: apt-get install chromium)", flush=True)
        sys.exit(77)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    extra = os.path.join(WORK, "extra.jsonl")
    with open(extra, "w") as f:
        f.write(json.dumps({"id": "tt9999991", "type": "film", "year": 1950,
                            "title": "<img src=x onerror=\"window.pwned=1\"> Mirror Ballet",
                            "sections": [{"kind": "synopsis",
                                          "text": "A <b>bold</b> mirror maze & a ballet."}]}) + "\n")
    index = os.path.join(WORK, "films.db")
    subprocess.run([INDEXER, "-q", "--index", index, FIXTURE, extra], check=True)
    server, address = start_server(index)
    base = f"http://{address}"
    profile = tempfile.mkdtemp(prefix="chromium-", dir=WORK)
    browser = Browser(chromium, profile)
    try:
        # A link reproduces a search.
        browser.open(base + "/?q=red+shoes")
        browser.wait("document.querySelector('.hit h3 .title')?.textContent === 'The Red Shoes'",
                     "The Red Shoes first for /?q=red+shoes")
        if browser.eval("document.getElementById('q').value") != "red shoes":
            fail("the search box does not show the query from the URL")
        if browser.eval("document.getElementById('status').getAttribute('role')") != "status":
            fail("the result count is not in a status region")

        # Highlights are <mark> elements; HTML in the index stays text.
        browser.open(base + "/?q=ballet")
        browser.wait("document.querySelectorAll('.hit').length >= 3", "three ballet hits")
        marks = browser.eval("[...document.querySelectorAll('.hit mark')].map(m => m.textContent)")
        if not marks or any(m.lower() != "ballet" for m in marks):
            fail(f"highlights should be the word ballet: {marks}")
        if not any(t.startswith("<img src=x") for t in titles(browser)):
            fail(f"the HTML-looking title is not shown as text: {titles(browser)}")
        if browser.eval("document.querySelectorAll('#results img, #results b').length") != 0 or \
                browser.eval("window.pwned === 1"):
            fail("HTML from the index was interpreted")

        # A genre facet narrows the results and lands in the URL.
        browser.open(base + "/?q=dance")
        browser.wait("document.querySelectorAll('.hit').length === 10", "a full first page for dance")
        page1 = titles(browser)
        count = browser.eval("Number(document.querySelector('fieldset[data-facet=genre] "
                             "input[value=Musical]').closest('label').querySelector('.count')"
                             ".textContent)")
        browser.eval("document.querySelector('fieldset[data-facet=genre] input[value=Musical]').click()")
        browser.wait("location.search.includes('genre=Musical') && "
                     f"document.querySelectorAll('.hit').length === {min(count, 10)}",
                     f"{count} Musical hits after clicking the facet")
        genres = browser.eval("[...document.querySelectorAll('.hit')].map(h => "
                              "[...h.querySelectorAll('.genre')].map(g => g.textContent))")
        if not all("Musical" in g for g in genres):
            fail(f"a hit without the Musical genre after filtering: {genres}")
        if not browser.eval("document.querySelector('fieldset[data-facet=genre] "
                            "input[value=Musical]').checked"):
            fail("the chosen facet is not shown checked")

        # Paging forward.
        browser.open(base + "/?q=dance")
        browser.wait("document.querySelectorAll('.hit').length === 10", "page 1 again")
        browser.eval("document.querySelector('#pages button[rel=next]').click()")
        browser.wait("location.search.includes('page=2') && "
                     "document.getElementById('status').textContent.includes('page 2')", "page 2")
        browser.wait("document.querySelectorAll('.hit').length >= 1", "hits on page 2")
        page2 = titles(browser)
        if set(page2) & set(page1):
            fail(f"page 2 repeats page 1: {page2}")
        if browser.eval("document.querySelector('#pages [aria-current=page]').textContent") != "2":
            fail("the current page is not marked")

        # A spoiler is blurred and hidden from screen readers until shown.
        browser.open(base + "/?q=train")
        browser.wait("!!document.querySelector('.spoiler.hidden .snippet')", "a hidden spoiler")
        state = ("(() => { const p = document.querySelector('.spoiler .snippet'); "
                 "const b = document.querySelector('.spoiler button'); return "
                 "[getComputedStyle(p).filter, p.getAttribute('aria-hidden'), p.inert, "
                 "b.getAttribute('aria-expanded'), b.textContent]; })()")
        before = browser.eval(state)
        if "blur" not in before[0] or before[1:] != ["true", True, "false", "Show spoiler"]:
            fail(f"the spoiler is not blurred and hidden before it is shown: {before}")
        browser.screenshot(os.path.join(WORK, "spoiler-hidden.png"))
        browser.eval("document.querySelector('.spoiler button').click()")
        after = browser.eval(state)
        if after != ["none", "false", False, "true", "Hide spoiler"]:
            fail(f"the spoiler is not shown after pressing the button: {after}")
        browser.screenshot(os.path.join(WORK, "spoiler-shown.png"))

        # Did you mean.
        browser.open(base + "/?q=balet")
        browser.wait("!document.getElementById('did-you-mean').hidden", "did you mean for balet")
        if browser.eval("document.querySelector('#did-you-mean a').textContent") != "ballet":
            fail("did-you-mean does not offer ballet")
        browser.eval("document.querySelector('#did-you-mean a').click()")
        browser.wait("location.search === '?q=ballet' && document.querySelectorAll('.hit').length >= 3",
                     "the corrected search")

        # Keyboard: / focuses the box; typing searches as you type; Escape clears.
        browser.eval("document.activeElement.blur()")
        browser.key("/", "Slash", "/")
        if browser.eval("document.activeElement.id") != "q":
            fail("/ does not focus the search box")
        browser.eval("document.getElementById('q').value = ''")
        browser.call("Input.insertText", {"text": "verti"})
        browser.wait("document.querySelector('.hit h3 .title')?.textContent === 'Vertigo'",
                     "Vertigo while typing 'verti' (the last word as a prefix)")
        browser.key("Escape", "Escape")
        browser.wait("document.getElementById('q').value === '' && !location.search.includes('q=')",
                     "Escape clears the search")
        browser.open(base + "/?q=dance&genre=Musical&page=1")
        browser.screenshot(os.path.join(WORK, "dance-musical.png"))
    finally:
        browser.close()
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            fail("filmsearch-serve did not stop within 10 s of SIGTERM")
    if code != 0:
        fail(f"filmsearch-serve exited {code} on SIGTERM")
    print(f"ok: web page checks passed; screenshots in {WORK}", flush=True)


main()
