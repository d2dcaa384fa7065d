"""The bad-input generator, ``tests/bad_inputs/make_bad_inputs.py``, as a module: it
writes the committed corpus, and makes the large inputs that are generated when a test
runs instead of being committed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

CORPUS = Path(__file__).parent / "bad_inputs"

_spec = importlib.util.spec_from_file_location("make_bad_inputs", CORPUS / "make_bad_inputs.py")
make_bad_inputs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_bad_inputs)
