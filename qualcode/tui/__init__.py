"""The terminal face of qualcode (Textual). The core never imports this package."""

import os

# Textual paints at most MAX_FPS frames a second and a change waits for the next tick:
# at the default 60 that adds up to 17 ms to every key press. 120 halves that wait.
os.environ.setdefault("TEXTUAL_FPS", "120")
