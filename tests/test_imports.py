"""Module boundaries: each module imports alone in a fresh interpreter (no import cycle hides behind a
function-local import), and the package's public names resolve."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import assistant

MODULES = sorted(p.stem for p in (Path(assistant.__file__).parent).glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_alone(module):
    out = subprocess.run(
        [sys.executable, "-c", f"import assistant.{module}"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]


def _imports(path: Path) -> set[str]:
    """Project modules a module imports anywhere (module level or inside a function), except under
    `if TYPE_CHECKING:`, which never runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(node)
        for branch in ast.walk(tree)
        if isinstance(branch, ast.If) and getattr(branch.test, "id", "") == "TYPE_CHECKING"
        for node in ast.walk(branch)
    }
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and id(node) not in skipped:
            found |= {node.module.split(".")[0]} if node.module else {alias.name for alias in node.names}
    return found & set(MODULES)


def test_no_import_cycle_even_through_function_local_imports():
    """A project module imported inside a function is how a cycle hides from `import` itself."""
    graph = {m: _imports(Path(assistant.__file__).parent / f"{m}.py") for m in MODULES}
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for nxt in sorted(graph[module]):
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join(path[path.index(nxt) :] + [module, nxt]))
            if nxt not in state:
                visit(nxt, path + [module])
        state[module] = 2

    for module in MODULES:
        if module not in state:
            visit(module, [])


def test_public_api():
    for name in assistant.__all__:
        assert getattr(assistant, name) is not None
