"""Matrix and change: the participant x wave x code matrix (missing waves shown as
missing, not 0) and the change-over-time label of each code, with its evidence."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from ..dialogs import ChoiceDialog, Passage, SummaryEditor
from ..shown import counted, plain, shown
from ..widgets.key_footer import KeyFooter
from ..widgets.status_line import StatusLine
from .base import BaseScreen

MEASURES = ("count", "chars", "presence")
BYS = ("participant", "wave", "role", "site")
STATUS = {"missed": "missed", "withdrawn": "withdrawn", "not_yet": "not yet", "none": "—"}
LABEL_COLOURS = {
    "emerges": "green", "increases": "green", "surges": "yellow", "decreases": "red",
    "ceases": "red", "constant": "cyan", "idiosyncratic": "magenta", "missing": "dim",
}
HEADER_WIDTH = 14


def _short(name: str, width: int = HEADER_WIDTH) -> Text:
    name = plain(name)
    return Text(name if len(name) <= width else name[: width - 1] + "…")


def _value(value, measure: str) -> Text:
    if measure == "presence" and isinstance(value, bool):
        return Text("✓" if value else "·", "green" if value else "dim", justify="right")
    if not value:
        return Text("·", "dim", justify="right")
    return Text(str(value), "bold", justify="right")


class MatrixScreen(BaseScreen):
    """Read the matrix; see which codes emerge, grow, fade or stay, and why."""

    BINDINGS = [
        Binding("enter", "summary", "summary"),
        Binding("v", "compare", "compare segments"),
        Binding("m", "measure", "measure"),
        Binding("b", "by", "group by"),
        Binding("f", "category", "category"),
        Binding("c", "change", "change: sample/code"),
        Binding("r", "role", "change: role"),
        Binding("tab", "app.focus_next", "next pane", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.measure = "count"
        self.by = "participant"
        self.category: str | None = None
        self.change_code: str | None = None   # None: the sample's labels per code
        self.change_role: str | None = None   # None: every participant's change
        self.columns: list[str] = []
        self.row_labels: list[list[str]] = []
        self.change_rows: list[tuple[str, str | None]] = []  # (code, participant) per row
        self.summarised: set[tuple[str, str, str]] = set()  # (participant, wave, code) with a summary

    def compose(self) -> ComposeResult:
        yield Label("", id="matrix-title", classes="pane-title")
        with Vertical(id="matrix-pane"):
            yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=True)
        yield Label("", id="change-title", classes="pane-title")
        with Vertical(id="change-pane"):
            yield DataTable(id="change", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        yield Static("", id="matrix-help")
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#matrix-help", Static).update(Text(
            "Enter the summary of the cell (✎: written) · v compare the code's segments · m measure · "
            "b group by · f category · c change for the code under the cursor / for the sample · "
            "r change of one role · Tab other table", "dim"))
        self.reload_shown()
        self.query_one("#matrix", DataTable).focus()

    def reload(self) -> None:
        self._load_matrix()
        self._load_change()

    # --- the matrix ------------------------------------------------------------------

    def _load_matrix(self) -> None:
        matrix = self.attempt(self.project.analysis.matrix, by=self.by, measure=self.measure,
                              category=self.category)
        table = self.query_one("#matrix", DataTable)
        row, col = table.cursor_coordinate
        table.clear(columns=True)
        if matrix is None:
            return
        self.columns = list(matrix.columns)
        keys = list(matrix.row_keys)
        table.add_columns(*(shown(k) for k in keys), "n", *(_short(c) for c in self.columns))
        self.row_labels = []
        summaries = self.attempt(self.project.summaries.all, row_kind="participant") or []
        self.summarised = {(s.row, s.wave, s.theme) for s in summaries} if self.by == "participant" else set()
        for r in matrix.rows:
            labels = [shown(x, "bold") for x in r.labels]
            if all(v is None for v in r.values):
                reason = STATUS.get(r.status or "", "no data")
                cells = [Text(reason, "dim italic", justify="right") for _ in self.columns]
            else:
                cells = [_value(v, self.measure) for v in r.values]
            if self.summarised and len(r.labels) == 2:
                key = (str(r.labels[0]), str(r.labels[1]))
                cells = [Text.assemble(cell, ("✎", "bold magenta")) if (*key, code) in self.summarised else cell
                         for cell, code in zip(cells, self.columns)]
            table.add_row(*labels, Text(str(r.n), "dim"), *cells)
            self.row_labels.append([str(x) for x in r.labels])
        self.label_cols = len(keys) + 1
        # Who and when stay in view while the codes scroll sideways (80 columns show few).
        table.fixed_columns = self.label_cols
        scope = f"category {plain(self.category)}" if self.category else "all codes"
        self.query_one("#matrix-title", Label).update(Text.assemble(
            ("Matrix", "bold"), f"  ·  {self.measure} by {self.by}  ·  {scope}  ·  ",
            (f"{counted(len(matrix.rows), 'row')} × {counted(len(self.columns), 'code')}", "dim"),
            ("  ·  missing = not interviewed at that wave (not 0)", "dim italic")))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1),
                              column=max(self.label_cols, min(col, len(self.columns) + self.label_cols - 1)))

    def _cursor(self) -> tuple[str | None, str | None, str | None]:
        """(code, participant, wave) under the matrix cursor."""
        table = self.query_one("#matrix", DataTable)
        if not table.row_count:
            return None, None, None
        row, col = table.cursor_coordinate
        code = self.columns[col - self.label_cols] if col >= self.label_cols and self.columns else None
        labels = self.row_labels[row] if row < len(self.row_labels) else []
        participant = labels[0] if self.by == "participant" and labels else None
        wave = labels[-1] if labels else None
        return code, participant, wave

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        if event.data_table.id != "matrix":
            return
        code, participant, wave = self._cursor()
        full = code or ""
        where = " · ".join(x for x in (participant, wave) if x)
        self.query_one("#matrix-help", Static).update(Text.assemble(
            (plain(full), "bold"), (f"  {plain(where)}  ·  " if where else "  ·  ", "dim"),
            ("Enter summary · v compare · m measure · b group by · f category · c change of this code", "dim")))

    # --- change over time ------------------------------------------------------------

    def _load_change(self) -> None:
        table = self.query_one("#change", DataTable)
        table.clear(columns=True)
        self.change_rows = []
        measure = "chars" if self.measure == "chars" else "count"
        codes = [self.change_code] if self.change_code else None
        if codes is None and self.category:
            codes = self.columns or None
        roles = [self.change_role] if self.change_role else None
        report = self.attempt(self.project.analysis.change_report, codes=codes, measure=measure,
                              roles=roles)
        if report is None:
            return
        among = f" (role {plain(self.change_role)})" if self.change_role else ""
        waves = report.waves
        if self.change_code:
            table.add_columns("participant", "label", *(shown(w) for w in waves), "evidence")
            for item in report.participants:
                ev = item.evidence
                missing = {m.wave: m.status for m in ev.missing_waves}
                cells = []
                for w in waves:
                    if w in missing:
                        cells.append(Text(STATUS.get(missing[w], missing[w]), "dim italic", justify="right"))
                    else:
                        cells.append(_value(ev.values.get(w), measure))
                evidence = f"present at {', '.join(ev.present_waves) or '-'}"
                if missing:
                    evidence += f"; no data at {', '.join(missing)}"
                table.add_row(shown(item.participant, "bold"), self._label(item.label),
                              *cells, shown(evidence, "dim"))
                self.change_rows.append((item.code, item.participant))
            title = (f"Change over time: {plain(self.change_code)}, per participant{among} "
                     f"({len(report.participants)} with the code)  ·  c back to the sample")
        else:
            table.add_columns("code", "label", "people", *(shown(w) for w in waves))
            for sample_item in report.sample:
                cells = []
                for w in waves:
                    share = sample_item.evidence[w]
                    if share.share is None:
                        cells.append(Text("no one observed", "dim italic"))
                    else:
                        cells.append(Text(f"{share.with_code}/{share.observed} "
                                          f"({100 * share.share:.0f}%) · {share.codings} cod."))
                table.add_row(shown(sample_item.code, "bold"), self._label(sample_item.label),
                              str(sample_item.participants), *cells)
                self.change_rows.append((sample_item.code, None))
            title = (f"Change over time for the sample{among} (share of those observed at each "
                     "wave who have the code)  ·  c per participant for the code under the cursor")
        self.query_one("#change-title", Label).update(Text(title, "bold"))

    @staticmethod
    def _label(label: str) -> Text:
        return Text(label, f"bold {LABEL_COLOURS.get(label, '')}".strip())

    # --- actions ---------------------------------------------------------------------

    def action_measure(self) -> None:
        self.measure = MEASURES[(MEASURES.index(self.measure) + 1) % len(MEASURES)]
        self.reload_shown()
        self.notify(f"measure: {self.measure}", timeout=1.5)

    def action_by(self) -> None:
        self.by = BYS[(BYS.index(self.by) + 1) % len(BYS)]
        self._load_matrix()
        self.notify(f"grouped by {self.by}", timeout=1.5)

    def action_category(self) -> None:
        cats = [c.name for c in self.project.codebook.codes() if c.is_category]
        choices = [("All codes", "")] + [(name, name) for name in cats]
        self.app.push_screen(ChoiceDialog("Show the codes of which category?", choices),
                             self._category_chosen)

    def _category_chosen(self, value: str | None) -> None:
        if value is None:
            return
        self.category = value or None
        self.change_code = None
        self.reload_shown()

    def action_change(self) -> None:
        if self.change_code:
            self.change_code = None
        else:
            code = None
            if self.focused is self.query_one("#change", DataTable):
                table = self.query_one("#change", DataTable)
                if self.change_rows:
                    code = self.change_rows[table.cursor_coordinate.row][0]
            else:
                code = self._cursor()[0]
            if not code:
                self.notify("Put the cursor on a code's column first", severity="warning")
                return
            self.change_code = code
        self._load_change()

    def action_role(self) -> None:
        """The change of every participant, then of each role's in turn, then every one's."""
        roles = sorted({p.role for p in self.project.study.participants() if p.role})
        if not roles:
            self.notify("No participant has a role", severity="warning")
            return
        if self.change_role in roles and roles.index(self.change_role) + 1 < len(roles):
            self.change_role = roles[roles.index(self.change_role) + 1]
        else:
            self.change_role = None if self.change_role else roles[0]
        self._load_change()
        self.notify(f"change of role {self.change_role}" if self.change_role else "change of everyone",
                    timeout=1.5)

    def action_compare(self) -> None:
        code: str | None
        participant: str | None
        if self.focused is self.query_one("#change", DataTable):
            table = self.query_one("#change", DataTable)
            if not self.change_rows:
                return
            code, participant = self.change_rows[table.cursor_coordinate.row]
            filters = {"participant": participant}
        else:
            code, participant, wave = self._cursor()
            filters = {"participant": participant, "wave": wave}
            if self.by in ("role", "site"):
                row = self.query_one("#matrix", DataTable).cursor_coordinate.row
                group = self.row_labels[row][0] if row < len(self.row_labels) else None
                if group and group != "(missing)":
                    filters[self.by] = group
        if not code:
            self.notify("Put the cursor on a code's column first", severity="warning")
            return
        self.app.open_comparison(code, **filters)

    def action_summary(self) -> None:
        """Enter on a participant's cell: write its summary with its coded passages
        beside it; elsewhere (groups, the change table) compare the segments."""
        if self.focused is self.query_one("#change", DataTable) or self.by != "participant":
            self.action_compare()
            return
        code, participant, wave = self._cursor()
        if not (code and participant and wave):
            self.notify("Put the cursor on a code's column first", severity="warning")
            return
        existing = self.attempt(self.project.summaries.find, participant, wave, code)
        rows = self.attempt(self.project.coding.segments, code, include_subcodes=True,
                            participant=participant, wave=wave) or []
        passages = [Passage(r.id, f"{r.transcript}, turn {r.turn}, {r.coder}", r.text)
                    for r in rows]

        def done(text: str | None) -> None:
            if text is None or (existing and text.strip() == existing.body):
                return
            if not text.strip():
                def delete() -> bool:
                    self.project.summaries.delete(participant, wave, code)
                    return True

                if existing and self.attempt(delete):
                    self.saved(f"deleted the summary of {participant} at {wave} under {code!r}")
            else:
                cite = None if existing else [p.coding_id for p in passages]
                if self.attempt(self.project.summaries.set, participant, wave, code, text, cite=cite):
                    self.saved(f"wrote the summary of {participant} at {wave} under {code!r}")
            self._load_matrix()

        self.app.push_screen(SummaryEditor(f"Summary: {participant} at {wave}, {code}",
                                           existing.body if existing else "", passages,
                                           cited=len(existing.citations) if existing else 0), done)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_summary()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_compare()
