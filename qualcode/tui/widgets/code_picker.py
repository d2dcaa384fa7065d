"""The fuzzy code picker: apply a code in two or three keys.

``c`` then ``1``-``9`` picks a numbered code at once (the list starts with the codes
used most recently), or type a few letters and Enter. The last options create a new
code from the typed text, or an in-vivo code from the selected words (ctrl+v).
The picker only returns a name; the screen that opened it decides what to do.
"""

from __future__ import annotations

from rapidfuzz import fuzz, utils
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ..shown import plain

MAX_SHOWN = 9


def in_vivo_name(words: str, limit: int = 60) -> str:
    """A code name from the participant's own words: squashed, cut at a word."""
    name = " ".join(words.split()).strip(" .,;:!?\"'“”‘’-")
    if len(name) > limit:
        name = name[:limit].rsplit(" ", 1)[0]
    return name


FUZZY_AT_LEAST = 80  # rapidfuzz ratio of two words: "turst" for "trust", not "first"


def rank(query: str, names: list[str]) -> list[str]:
    """The names that match ``query``, best first: the exact name, then names starting
    with it, names with a word starting with it, names whose initials start with it,
    names containing it, and last close misspellings (``turst``). Within each group the
    given order (recent codes first) is kept. ``trust`` lists "Trust and rapport", not
    "First contact" (which shares three letters)."""
    query = " ".join(query.split())
    if not query:
        return list(names)
    q = query.lower()

    def tier(name: str) -> int | None:
        lower = name.lower()
        words = lower.replace("-", " ").split()
        if lower == q:
            return 0
        if lower.startswith(q):
            return 1
        if all(any(word.startswith(part) for word in words) for part in parts):
            return 2  # each word typed starts a word of the name ("phys act")
        if len(q) > 1 and "".join(word[0] for word in words).startswith(q):
            return 3
        if q in lower:
            return 4
        return None

    def misspelt(name: str) -> bool:
        # Each word typed (of three letters or more) is close to a word of the name.
        words = utils.default_process(name).split()
        return all(len(part) >= 3 and any(fuzz.ratio(part, word) >= FUZZY_AT_LEAST for word in words)
                   for part in parts)

    parts = utils.default_process(q).split() or [q]
    tiers = {name: tier(name) for name in names}
    for name in names:
        if tiers[name] is None and misspelt(name):
            tiers[name] = 5
    order = {name: i for i, name in enumerate(names)}
    return sorted((n for n in names if tiers[n] is not None), key=lambda n: (tiers[n], order[n]))


class QueryInput(Input):
    """The picker's filter: while empty, it lets digits through to the picker's
    bindings (``c 1`` picks code 1); once something is typed, digits are text."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character and character.isdigit() and not self.value:
            return False
        return super().check_consume_key(key, character)


class PickerPanel(Vertical):
    """The picker itself, as a widget: the coding screen keeps one mounted (hidden) on
    an overlay layer and shows it on ``c``, so applying a code closes no screen and
    costs no full repaint; other screens use it inside the :class:`CodePicker` modal.
    Posts :class:`PickerPanel.Picked` with a name, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "cancel"),
        Binding("down", "cursor(1)", "down", show=False, priority=True),
        Binding("up", "cursor(-1)", "up", show=False, priority=True),
        Binding("ctrl+n", "new", "new code from text", priority=True),
        Binding("ctrl+v", "in_vivo", "in-vivo code", priority=True),
        Binding("tab", "parent(1)", "parent of a new code: next", show=False, priority=True),
        Binding("shift+tab", "parent(-1)", "parent of a new code: previous", show=False, priority=True),
        # With nothing typed, a digit picks the numbered code at once (QueryInput lets
        # it through), with no frame spent showing it typed first.
        *(Binding(str(n), f"digit({n})", "pick the code of that number (nothing typed yet)",
                  show=False, priority=True) for n in range(10)),
    ]

    class Picked(Message):
        """A code was picked (``name``; None when cancelled). ``parent`` is where a new
        or in-vivo code goes (None: the top level); an existing code keeps its place."""

        def __init__(self, name: str | None, parent: str | None = None) -> None:
            super().__init__()
            self.name = name
            self.parent = parent

    def __init__(self, names: list[str] | None = None, *, selected_text: str = "",
                 title: str = "Apply a code", allow_new: bool = True, focus_on_mount: bool = True,
                 **kwargs) -> None:
        super().__init__(classes="dialog picker", **kwargs)
        self.shown: list[tuple[str, str]] = []  # (kind, name)
        self.focus_on_mount = focus_on_mount  # False: the opener forwards its keys here
        self.configure(names or [], selected_text=selected_text, title=title, allow_new=allow_new)

    def configure(self, names: list[str], *, selected_text: str = "", title: str = "Apply a code",
                  allow_new: bool = True, parents: list[str] | None = None,
                  parent: str | None = None) -> None:
        """``parents``: where a new code may go (besides the top level), Tab cycling
        through them; ``parent``: where it goes unless the user changes it."""
        self.names = names
        self.in_vivo = in_vivo_name(selected_text) if allow_new else ""
        self.title_text, self.allow_new = title, allow_new
        self.parent_choices: list[str | None] = [None, *(parents or [])]
        self.new_code_parent = parent if parent in self.parent_choices else None

    def compose(self) -> ComposeResult:
        yield Label(Text(plain(self.title_text)), classes="dialog-title", id="picker-title")
        yield QueryInput(placeholder="type to filter; 1-9 to pick", id="query")
        yield OptionList(id="options")
        yield Label(self._parent_line(), id="picker-parent")
        yield Label(self._hint(), classes="hint", id="picker-hint")

    def _parent_line(self) -> Text:
        if not self.allow_new:
            return Text("")
        return Text.assemble("new code goes under: ", (plain(self.new_code_parent or "the top level"), "bold"),
                             ("  (Tab changes)" if len(self.parent_choices) > 1 else "", "dim"))

    def action_parent(self, step: int) -> None:
        """Tab: the next place a new code could go (Tab never leaves the picker)."""
        if not self.allow_new or len(self.parent_choices) < 2:
            return
        here = self.parent_choices.index(self.new_code_parent) if self.new_code_parent in self.parent_choices else 0
        self.new_code_parent = self.parent_choices[(here + step) % len(self.parent_choices)]
        self.query_one("#picker-parent", Label).update(self._parent_line())

    def _hint(self) -> str:
        hint = "Enter apply · 1-9 pick · ↑↓ move"
        if self.allow_new:
            hint += " · ctrl+n new code · ctrl+v in-vivo code"
        return hint + " · Esc cancel"

    def on_mount(self) -> None:
        self.reset(focus=self.focus_on_mount)

    def reset(self, *, focus: bool = True) -> None:
        """Show the configured names from the start, with the filter empty (and focused,
        unless the opener forwards its keys here: see :meth:`forward_key`)."""
        self.query_one("#picker-title", Label).update(Text(plain(self.title_text)))
        self.query_one("#picker-hint", Label).update(self._hint())
        self.query_one("#picker-parent", Label).update(self._parent_line())
        self.query_one("#picker-parent", Label).display = self.allow_new
        self._set_query("")
        if focus:
            self.query_one(Input).focus()

    def _set_query(self, value: str) -> None:
        field = self.query_one(Input)
        if field.value != value:
            with field.prevent(Input.Changed):
                field.value = value
                field.cursor_position = len(value)
        self._fill(value)

    def forward_key(self, event: events.Key) -> bool:
        """Handle a key pressed in the widget that kept the focus (the transcript), as
        the filter field would; True if it was used. Keeping the focus where it is saves
        the full repaint a focus change costs when the picker closes."""
        key, char = event.key, event.character
        field = self.query_one(Input)
        if key == "escape":
            self.action_cancel()
        elif key == "enter":
            index = self.query_one(OptionList).highlighted
            if index is not None and index < len(self.shown):
                self._choose(self.shown[index][1])
        elif key in ("down", "up"):
            self.action_cursor(1 if key == "down" else -1)
        elif key == "ctrl+n":
            self.action_new()
        elif key == "ctrl+v":
            self.action_in_vivo()
        elif key in ("tab", "shift+tab"):
            self.action_parent(1 if key == "tab" else -1)
        elif key == "backspace":
            self._set_query(field.value[:-1])
        elif key in ("ctrl+u", "ctrl+w"):
            self._set_query("")
        elif char and len(char) == 1 and char.isprintable():
            if char.isdigit() and not field.value:
                self.action_digit(int(char))
            else:
                self._set_query(field.value + char)
        elif (key.startswith("f") and key[1:].isdigit()) or key in ("ctrl+q", "ctrl+c"):
            return False  # screen keys and quitting still work
        return True

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        matches = rank(query, self.names)[:MAX_SHOWN]
        self.shown = [("code", name) for name in matches]
        new = " ".join(query.split())
        if self.allow_new and new and new.lower() not in {n.lower() for n in self.names}:
            self.shown.append(("new", new))
        if self.allow_new and self.in_vivo and self.in_vivo not in self.names:
            self.shown.append(("in-vivo", self.in_vivo))
        prompts = []
        for i, (kind, name) in enumerate(self.shown):
            if kind == "code":
                # Numbers only while nothing is typed: then a digit picks; later it types.
                number = f"{i + 1} " if i < 9 and not query else "  "
                prompt = Text.assemble((number, "bold"), plain(name))
            elif kind == "new":
                prompt = Text.assemble(("+ new code ", "green"), plain(name))
            else:
                prompt = Text.assemble(("+ in-vivo ", "magenta"), f"“{plain(name)}”")
            prompts.append(Option(prompt, id=str(i)))
        options.add_options(prompts)
        if self.shown:
            options.highlighted = 0

    def _choose(self, name: str | None) -> None:
        self.post_message(self.Picked(name, self.new_code_parent if self.allow_new else None))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def action_digit(self, n: int) -> None:
        """``c 1``: pick code 1; once something is typed, digits are just text."""
        field = self.query_one(Input)
        if not field.value and 1 <= n <= len(self.shown) and self.shown[n - 1][0] == "code":
            self._choose(self.shown[n - 1][1])
        else:
            field.insert_text_at_cursor(str(n))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one(OptionList).highlighted
        if index is not None and index < len(self.shown):
            self._choose(self.shown[index][1])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(self.shown[int(event.option.id or 0)][1])

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            options.highlighted = ((options.highlighted or 0) + step) % len(self.shown)

    def action_new(self) -> None:
        name = " ".join(self.query_one(Input).value.split())
        if self.allow_new and name:
            # "trust" typed for an existing "Trust" applies Trust rather than a near-twin.
            existing = {n.lower(): n for n in self.names}
            self._choose(existing.get(name.lower(), name))

    def action_in_vivo(self) -> None:
        if self.in_vivo:
            self._choose(self.in_vivo)
        else:
            self.notify("Select some words first for an in-vivo code", severity="warning")

    def action_cancel(self) -> None:
        self._choose(None)


class CodePicker(ModalScreen[str | None]):
    """The picker as a modal screen: returns a code name (existing, new, or in-vivo),
    or None on escape."""

    def __init__(self, names: list[str], *, selected_text: str = "", title: str = "Apply a code",
                 allow_new: bool = True) -> None:
        super().__init__()
        self.selected_text, self.title_text, self.allow_new = selected_text, title, allow_new
        self.names = names

    def compose(self) -> ComposeResult:
        yield PickerPanel(self.names, selected_text=self.selected_text, title=self.title_text,
                          allow_new=self.allow_new)

    def on_picker_panel_picked(self, event: PickerPanel.Picked) -> None:
        event.stop()
        self.dismiss(event.name)
