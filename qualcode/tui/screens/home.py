"""Study home: participants x waves, each cell a transcript with its coding progress
and attendance; focus groups and other documents beside it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, OptionList
from textual.widgets.option_list import Option

from ..shown import plain, shown
from ..widgets.key_footer import KeyFooter
from ..widgets.status_line import StatusLine
from .base import BaseScreen

ATTENDANCE = {
    "interviewed": ("done", "green"),
    "missed": ("missed", "red"),
    "withdrawn": ("withdrawn", "magenta"),
    "not_yet": ("not yet", "yellow"),
}


class HomeScreen(BaseScreen):
    """Where a session starts: who was seen when, and how much is coded."""

    BINDINGS = [
        Binding("enter", "open", "open transcript"),
        Binding("p", "participant", "participant"),
        Binding("tab", "app.focus_next", "next pane", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="home"):
            with Vertical(id="grid-pane"):
                yield Label("Participants across waves", classes="pane-title")
                yield DataTable(id="grid", cursor_type="cell", zebra_stripes=True)
            with Vertical(id="side-pane"):
                yield Label("Focus groups and other documents", classes="pane-title")
                yield OptionList(id="others")
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#grid").focus()

    def reload(self) -> None:
        project = self.project
        waves = [w["label"] for w in project.waves()]
        transcripts = project.transcripts()
        attendance = {(pid, wave): status for pid, wave, status in project.attendance()}
        cells: dict[tuple[str, str], list[dict]] = {}
        others = []
        # Focus groups (and any other shared transcript) a participant spoke in.
        kinds = {t["name"]: t["kind"] for t in transcripts}
        took_part: dict[tuple[str, str], list[str]] = {}
        for row in project.transcript_people():
            if row["kind"] != "interview" and row["wave"]:
                took_part.setdefault((row["participant"], row["wave"]), []).append(row["transcript"])
        for t in transcripts:
            if t["kind"] == "interview" and t["participant"] and t["wave"]:
                cells.setdefault((t["participant"], t["wave"]), []).append(t)
            else:
                others.append(t)
        table = self.query_one("#grid", DataTable)
        row, col = table.cursor_coordinate
        table.clear(columns=True)
        table.add_columns("ID", "name", "role", "site", *(shown(w) for w in waves))
        self.cell_transcripts: dict[tuple[int, int], str] = {}
        self.row_pids: list[str] = []
        for r, person in enumerate(project.participants()):
            pid = person["pid"]
            values: list = [shown(pid, "bold"), shown(person["pseudonym"] or ""),
                            shown(person["role"] or ""), shown(person["site"] or "")]
            for c, wave in enumerate(waves):
                found = cells.get((pid, wave), [])
                label, colour = ATTENDANCE.get(attendance.get((pid, wave)), ("", "dim"))
                if found:
                    t = found[0]
                    self.cell_transcripts[(r, 4 + c)] = t["name"]
                    values.append(Text.assemble(plain(t["name"]), " ", (f"{t['codings']:>3} coded ", "cyan"),
                                                (label or "done", colour)))
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
        self.other_names = [t["name"] for t in others]
        for t in others:
            side.add_option(Option(Text.assemble(
                (plain(t["name"]), "bold"), f"\n  {t['kind']} · {plain(t['wave'] or '-')} · ",
                (f"{t['codings']} codings", "cyan")), id=t["name"]))

    def action_open(self) -> None:
        focused = self.focused
        if isinstance(focused, OptionList):
            if focused.highlighted is not None:
                self.app.open_transcript(self.other_names[focused.highlighted])
            return
        table = self.query_one("#grid", DataTable)
        name = self.cell_transcripts.get(tuple(table.cursor_coordinate))
        if name:
            self.app.open_transcript(name)
        else:
            self.notify("No transcript in this cell", severity="warning")

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.app.open_transcript(event.option.id)

    def action_participant(self) -> None:
        table = self.query_one("#grid", DataTable)
        if self.row_pids:
            self.app.open_participant(self.row_pids[table.cursor_coordinate.row])
