"""The codebook: the tree with definitions, criteria, examples, stage and counts by wave;
add, rename, edit, move, merge, split and delete (with confirmation; all undoable)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, Tree
from textual.widgets.tree import TreeNode

from ...model import STAGES
from ...records.codes import Code, CodeNode
from ...records.codings import Coding
from ..dialogs import ChoiceDialog, ConfirmDialog, TextInputDialog
from ..shown import counted, editable, edited, plain, shown
from ..widgets.code_picker import CodePicker
from ..widgets.key_footer import KeyFooter
from ..widgets.status_line import StatusLine
from .base import BaseScreen

FIELDS = ("definition", "inclusion", "exclusion", "example", "colour")


class CodeEditor(ModalScreen[dict | None]):
    """Edit a code's fields; returns only the fields that changed."""

    BINDINGS = [Binding("ctrl+s", "save", "save", priority=True), Binding("escape", "cancel", "cancel")]

    def __init__(self, code: Code) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(shown(f"Edit {self.code.name}"), classes="dialog-title", markup=False)
            for field in FIELDS:
                yield Label(field)
                yield Input(editable(getattr(self.code, field)), id=field)
            yield Label("stage")
            yield Select([(s, s) for s in STAGES], value=self.code.stage, allow_blank=False,
                         id="stage")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save()

    def action_save(self) -> None:
        # A field shown but not changed gives back what is stored, control characters and all.
        values = {f: edited(self.query_one(f"#{f}", Input).value, getattr(self.code, f)).strip() or None
                  for f in FIELDS}
        stage = self.query_one("#stage", Select).value
        values["stage"] = stage if isinstance(stage, str) else None
        self.dismiss({k: v for k, v in values.items() if v != getattr(self.code, k)})

    def action_cancel(self) -> None:
        self.dismiss(None)


class SplitDialog(ModalScreen[tuple[str, list[int]] | None]):
    """Choose the codings that move to a new sibling code."""

    BINDINGS = [Binding("ctrl+s", "save", "split", priority=True), Binding("escape", "cancel", "cancel")]

    def __init__(self, code: str, codings: list[Coding]) -> None:
        super().__init__()
        self.code, self.codings = code, codings

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(shown(f"Split {self.code}: name the new code, tick its codings (space), ctrl+s"),
                        classes="dialog-title", markup=False)
            yield Input(placeholder="new code name", id="name")
            yield SelectionList[int](*(
                (shown(f"{c.transcript} {c.start}:{c.end}  {' '.join(c.text.split())[:80]}"),
                 c.id) for c in self.codings), id="pick")

    def action_save(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        chosen = list(self.query_one(SelectionList).selected)
        if name and chosen:
            self.dismiss((name, chosen))
        else:
            self.notify("Give a name and tick at least one coding", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)


class CodebookScreen(BaseScreen):
    """Shape the codebook."""

    BINDINGS = [
        Binding("a", "add(False)", "add"),
        Binding("A", "add(True)", "add sub-code"),
        Binding("r", "rename", "rename"),
        Binding("e", "edit", "edit"),
        Binding("o", "move", "move"),
        Binding("M", "merge", "merge into"),
        Binding("S", "split", "split"),
        Binding("d,delete", "delete", "delete"),
        Binding("C", "compare", "compare"),
    ]

    def __init__(self, code: str | None = None) -> None:
        super().__init__()
        self.initial = code
        self.codes: dict[str, CodeNode] = {}
        self.nodes: dict[str, TreeNode] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="codebook-screen"):
            with Vertical(id="tree-pane"):
                yield Label("Codebook (codings, with sub-codes)", classes="pane-title")
                yield Tree("codes", id="tree")
            with VerticalScroll(id="detail-pane"):
                yield Static("", id="detail")
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Tree).show_root = False
        self.reload_shown()
        self.select(self.initial)
        self.query_one(Tree).focus()

    def reload(self) -> None:
        tree = self.query_one(Tree)
        current = self.current
        tree.clear()
        self.nodes, self.codes = {}, {}

        def add(parent, node: CodeNode) -> None:
            self.codes[node.name] = node
            label = Text.assemble(("■ ", node.colour or "#888888"),
                                  (plain(node.name), "" if node.codable else "italic"),
                                  (f"  {node.total}", "cyan"))
            child = parent.add(label, data=node.name, expand=True) if node.children else \
                parent.add_leaf(label, data=node.name)
            self.nodes[node.name] = child
            for sub in node.children:
                add(child, sub)

        for root in self.project.codebook.tree():
            add(tree.root, root)
        tree.root.expand()
        self.select(current)

    @property
    def current(self) -> str | None:
        node = self.query_one(Tree).cursor_node
        return node.data if node is not None else None

    def select(self, name: str | None) -> None:
        """Put the cursor on a code (after the tree has laid out its new lines)."""
        self.call_after_refresh(self._select_now, name)

    def _select_now(self, name: str | None) -> None:
        node = self.nodes.get(name) if name else None
        tree = self.query_one(Tree)
        if node is not None:
            # Tree numbers its lines lazily; a node added since the last paint has none yet.
            tree._tree_lines  # noqa: B018
            tree.move_cursor(node)
        self._show(self.current)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._show(event.node.data)

    def _show(self, name: str | None) -> None:
        code = self.codes.get(name or "")
        detail = self.query_one("#detail", Static)
        if not code:
            detail.update(Text("No code selected. a adds one.", "dim"))
            return
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", width=12)
        table.add_column()
        for field in ("definition", "inclusion", "exclusion", "example"):
            text = getattr(code, field)
            table.add_row(field, shown(text or "—", "" if text else "dim"))
        flags = [code.stage, "in-vivo" if code.in_vivo else "",
                 "category (not applied to text)" if not code.codable else ""]
        table.add_row("stage", ", ".join(f for f in flags if f))
        table.add_row("parent", shown(code.parent or "—"))
        table.add_row("colour", Text(code.colour or "—", code.colour or ""))
        waves = code.codings_by_wave
        by_wave = shown("  ".join(f"{w}: {n}" for w, n in waves.items()) or "—")
        table.add_row("codings", f"{code.codings} (with sub-codes {code.total})")
        table.add_row("by wave", by_wave)
        detail.update(Group(shown(code.name, "bold underline"), Text(""), table))

    # --- edits -------------------------------------------------------------------------

    def _done(self, result, summary: str, select: str | None = None) -> None:
        if result is not None:
            self.reload_shown()
            self.select(select or self.current)
            self.saved(summary)

    def action_add(self, child: bool) -> None:
        parent = self.current if child else None
        if child and not parent:
            return
        prompt = f"New code under {parent}" if parent else "New code"

        def done(name: str | None) -> None:
            if name:
                colour = self.project.codebook.next_colour()
                self._done(self.attempt(self.project.codebook.add_code, name, parent=parent, colour=colour),
                           f"added code {name}", name)

        self.app.push_screen(TextInputDialog(prompt), done)

    def _seen(self, name: str) -> int | None:
        """The revision of the code as shown when the user began an edit: the core
        refuses the edit if anyone changed the code since (see CodebookService)."""
        return self.codes[name].revision if name in self.codes else None

    def action_rename(self) -> None:
        old = self.current
        if not old:
            return
        seen = self._seen(old)

        def done(name: str | None) -> None:
            if name and name != old:
                self._done(self.attempt(self.project.codebook.rename_code, old, name,
                                        expected_revision=seen),
                           f"renamed {old} to {name}", name)

        self.app.push_screen(TextInputDialog(f"Rename {old}", old), done)

    def action_edit(self) -> None:
        name = self.current
        if not name:
            return
        seen = self._seen(name)

        def done(fields: dict | None) -> None:
            if fields:
                self._done(self.attempt(self.project.codebook.edit_code, name,
                                        expected_revision=seen, **fields),
                           f"edited {name}: {', '.join(fields)}", name)

        self.app.push_screen(CodeEditor(self.codes[name]), done)

    def action_move(self) -> None:
        name = self.current
        if not name:
            return
        choices = [("(top level)", "")] + [(n, n) for n in self.codes if n != name]
        seen = self._seen(name)

        def done(parent: str | None) -> None:
            if parent is not None:
                self._done(self.attempt(self.project.codebook.move_code, name, parent or None,
                                        expected_revision=seen),
                           f"moved {name} under {parent or 'the top level'}", name)

        self.app.push_screen(ChoiceDialog(f"Move {name} under…", choices), done)

    def action_merge(self) -> None:
        source = self.current
        if not source:
            return
        names = [n for n in self.codes if n != source]
        seen = self._seen(source)

        def confirmed(target: str, yes: bool | None) -> None:
            if yes:
                result = self.attempt(self.project.codebook.merge_codes, source, target,
                                      expected_revision=seen)
                if result:
                    self._done(result, f"merged {source} into {target} "
                               f"({counted(result.codings_moved, 'coding')} moved)", target)

        def picked(target: str | None) -> None:
            if target:
                self.app.push_screen(ConfirmDialog(
                    f"Merge {source} into {target}? Its codings, sub-codes and memo links "
                    "move to the target (undo with u)."), lambda yes: confirmed(target, yes))

        self.app.push_screen(CodePicker(names, title=f"Merge {source} into…", allow_new=False), picked)

    def action_split(self) -> None:
        name = self.current
        if not name:
            return
        codings = self.project.coding.codings(code=name)
        if not codings:
            self.notify(f"{plain(name)} has no codings to split", severity="warning", markup=False)
            return

        def done(result: tuple[str, list[int]] | None) -> None:
            if result:
                new, ids = result
                self._done(self.attempt(self.project.codebook.split_code, name, new, ids),
                           f"split {counted(len(ids), 'coding')} of {name} into {new}", new)

        self.app.push_screen(SplitDialog(name, codings), done)

    def action_delete(self) -> None:
        name = self.current
        if not name:
            return
        code = self.codes[name]
        what = f"{counted(code.codings, 'coding')} and {counted(len(code.children), 'sub-code')}"
        seen = self._seen(name)

        def done(yes: bool | None) -> None:
            if yes:
                self._done(self.attempt(self.project.codebook.delete_code, name, force=True,
                                        expected_revision=seen),
                           f"deleted code {name}")

        self.app.push_screen(ConfirmDialog(f"Delete {name} with its {what}? (undo with u)"), done)

    def action_compare(self) -> None:
        if self.current:
            self.app.open_comparison(self.current)
