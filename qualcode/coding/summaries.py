"""The summary grid (Framework charting): the analyst's own summary per participant x
wave x theme, and per case x wave x dimension.

A row is a participant (by id) or, with ``case=True``, a case: a site of the study (the
services of a multi-site evaluation). A theme is a code or category of the codebook by
name, or, with ``dimension=True``, a named dimension that is not a code: the descriptive
columns a Framework analyst charts for each case (provider, funding, referral routes).
Read along a row, the cells give a trajectory; read down a column, a comparison.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..context import Service
from ..errors import InputError, NotFoundError, QualcodeError
from ..input_files import read_regular_file
from ..records import Summary, SummaryGrid
from ..store import study as store_study
from ..store import summaries as store

#: The largest file a summary is read from (a summary is a paragraph or a few).
TEXT_FILE_LIMIT = 1_000_000

Cell = tuple[int | None, str | None, int, int | None, str | None]


def _label(row: str, wave: str, theme: str) -> str:
    return f"{row} at {wave} under {theme!r}"


class SummaryService(Service):
    """Summaries (``project.summaries``). Every change is one logged, undoable action."""

    # --- which cell ------------------------------------------------------------------

    def _cell(self, row: str, wave: str, theme: str, *, case: bool, dimension: bool) -> Cell:
        row = (row or "").strip()
        if case:
            if not row or not store.site_exists(self.db, row):
                known = ", ".join(store.sites(self.db)) or "none recorded"
                raise NotFoundError(f"no case {row!r}: cases are the participants' sites ({known})")
            participant_id, site = None, row
        else:
            participant_id = store_study.participant_id(self.db, row)
            if participant_id is None:
                raise NotFoundError(f"no participant {row!r}")
            site = None
        wave_id = store_study.wave_id(self.db, (wave or "").strip())
        if wave_id is None:
            raise NotFoundError(f"no wave {wave!r}")
        theme = " ".join((theme or "").split())
        if not theme:
            raise QualcodeError("theme is empty")
        if dimension:
            return participant_id, site, wave_id, None, theme
        code_id = store.live_code_id(self.db, theme)
        if code_id is None:
            raise NotFoundError(f"no code {theme!r} (a theme is a code or category of the codebook; "
                                "a named dimension of the case grid is given with --dimension)")
        return participant_id, site, wave_id, code_id, None

    def find(self, row: str, wave: str, theme: str, *, case: bool = False,
             dimension: bool = False) -> Summary | None:
        summary_id = store.find_summary(self.db, *self._cell(row, wave, theme, case=case, dimension=dimension))
        return store.summaries_by_ids(self.db, [summary_id])[0] if summary_id else None

    def get(self, row: str, wave: str, theme: str, *, case: bool = False, dimension: bool = False) -> Summary:
        summary = self.find(row, wave, theme, case=case, dimension=dimension)
        if summary is None:
            raise NotFoundError(f"no summary for {_label(row, wave, theme)}")
        return summary

    def by_id(self, summary_id: int) -> Summary:
        store.summary_exists(self.db, int(summary_id))
        return store.summaries_by_ids(self.db, [int(summary_id)])[0]

    # --- changes ---------------------------------------------------------------------

    def set(self, row: str, wave: str, theme: str, body: str, *, case: bool = False,
            dimension: bool = False, cite: Iterable[int] | None = None,
            author: str | None = None) -> Summary:
        """Write the summary of a cell (replacing its text). ``cite`` (coding ids), when
        given, becomes the cell's citations; when None they stay as they were."""
        cell = self._cell(row, wave, theme, case=case, dimension=dimension)
        if dimension and store.live_code_id(self.db, cell[4] or "") is not None:
            # One name, one column: a dimension named like a code would share its cells.
            raise QualcodeError(f"{theme!r} is a code of the codebook: chart under the code "
                                "(without --dimension), or give the dimension another name")
        body = (body or "").strip()
        if not body:
            raise QualcodeError(f"the summary for {_label(row, wave, theme)} is empty "
                                "(delete it with `summary delete` instead)")
        cited = None if cite is None else [int(i) for i in cite]
        if cited:
            missing = store.missing_codings(self.db, cited)
            if missing:
                raise NotFoundError(f"no coding with id {', '.join(map(str, missing))} to cite")
        existing = store.find_summary(self.db, *cell)
        verb = "rewrote" if existing else "wrote"
        with self.action("summary.set", f"{verb} the summary of {_label(row, wave, theme)}"):
            author_id = store_study.coder_id(self.db, author or self.coder)
            if existing:
                summary_id = existing
                store.update_summary(self.db, summary_id, body, author_id)
            else:
                summary_id = store.insert_summary(self.db, *cell, body, author_id)
            if cited is not None:
                store.replace_citations(self.db, summary_id, cited)
        return self.by_id(summary_id)

    def delete(self, row: str, wave: str, theme: str, *, case: bool = False, dimension: bool = False) -> None:
        summary = self.get(row, wave, theme, case=case, dimension=dimension)
        with self.action("summary.delete", f"deleted the summary of {_label(row, wave, theme)}"):
            store.delete_summary(self.db, summary.id)

    @staticmethod
    def read_text_file(path: str | Path) -> str:
        """The text of a file holding a summary (UTF-8), or the error naming the file."""
        data = read_regular_file(path, TEXT_FILE_LIMIT, "summary file")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(Path(path), f"is not UTF-8 text (byte {exc.start})") from None

    # --- reading ---------------------------------------------------------------------

    def all(self, *, participant: str | None = None, case: str | None = None, wave: str | None = None,
            theme: str | None = None, dimension: str | None = None,
            row_kind: str | None = None) -> list[Summary]:
        """Summaries, filtered; ordered by row, wave (in time), then codes before dimensions."""
        filters: dict[str, object] = {"row_kind": row_kind}
        if participant is not None:
            filters["participant_id"] = self._cell(participant, *self._any_wave_theme(), case=False,
                                                   dimension=True)[0]
        if case is not None:
            self._cell(case, *self._any_wave_theme(), case=True, dimension=True)
            filters["site"] = case
        if wave is not None:
            wave_id = store_study.wave_id(self.db, wave)
            if wave_id is None:
                raise NotFoundError(f"no wave {wave!r}")
            filters["wave_id"] = wave_id
        if theme is not None:
            code_id = store.live_code_id(self.db, theme)
            if code_id is None:
                raise NotFoundError(f"no code {theme!r}")
            filters["code_id"] = code_id
        if dimension is not None:
            filters["dimension"] = dimension
        return store.summaries_by_ids(self.db, store.summary_ids(self.db, **filters))  # type: ignore[arg-type]

    def _any_wave_theme(self) -> tuple[str, str]:
        """A wave and a dimension that pass the checks, to check a row on its own."""
        waves = store_study.wave_labels(self.db)
        if not waves:
            raise NotFoundError("the study has no waves yet")
        return next(iter(waves.values())), "-"

    def grid(self, *, cases: bool = False, rows: Iterable[str] | None = None,
             waves: Iterable[str] | None = None, themes: Iterable[str] | None = None,
             all_rows: bool = False) -> SummaryGrid:
        """The grid of participants (or cases) x waves x themes.

        Rows: those given, else those with a summary (every participant or case with
        ``all_rows``). Waves: those given, else those with a summary, in time order.
        Themes: those given, else those with a summary: codes in codebook order, then
        named dimensions in the order they were first written.
        """
        kind = "case" if cases else "participant"
        row_filter = [r.strip() for r in rows] if rows is not None else None
        for row in row_filter or []:
            self._cell(row, *self._any_wave_theme(), case=cases, dimension=True)
        wave_filter = list(waves) if waves is not None else None
        for wave in wave_filter or []:
            if store_study.wave_id(self.db, wave) is None:
                raise NotFoundError(f"no wave {wave!r}")
        theme_filter = [" ".join(t.split()) for t in themes] if themes is not None else None
        summaries = [s for s in self.all(row_kind=kind)
                     if (row_filter is None or s.row in row_filter)
                     and (wave_filter is None or s.wave in wave_filter)
                     and (theme_filter is None or s.theme in theme_filter)]
        wave_order = self._waves_in_time()
        used_waves = {s.wave for s in summaries}
        grid_waves = [w for w in wave_order if (w in wave_filter if wave_filter is not None else w in used_waves)]
        if row_filter is not None:
            grid_rows = row_filter
        elif all_rows:
            grid_rows = store.sites(self.db) if cases else self._pids()
        else:
            grid_rows = sorted({s.row for s in summaries})
        theme_order = store.codebook_order(self.db) + store.dimension_order(self.db)
        used_themes = {s.theme for s in summaries}
        if theme_filter is not None:
            grid_themes = theme_filter
        else:
            grid_themes = [t for t in dict.fromkeys(theme_order) if t in used_themes]
        return SummaryGrid(kind, tuple(grid_rows), tuple(grid_waves), tuple(grid_themes), tuple(summaries))

    def _waves_in_time(self) -> list[str]:
        return [w["label"] for w in store_study.list_waves(self.db)]

    def _pids(self) -> list[str]:
        return [p["pid"] for p in store_study.list_participants(self.db)]
