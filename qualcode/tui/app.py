"""The qualcode terminal app: ``make_app(path)`` builds it for the CLI and the tests.

Connections (see docs/architecture.md): the app owns one open
:class:`~qualcode.project.Project`, used on the main thread only, for every write and
every small read. A thread worker that reads a lot (a long transcript, co-occurrence
counts) opens its own read-only connection with ``Project.open_reader``, which neither
checks, migrates nor backs up the file. Screens call the core, never SQL.

Failure shows, never hides: a database error is shown on the status line and in a
notification and the user stays where they were; anything else is a bug, and the app
exits non-zero with the traceback printed once the terminal is restored.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..errors import QualcodeError, is_busy_error
from ..project import Project
from .live import ChangeWatcher, ProjectChanged
from .presence import PresenceKeeper
from .shown import counted, markup, plain


class QualcodeCommands(Provider):
    """Command palette: every action, code, participant and transcript."""

    async def startup(self) -> None:
        app = self.app
        assert isinstance(app, QualcodeApp)
        project = app.project
        entries: list[tuple[str, Callable[[], object], str]] = [
            (f"Go: {label}", partial(app.run_action, action), help_)
            for label, action, help_ in app.PALETTE_ACTIONS
        ]
        # The palette reads labels and help as markup: project data goes in escaped.
        for code in project.codebook.codes():
            entries.append((f"Code: {markup(code.name)}", partial(app.open_codebook, code.name),
                            "show in the codebook"))
            if code.codings:
                entries.append((f"Compare: {markup(code.name)}",
                                partial(app.open_comparison, code.name),
                                f"{counted(code.codings, 'segment')} side by side"))
        for person in project.study.participants():
            entries.append((f"Participant: {markup(person.pid)} {markup(person.pseudonym or '')}".rstrip(),
                            partial(app.open_participant, person.pid),
                            markup(f"{person.role or ''} {person.site or ''}".strip())))
        for t in project.transcripts.all():
            entries.append((f"Transcript: {markup(t.name)}", partial(app.open_transcript, t.name),
                            f"{t.kind}, {counted(t.codings, 'coding')}"))
        self.entries = entries

    async def discover(self) -> Hits:
        for label, callback, help_ in self.entries:
            if label.startswith("Go: "):
                yield DiscoveryHit(label, callback, help=help_)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_ in self.entries:
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_)


class QualcodeApp(App):
    """Keyboard-first qualitative coding."""

    # Package data, as an absolute path (subclasses live elsewhere): on an installed (unzipped)
    # package files() is a real path, which `textual run --dev` can watch for live editing.
    CSS_PATH = Path(str(resources.files(__package__) / "qualcode.tcss"))
    TITLE = "qualcode"
    COMMANDS = App.COMMANDS | {QualcodeCommands}
    # Screens lay themselves out by width (see qualcode.tcss): at 80 columns the
    # transcript gets the room and side panes fold away or go below.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-medium"), (160, "-wide")]
    BINDINGS = [
        Binding("question_mark,f1", "help", "help"),
        Binding("f2", "home", "home"),
        Binding("f3", "codebook", "codebook"),
        Binding("f4", "compare", "compare"),
        Binding("f5", "memos", "memos"),
        Binding("f6", "matrix", "matrix"),
        Binding("f7", "network", "network"),
        Binding("u", "undo", "undo"),
        Binding("ctrl+r", "redo", "redo"),
        Binding("ctrl+q", "quit", "quit", show=False),
    ]
    PALETTE_ACTIONS = [
        ("Study home", "home", "the participant x wave grid"),
        ("Codebook", "codebook", "add, rename, merge, split, delete codes"),
        ("Constant comparison", "compare", "a code's segments side by side"),
        ("Memos", "memos", "every memo, filtered, editable"),
        ("Matrix and change", "matrix", "participant x wave x code matrix, change over time"),
        ("Co-occurrence network", "network", "strongest code pairs; export GraphML and PNG"),
        ("Query and search", "query", "code queries, text in every transcript, memos"),
        ("Undo", "undo", "undo the last action"),
        ("Redo", "redo", "redo what was undone"),
        ("Help", "help", "every key"),
        ("Quit", "quit", "leave qualcode (everything is saved)"),
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.last_action = ""
        self.last_error = ""  # a failure to show on the status line until the next save
        # Bumped by every change, saved here or seen from outside; screens compare on resume.
        self.generation = 0
        self.saves = 0  # bumped by this app's own saves only
        self._export_folder: Path | None = None
        self.watcher = ChangeWatcher(self)
        self.presence = PresenceKeeper(self)

    @property
    def export_folder(self) -> Path:
        """Where the screens write exports: the folder set for this session, else the
        ``exports/`` folder beside the project file (made when something is written)."""
        return self._export_folder or self.project.exports.default_folder()

    @export_folder.setter
    def export_folder(self, folder: Path | None) -> None:
        self._export_folder = folder

    def on_mount(self) -> None:
        from .screens.home import HomeScreen

        self.push_screen(HomeScreen())
        self.watcher.start()
        self.presence.start()
        self.call_after_refresh(self._warm_up)

    def _warm_up(self) -> None:
        """Import the coding screen once home is on screen, while the user reads it:
        the first transcript then opens without paying for the imports."""
        from .screens import coding  # noqa: F401

    def on_unmount(self) -> None:
        self.presence.stop()
        self.project.close()

    # --- changes and failures ----------------------------------------------------------

    def saved_here(self, summary: str) -> None:
        """This app saved a change: say so on the status line."""
        self.last_action = plain(summary)
        self.last_error = ""
        self.generation += 1
        self.saves += 1
        self.update_status()

    def outside_change(self, version: int) -> None:
        """Another program changed the project: the screen in view re-reads it."""
        from .screens.base import BaseScreen

        self.generation += 1
        for screen in reversed(self.screen_stack):
            if isinstance(screen, BaseScreen):
                screen.post_message(ProjectChanged(version))
                break

    def show_failure(self, message: str) -> None:
        """A failure the user must see: on the status line and in a notification."""
        message = plain(message)
        if message != self.last_error:
            self.notify(message, severity="error", title="Not done", timeout=10, markup=False)
        self.last_error = message
        self.update_status()

    def database_failure(self, what: str, exc: sqlite3.Error) -> None:
        """``what`` failed on a database error: say so in words a user can act on."""
        if is_busy_error(exc):
            reason = "the project was busy in another program for too long; try again"
        else:
            reason = f"database error: {exc}"
        self.show_failure(f"{what}: {reason}")

    def update_status(self) -> None:
        """The status line of the screen in view (others update when they come back)."""
        from .widgets.status_line import StatusLine

        for line in self.screen.query(StatusLine):
            line.update_status()

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Every key's action: a refusal or a database error is shown and the user keeps
        their place (Textual would otherwise end the app)."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except QualcodeError as exc:
            self.notify(plain(exc), severity="warning", markup=False)
        except sqlite3.Error as exc:
            self.database_failure(f"{str(action).split('(')[0]} not done", exc)
        return True

    # --- navigation --------------------------------------------------------------------

    def _home_on_top(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_home(self) -> None:
        self._home_on_top()

    def action_codebook(self) -> None:
        self.open_codebook(None)

    def action_compare(self) -> None:
        self.open_comparison(None)

    def action_memos(self) -> None:
        from .screens.memos import MemosScreen

        if not isinstance(self.screen, MemosScreen):
            self.push_screen(MemosScreen())

    def action_matrix(self) -> None:
        from .screens.matrix import MatrixScreen

        if not isinstance(self.screen, MatrixScreen):
            self.push_screen(MatrixScreen())

    def action_network(self) -> None:
        from .screens.network import NetworkScreen

        if not isinstance(self.screen, NetworkScreen):
            self.push_screen(NetworkScreen())

    def action_query(self) -> None:
        """The query screen; back to the one already open (with its results) if any."""
        from .screens.query import QueryScreen

        if any(isinstance(screen, QueryScreen) for screen in self.screen_stack):
            while not isinstance(self.screen, QueryScreen):
                self.pop_screen()
        else:
            self.push_screen(QueryScreen())

    def open_memo(self, memo_id: int) -> None:
        """The memos screen with this memo chosen."""
        from .screens.memos import MemosScreen

        screen = MemosScreen()
        screen.current = self.project.memos.get(memo_id)
        self.push_screen(screen)

    def open_transcript(self, name: str, span: tuple[int, int] | None = None) -> None:
        from .screens.coding import CodingScreen

        screen = CodingScreen(name, span=span)
        screen.start_reading(self)
        self.push_screen(screen)

    def open_codebook(self, code: str | None) -> None:
        from .screens.codebook import CodebookScreen

        if isinstance(self.screen, CodebookScreen):
            self.screen.select(code)
        else:
            self.push_screen(CodebookScreen(code))

    def open_comparison(self, code: str | None, **filters: str | None) -> None:
        """The comparison screen for a code, optionally only for a participant, wave,
        role or site (keyword filters)."""
        from .screens.comparison import ComparisonScreen

        self.push_screen(ComparisonScreen(code, **filters))

    def open_participant(self, pid: str) -> None:
        from .screens.participant import ParticipantScreen

        self.push_screen(ParticipantScreen(pid))

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # --- undo / redo -------------------------------------------------------------------

    def action_undo(self) -> None:
        self._history(self.project.undo, "undid")

    def action_redo(self) -> None:
        self._history(self.project.redo, "redid")

    def _history(self, step, verb: str) -> None:
        try:
            event = step()
        except QualcodeError as exc:
            self.notify(plain(exc), severity="warning", markup=False)
            return
        self.saved_here(f"{verb}: {plain(event.summary)}")
        from .screens.base import BaseScreen

        if isinstance(self.screen, BaseScreen):
            self.screen.seen_generation = self.generation
        self.notify(self.last_action, timeout=2, markup=False)
        reload = getattr(self.screen, "reload_shown", None)
        if reload:
            reload()


def make_app(path: str | Path, coder: str | None = None) -> QualcodeApp:
    """Open the project and build the app (shared by the CLI and the tests)."""
    project = Project.open(path)
    if coder:
        project.coder = coder
    # The codebook service (and the YAML library under it) is loaded now, with the app,
    # rather than by the worker that reads the first transcript opened: there its ~25 ms
    # of imports came before the text could be painted.
    _ = project.codebook
    # Long-lived objects (the project, later the transcript rows) should not be walked
    # by every full garbage collection: those are the p95 frame spikes.
    gc.collect()
    gc.freeze()
    return QualcodeApp(project)
