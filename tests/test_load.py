"""Load: 20 staff at once, 10 questions each, against one `assistant serve` with the embedded model; and a
queue that stays bounded when far more arrive than it holds."""

import json
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from .conftest import ARTIFACTS, ROOT, running_server

USERS, QUESTIONS_EACH = 20, 10


def _questions() -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "evals" / "qa.jsonl").read_text().splitlines() if line.strip()]
    return [r["question"] for r in rows]


def test_twenty_users_ten_questions_each_no_errors(served):
    from gradio_client import Client

    questions = _questions()
    latencies, errors = [], []
    lock = threading.Lock()

    def user(n: int) -> None:
        client = Client(served["url"], verbose=False)
        for i in range(QUESTIONS_EACH):
            question = questions[(n * QUESTIONS_EACH + i) % len(questions)]
            started = time.perf_counter()
            try:
                answer = client.predict(question, api_name="/ask")
                ok = bool(answer.get("answer")) and not answer.get("error")
            except Exception as exc:  # counted, never raised: the figure is what matters
                ok, answer = False, {"error": repr(exc)}
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                if not ok:
                    errors.append((question, answer.get("error")))

    started = time.perf_counter()
    with ThreadPoolExecutor(USERS) as pool:
        list(pool.map(user, range(USERS)))
    wall = time.perf_counter() - started
    latencies.sort()
    report = {
        "users": USERS,
        "questions": len(latencies),
        "errors": len(errors),
        "wall_seconds": round(wall, 1),
        "p50_ms": round(statistics.median(latencies)),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))]),
        "throughput_per_s": round(len(latencies) / wall, 2),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(report, indent=1))
    print(f"\nload: {report}")
    assert report["questions"] == USERS * QUESTIONS_EACH and not errors, errors[:5]


def test_queue_is_bounded_and_says_so_when_full(built_index, tmp_path):
    from gradio_client import Client

    with running_server(
        built_index,
        tmp_path / "serve.log",
        ASSISTANT_BACKEND="embedded",
        ASSISTANT_CONCURRENCY="1",
        ASSISTANT_MAX_QUEUE="2",
    ) as (url, _):

        def ask(_):
            try:
                return Client(url, verbose=False).predict("Does Cigna cover 0581T?", api_name="/ask")
            except Exception as exc:
                return {"error": str(exc)}

        with ThreadPoolExecutor(12) as pool:
            results = list(pool.map(ask, range(12)))
    answered = [r for r in results if r.get("answer")]
    refused = [r for r in results if not r.get("answer")]
    assert answered and refused
    assert all("queue" in r["error"].lower() for r in refused), refused[:2]
