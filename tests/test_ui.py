"""The chat UI: a real `assistant serve` process on loopback, driven by gradio_client and by headless Chromium."""

import json
import shutil
from pathlib import Path

import pytest

from assistant.corpus import parse_text
from assistant.views import lookup_html, section_html, sources_html

from .conftest import ARTIFACTS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root in a closed network: no sandbox, and no background calls that the network refuses.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(served):
    return served["url"], served["feedback"]


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server[0], verbose=False)


# ---- views: escaping and highlighting, without a server ----------------------------------------------
HOSTILE = parse_text(
    "hostile", "Summary & Overview\nCPT 0000T: Test\n<script>window.pwned=1</script> 0000T is a code.\n"
)


def test_markup_in_documents_never_reaches_a_quote_and_text_is_escaped():
    passage = HOSTILE.passages[-1]
    assert passage.text == "window.pwned=1 0000T is a code."  # tags are stripped at parse time
    quote = "0000T is a code."
    answer = {
        "answer": quote,
        "mode": "extractive",
        "citations": [{"n": 1, "document": "hostile", "section": "<b>x</b>", "quote": quote, "start": 0, "end": 1}],
    }
    html = sources_html(answer, lambda c: passage)
    assert "window.pwned=1 <mark>0000T is a code.</mark>" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    raw = dict(answer, citations=[dict(answer["citations"][0], quote="<script>window.pwned=1</script>")])
    assert "<script>" not in sources_html(raw) and "&lt;script&gt;" in sources_html(raw)
    assert "<i>" not in lookup_html("<i>0000T</i>", HOSTILE.passages)
    assert "<b>" not in section_html([passage], passage.section_path).replace("<b>x", "")


# ---- gradio_client against the real server ------------------------------------------------------------
def test_ask_endpoint_returns_the_answer_object_with_sections(client):
    answer = client.predict("Which modifier for a discontinued 0686T after anesthesia?", api_name="/ask")
    assert {"question", "answer", "abstained", "mode", "backend", "citations", "dropped_claims", "timings_ms"} <= set(
        answer
    )
    assert answer["backend"] == "embedded" and "74" in answer["answer"]
    cited = answer["citations"][0]
    assert cited["document"].startswith("cpt-0686T") and "Coding Specifications" in cited["section"]
    assert cited["quote"].startswith("74 |") and cited["end"] > cited["start"]


def test_ask_endpoint_abstains_with_the_nearest_sections(client):
    answer = client.predict("What is the Medicare payment amount for 0581T?", api_name="/ask")
    assert answer["abstained"] and answer["answer"].startswith("The documents do not say")


def test_lookup_endpoint_lists_every_passage_with_the_code(client):
    found = client.predict("c78.7", api_name="/lookup")
    assert found and all("C78.7" in p["quote"] for p in found)
    assert found[0]["section"].endswith("Related Diagnoses")


@pytest.mark.parametrize("question, message", [("", "empty"), ("   ", "empty"), ("x" * 5000, "limit")])
def test_bad_questions_get_a_clear_message_not_a_traceback(client, question, message):
    answer = client.predict(question, api_name="/ask")
    assert message in answer["error"] and "Traceback" not in json.dumps(answer)


# ---- a real browser --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is needed for the browser tests: apt-get install chromium (.ci/run does)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _ask(page, question):
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_selector("#sources details.citation", timeout=120_000)
    # Quotes come first; the final answer replaces them once the summary is checked.
    page.wait_for_function("!document.querySelector('#sources').innerText.includes('being checked')", timeout=120_000)


def test_browser_question_answer_citation_and_quote(server, browser):
    url, feedback = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    _ask(page, "Which modifier for a discontinued 0686T after anesthesia?")
    assert "74" in page.locator("#chat").inner_text()
    citation = page.locator("#sources details.citation").first
    assert "Coding Specifications" in citation.locator("summary").inner_text()
    quote = citation.locator("blockquote mark")
    assert not quote.is_visible()
    citation.locator("summary").click()
    assert quote.is_visible() and quote.inner_text().startswith("74 | Discontinued")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-answer.png"), full_page=True)

    page.get_by_text("Was this answer right?").click()
    page.get_by_label("Correction or comment (optional)").fill("Right modifier.")
    page.get_by_role("button", name="👍 Right").click()
    page.get_by_text("feedback saved").wait_for(timeout=30_000)
    record = json.loads(feedback.read_text().splitlines()[-1])
    assert record["question"].startswith("Which modifier") and record["feedback"]["rating"] == "up"
    assert record["notes"] == "Right modifier." and record["expected_sources"][0]["document"].startswith("cpt-0686T")
    page.close()


def test_browser_shows_markup_in_a_question_as_text(server, browser):
    page = browser.new_page()
    page.goto(server[0])
    _ask(page, "<img src=x onerror=window.pwned=1> Does Cigna cover 0581T?")
    assert "<img src=x onerror=window.pwned=1>" in page.locator("#chat").inner_text()
    assert page.evaluate("window.pwned") is None
    page.close()


def test_browser_documents_and_lookup_tabs(server, browser):
    page = browser.new_page()
    page.goto(server[0])
    page.get_by_role("tab", name="Lookup").click()
    page.fill("#code textarea", "207K00000X")
    page.keyboard.press("Enter")
    page.get_by_text("1 passage mentions").wait_for(timeout=30_000)
    assert "Interventional Radiology" in page.locator("body").inner_text()
    page.get_by_role("tab", name="Documents").click()
    page.get_by_role("combobox", name="Document").click()
    # The picker shows documents as staff know them: payer, number and title.
    page.get_by_role("option", name="Cigna 0540 · Ablative Treatments for Malignant Breast Tumors").click()
    page.get_by_text("Next review date").wait_for(timeout=30_000)
    body = page.locator("body").inner_text()
    assert "3/15/2027" in body and "0540" in body and "Cigna" in body
    page.close()
