"""The terminal UI keeps to Textual's public API: private hooks only in the one adapter
module (with Textual capped below its next major version), and workers that post their
results as messages rather than reach into the screen."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import tomllib
from pathlib import Path

import qualcode.tui

TUI = Path(qualcode.tui.__file__).parent
ADAPTER = TUI / "textual_adapter.py"


def _modules():
    for path in sorted(TUI.rglob("*.py")):
        if path != ADAPTER:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_no_private_textual_imports_outside_the_adapter():
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(part.startswith("_") for name in names if name.startswith("textual")
                   for part in name.split(".")):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_no_private_textual_method_overridden_outside_the_adapter():
    found = []
    for path in sorted(TUI.rglob("*.py")):
        if path == ADAPTER:
            continue
        module = importlib.import_module(
            "qualcode.tui." + ".".join(path.relative_to(TUI).with_suffix("").parts))
        for cls in vars(module).values():
            if not (inspect.isclass(cls) and cls.__module__ == module.__name__):
                continue
            textual_bases = [base for base in cls.__mro__ if base.__module__.startswith("textual")]
            for name, value in vars(cls).items():
                if name.startswith("_") and not name.startswith("__") and callable(value) and \
                        any(name in vars(base) for base in textual_bases):
                    found.append(f"{cls.__name__}.{name}")
    assert found == []


def test_workers_post_messages_and_never_call_into_the_screen():
    # call_from_thread runs a screen's method from the worker's side; results go as
    # messages instead, handled on the main thread.
    uses = [path.name for path, _ in _modules() if "call_from_thread" in path.read_text(encoding="utf-8")]
    assert uses == []


def test_textual_is_capped_while_the_adapter_uses_its_internals():
    project = tomllib.loads((TUI.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    # (textual itself, not textual-serve)
    [textual] = [d for d in project["project"]["dependencies"] if re.match(r"textual\s*[<>=!~]", d)]
    assert re.search(r"<\s*\d", textual), textual
