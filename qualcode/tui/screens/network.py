"""Network: the co-occurrence network of codes drawn in the terminal (the same layout
as the PNG, one picture per wave), or as a table of its strongest pairs (``p`` switches),
and an export of it (GraphML and PNG) to the exports folder. Counting, laying out and
drawing the PNG run in thread workers, each on its own read-only connection."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Label, ProgressBar, Static

from ...model import COOCCURRENCE_MEASURES, COOCCURRENCE_SCOPES
from ...project import Project
from ...records.analysis import CooccurrencePair, NetworkDrawing
from ..shown import plain
from ..widgets.key_footer import KeyFooter
from ..widgets.network_picture import NetworkPicture
from ..widgets.status_line import StatusLine
from .base import BaseScreen

SCOPES = COOCCURRENCE_SCOPES      # overlap, turn, transcript
MEASURES = COOCCURRENCE_MEASURES  # count, jaccard, c
PER_WAVE = "per wave"
MAX_ROWS = 300


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)


def compute_tables(path: Path, coder: str, scope: str, measure: str,
                   wave: str) -> Mapping[str, tuple[CooccurrencePair, ...]]:
    """{label: rows} (see :func:`qualcode.analysis.cooccurrence.table`); one label, or
    one per wave."""
    return compute_network(path, coder, scope, measure, wave).tables


def compute_network(path: Path, coder: str, scope: str, measure: str, wave: str) -> NetworkDrawing:
    """The tables (as :func:`compute_tables`), the graphs, and the layout and size
    scales the PNG export uses for them: one layout over all the graphs shown, so a
    code sits at the same place in every wave's picture."""
    with Project.open_reader(path) as project:
        project.coder = coder
        return project.exports.network_drawing(scope=scope, measure=measure, per_wave=wave == PER_WAVE,
                                               waves=None if wave in ("all", PER_WAVE) else [wave])


def export_network(path: Path, coder: str, scope: str, measure: str, wave: str,
                   folder: Path) -> list[Path]:
    """Write GraphML and PNG through the project's network export; the written paths."""
    written: list[Path] = []
    with Project.open_reader(path) as project:
        project.coder = coder
        folder = project.exports.make_folder(folder)
        stem = f"{_safe(project.path.stem)}-cooccurrence-{scope}-{measure}"
        per_wave = wave == PER_WAVE
        for suffix in ("graphml", "png"):
            name = stem if per_wave or wave == "all" else f"{stem}_{_safe(wave)}"
            written += project.exports.network(folder / f"{name}.{suffix}", scope=scope, measure=measure,
                                               per_wave=per_wave, waves=None if wave in ("all", PER_WAVE) else [wave])
    return written


class NetworkCounted(Message, bubble=False):
    """A worker's count for the settings ``args`` (scope, measure, wave)."""

    def __init__(self, args: tuple, network: NetworkDrawing) -> None:
        super().__init__()
        self.args, self.network = args, network


class NetworkFailed(Message, bubble=False):
    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class NetworkExported(Message, bubble=False):
    def __init__(self, written: list[Path]) -> None:
        super().__init__()
        self.written = written


class NetworkScreen(BaseScreen):
    """Which codes go together, how strongly, and at which wave."""

    BINDINGS = [
        Binding("s", "scope", "scope"),
        Binding("m", "measure", "measure"),
        Binding("w", "wave", "wave"),
        Binding("p", "picture", "picture/table"),
        Binding("e", "export", "export GraphML+PNG"),
        Binding("enter", "compare", "compare code A"),
    ]

    def __init__(self, export_folder: Path | None = None) -> None:
        super().__init__()
        self.scope, self.measure, self.wave = "overlap", "count", "all"
        self.export_folder = export_folder
        self.tables: Mapping[str, tuple[CooccurrencePair, ...]] = {}
        self.row_codes: list[tuple[str, str]] = []
        self.exported: list[Path] = []
        self.network: NetworkDrawing | None = None
        self.as_picture = True

    def compose(self) -> ComposeResult:
        yield Label("", id="network-title", classes="pane-title")
        yield VerticalScroll(id="pictures")
        yield DataTable(id="pairs", cursor_type="row", zebra_stripes=True)
        yield ProgressBar(id="network-progress", show_eta=False, show_percentage=False)
        yield Static("", id="network-help")
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#network-help", Static).update(Text(
            "s scope · m measure · w wave (all, each, per wave) · e export GraphML + PNG · "
            "p picture/table · Enter compare code A · ⚠ n×: one code n times as frequent as "
            "the other (over 5×, c is distorted)", "dim"))
        self._show_view()
        self.reload_shown()

    def _show_view(self) -> None:
        pictures, table = self.query_one("#pictures"), self.query_one("#pairs", DataTable)
        pictures.display, table.display = self.as_picture, not self.as_picture
        (pictures if self.as_picture else table).focus()

    def action_picture(self) -> None:
        """Switch between the picture of the network and the table of its pairs."""
        self.as_picture = not self.as_picture
        self._show_view()

    def _draw_pictures(self) -> None:
        """One picture per graph (per wave, or the one for the waves chosen)."""
        box = self.query_one("#pictures", VerticalScroll)
        box.remove_children()
        network = self.network
        graphs = network.graphs if network is not None else {}
        many = len(graphs) > 1
        pictures = []
        for label, graph in graphs.items():
            assert network is not None
            title = "all waves" if label == "all" else f"wave {label}"
            picture = NetworkPicture(title, graph, network.pos, max_frequency=network.max_frequency,
                                     max_weight=network.max_weight)
            if many:  # each wave a screenful, scrolled to in turn
                picture.styles.height = max(12, box.size.height or 20)
            pictures.append(picture)
        box.mount_all(pictures)

    def _waves(self) -> list[str]:
        return ["all", *(w.label for w in self.project.study.waves()), PER_WAVE]

    def _busy(self, on: bool) -> None:
        bar = self.query_one("#network-progress", ProgressBar)
        bar.display = on
        bar.update(total=None)

    def reload(self) -> None:
        self._busy(True)
        self.query_one("#network-title", Label).update(Text.assemble(
            ("Co-occurrence network", "bold"), f"  ·  {self._describe()}  ·  ", ("counting…", "yellow")))
        # Read here: the app's connection belongs to the main thread.
        self.count(self.project.path, self.project.coder, (self.scope, self.measure, self.wave))

    def _describe(self) -> str:
        wave = "all waves" if self.wave == "all" else plain(self.wave)
        return f"scope {self.scope} · measure {self.measure} · {wave}"

    @work(thread=True, exclusive=True, group="network")
    def count(self, path: Path, coder: str, args: tuple) -> None:
        """Count in this thread; the result goes to the screen as a message."""
        try:
            network = compute_network(path, coder, *args)
        except Exception as exc:  # shown, not raised: the screen stays usable
            self.post_message(NetworkFailed(str(exc)))
            return
        self.post_message(NetworkCounted(args, network))

    def on_network_counted(self, message: NetworkCounted) -> None:
        self._show(message.args, message.network.tables, message.network)

    def on_network_failed(self, message: NetworkFailed) -> None:
        self._failed(message.reason)

    def on_network_exported(self, message: NetworkExported) -> None:
        self._exported(message.written)

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.app.show_failure(message)

    def _show(self, args: tuple, tables: Mapping[str, tuple[CooccurrencePair, ...]],
              network: NetworkDrawing | None = None) -> None:
        if args != (self.scope, self.measure, self.wave):
            return  # the user changed a setting meanwhile; a newer count is on its way
        self._busy(False)
        self.tables = tables
        if network is not None:
            self.network = network
            self._draw_pictures()
        table = self.query_one("#pairs", DataTable)
        place = table.cursor_coordinate  # kept when counts are refreshed
        table.clear(columns=True)
        per_wave = self.wave == PER_WAVE
        weight = {"count": "count", "jaccard": "jaccard", "c": "c"}[self.measure]
        table.add_columns(*(["wave"] if per_wave else []), "#", "code A", "code B", "n A", "n B",
                          "count", "jaccard", "c", ">5×")
        self.row_codes = []
        total = 0
        for label, rows in tables.items():
            total += len(rows)
            for rank, r in enumerate(rows[:MAX_ROWS], 1):
                def num(key: str, value) -> Text:
                    style = "bold" if key == weight else ""
                    return Text(f"{value:.3f}" if isinstance(value, float) else str(value),
                                style, justify="right")
                flag = Text("")
                if r.freq_ratio_flag:
                    low, high = sorted((r.n1, r.n2))
                    flag = Text(f"⚠ {high / low:.0f}×", "bold yellow")
                table.add_row(*([Text(plain(label), "bold")] if per_wave else []),
                              Text(str(rank), "dim", justify="right"), Text(plain(r.code_a)),
                              Text(plain(r.code_b)),
                              Text(str(r.n1), justify="right"), Text(str(r.n2), justify="right"),
                              num("count", r.count), num("jaccard", r.jaccard), num("c", r.c),
                              flag)
                self.row_codes.append((r.code_a, r.code_b))
        if self.row_codes:
            table.move_cursor(row=min(place.row, len(self.row_codes) - 1), column=place.column)
        flagged = sum(r.freq_ratio_flag for rows in tables.values() for r in rows)
        shown = len(self.row_codes)
        self.query_one("#network-title", Label).update(Text.assemble(
            ("Co-occurrence network", "bold"), f"  ·  {self._describe()}  ·  ",
            (f"{total} pair{'' if total == 1 else 's'}"
             + (f", strongest {shown} shown" if shown < total else ""), "cyan"),
            (f"  ·  {flagged} flagged ⚠" if flagged else "", "yellow")))

    # --- settings ----------------------------------------------------------------------

    def action_scope(self) -> None:
        self.scope = SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)]
        self.reload_shown()

    def action_measure(self) -> None:
        self.measure = MEASURES[(MEASURES.index(self.measure) + 1) % len(MEASURES)]
        self.reload_shown()

    def action_wave(self) -> None:
        waves = self._waves()
        self.wave = waves[(waves.index(self.wave) + 1) % len(waves)] if self.wave in waves else "all"
        self.reload_shown()

    def action_compare(self) -> None:
        table = self.query_one("#pairs", DataTable)
        if self.row_codes:
            code_a, _ = self.row_codes[table.cursor_coordinate.row]
            self.app.open_comparison(code_a)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_compare()

    # --- export ------------------------------------------------------------------------

    def action_export(self) -> None:
        self._busy(True)
        self.notify("Writing GraphML and PNG…", timeout=2)
        self.export(self.project.path, self.project.coder, (self.scope, self.measure, self.wave),
                    self.export_folder or self.app.export_folder)

    @work(thread=True, exclusive=True, group="network-export")
    def export(self, path: Path, coder: str, args: tuple[str, str, str], folder: Path) -> None:
        try:
            written = export_network(path, coder, *args, folder)
        except Exception as exc:
            self.post_message(NetworkFailed(f"export failed: {exc}"))
            return
        self.post_message(NetworkExported(written))

    def _exported(self, written: list[Path]) -> None:
        self._busy(False)
        self.exported = written
        self.app.last_action = f"exported the network: {len(written)} files"
        self.app.update_status()
        self.notify("\n".join(plain(p) for p in written), title="Wrote", timeout=8, markup=False)
