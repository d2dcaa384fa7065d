"""Study home: participants x waves, each cell a transcript with its coding progress
and attendance; focus groups and other documents beside it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, OptionList
from textual.widgets.option_list import Option

from ...records.transcripts import Transcript
from ..dialogs import ConfirmDialog, TextInputDialog, TranscriptFields, TranscriptFieldsDialog
from ..shown import counted, plain, shown
from ..widgets.key_footer import KeyFooter
from ..widgets.status_line import StatusLine
from .base import BaseScreen

# What the attendance states mean, said as such: "done" read as "coding done".
ATTENDANCE: dict[str | None, tuple[str, str]] = {
    "interviewed": ("interviewed", "green"),
    "missed": ("missed", "red"),
    "withdrawn": ("withdrawn", "magenta"),
    "not_yet": ("not due", "yellow"),
}
FIXED_COLUMNS = 2  # ID and name stay in view while the waves scroll sideways


class HomeScreen(BaseScreen):
    """Where a session starts: who was seen when, and how much is coded."""

    BINDINGS = [
        Binding("enter", "open", "open transcript"),
        Binding("p", "participant", "participant"),
        Binding("f8", "app.query", "query/search"),
        Binding("e", "edit_transcript", "edit"),
        Binding("r", "replace_transcript", "replace transcript text", show=False),
        Binding("d", "delete_transcript", "delete transcript", show=False),
        Binding("tab", "app.focus_next", "next pane", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="home"):
            with Vertical(id="grid-pane"):
                yield Label("Participants across waves", classes="pane-title")
                yield DataTable(id="grid", cursor_type="cell", zebra_stripes=True, fixed_columns=FIXED_COLUMNS)
            with Vertical(id="side-pane"):
                yield Label("Focus groups and other documents", classes="pane-title")
                yield OptionList(id="others")
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload_shown()
        self.query_one("#grid").focus()

    def reload(self) -> None:
        project = self.project
        waves = [w.label for w in project.study.waves()]
        transcripts = project.transcripts.all()
        attendance = {(pid, wave): status for pid, wave, status in project.study.attendance()}
        cells: dict[tuple[str, str], list[Transcript]] = {}
        others: list[Transcript] = []
        # Focus groups (and any other shared transcript) a participant spoke in.
        kinds = {t.name: t.kind for t in transcripts}
        took_part: dict[tuple[str, str], list[str]] = {}
        for spoke in project.analysis.transcript_people():
            if spoke.kind != "interview" and spoke.wave:
                took_part.setdefault((spoke.participant, spoke.wave), []).append(spoke.transcript)
        for t in transcripts:
            if t.kind == "interview" and t.participant and t.wave:
                cells.setdefault((t.participant, t.wave), []).append(t)
            else:
                others.append(t)
        table = self.query_one("#grid", DataTable)
        row, col = table.cursor_coordinate
        table.clear(columns=True)
        table.add_columns("ID", "name", "role", "site", *(shown(w) for w in waves))
        self.cell_transcripts: dict[tuple[int, int], str] = {}
        self.row_pids: list[str] = []
        for r, person in enumerate(project.study.participants()):
            pid = person.pid
            values: list = [shown(pid, "bold"), shown(person.pseudonym or ""),
                            shown(person.role or ""), shown(person.site or "")]
            for c, wave in enumerate(waves):
                found = cells.get((pid, wave), [])
                label, colour = ATTENDANCE.get(attendance.get((pid, wave)), ("", "dim"))
                if found:
                    t = found[0]
                    self.cell_transcripts[(r, 4 + c)] = t.name
                    # A transcript means the interview took place, whatever was recorded.
                    # The name only when it says more than the row and column do already.
                    name = "" if t.name.lower() == f"{pid}_{wave}".lower() else plain(t.name) + " "
                    values.append(Text.assemble(name, (f"{t.codings:>3} coded", "cyan"),
                                                " · ", (label or "interviewed", colour)))
                elif took_part.get((pid, wave)):
                    name = took_part[(pid, wave)][0]
                    self.cell_transcripts[(r, 4 + c)] = name
                    kind = kinds.get(name, "").replace("-", " ")
                    values.append(Text.assemble(plain(name), (f" · {kind}", "cyan")))
                else:
                    values.append(Text(label or "—", colour))
            table.add_row(*values, key=pid)
            self.row_pids.append(pid)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), column=col or 4)
        side = self.query_one("#others", OptionList)
        side.clear_options()
        self.other_names = [t.name for t in others]
        for t in others:
            side.add_option(Option(Text.assemble(
                (plain(t.name), "bold"), f"\n  {t.kind} · {plain(t.wave or '-')} · ",
                (counted(t.codings, "coding"), "cyan")), id=t.name))

    def selected_transcript(self) -> str | None:
        """The transcript under the cursor (grid cell or side list), if any."""
        focused = self.focused
        if isinstance(focused, OptionList):
            return self.other_names[focused.highlighted] if focused.highlighted is not None else None
        table = self.query_one("#grid", DataTable)
        return self.cell_transcripts.get((table.cursor_coordinate.row, table.cursor_coordinate.column))

    def action_open(self) -> None:
        name = self.selected_transcript()
        if name:
            self.app.open_transcript(name)
        elif not isinstance(self.focused, OptionList):
            self.notify("No transcript in this cell", severity="warning")

    # --- corrections of a transcript ------------------------------------------------------

    def _target(self) -> str | None:
        name = self.selected_transcript()
        if name is None:
            self.notify("Put the cursor on a transcript first", severity="warning")
        return name

    def action_edit_transcript(self) -> None:
        name = self._target()
        if name is None:
            return
        current = self.project.transcripts.transcript_summary(name)
        dialog = TranscriptFieldsDialog(current, [w.label for w in self.project.study.waves()],
                                        [p.pid for p in self.project.study.participants()])

        def done(fields: TranscriptFields | None) -> None:
            if fields is None:
                return
            changed = {key: value for key, value in (("wave", fields.wave), ("participant", fields.participant),
                                                     ("kind", fields.kind), ("date", fields.date))
                       if value != (getattr(current, key) or "")}
            rename = fields.name if fields.name != name else None
            if not changed and rename is None:
                return
            if self.attempt(self.project.transcripts.set_transcript, name, rename=rename, **changed):
                self.reload()
                self.saved(f"changed transcript {name}")

        self.app.push_screen(dialog, done)

    def action_delete_transcript(self) -> None:
        name = self._target()
        if name is None:
            return
        codings = next((t.codings for t in self.project.transcripts.all() if t.name == name), 0)

        def done(yes: bool | None) -> None:
            if yes and self.attempt(self.project.transcripts.delete_transcript, name, force=True):
                self.reload()
                self.saved(f"deleted transcript {name} ({counted(codings, 'coding')}; u undoes)")

        question = f"Delete transcript {name} and its {codings} coding(s)? Undo (u) brings them back."
        self.app.push_screen(ConfirmDialog(question, yes="Delete"), done)

    def action_replace_transcript(self) -> None:
        name = self._target()
        if name is None:
            return

        def done(path: str | None) -> None:
            if not path:
                return
            report = self.attempt(self.project.transcripts.replace_transcript, name, path)
            if report is None:
                return
            self.reload()
            summary = (f"replaced {name}: {counted(report.kept, 'coding')} kept, {len(report.changed)} changed, "
                       f"{len(report.moved)} moved, {len(report.unplaced)} not placed")
            self.saved(summary)
            if report.unplaced:
                lost = "; ".join(f"{c['code']}: {c['text']}" for c in report.unplaced[:5])
                self.notify(plain(f"Not placed in the new text (u brings them back): {lost}"), severity="warning",
                            timeout=15, markup=False)
            else:
                self.notify(plain(summary), timeout=6, markup=False)

        self.app.push_screen(TextInputDialog(f"Replace the text of {name} with the corrected file:",
                                             placeholder="path/to/corrected.txt"), done)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.app.open_transcript(event.option.id)

    def action_participant(self) -> None:
        table = self.query_one("#grid", DataTable)
        if self.row_pids:
            self.app.open_participant(self.row_pids[table.cursor_coordinate.row])
