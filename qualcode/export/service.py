"""Export use cases: Word documents for supervisors and plain Markdown/CSV files.

``project.exports`` (:class:`ExportService`): every method only reads the project and
writes one file (or one file per participant),
by default into the ``exports/`` folder beside the project file. Exports name participants by
study id and pseudonym only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..context import ProjectContext, Service
from ..csv_writer import DEFAULT, CsvStyle
from ..errors import QualcodeError

if TYPE_CHECKING:
    from ..analysis.service import AnalysisService
    from ..coding.codebook import CodebookService
    from ..coding.memos import MemoService
    from ..coding.service import CodingService
    from ..coding.summaries import SummaryService
    from ..ingest.service import TranscriptService
    from ..records.analysis import NetworkDrawing, SaturationCurve
    from ..study.service import StudyService

FORMATS = ("docx", "md", "csv")


def _dc():
    """The document helpers, imported when an export runs: python-docx is not needed
    to start every other command."""
    from . import docx_common

    return docx_common

SUFFIX = {"docx": ".docx", "md": ".md", "csv": ".csv"}


def _names(value) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    names = [v.strip() for v in value if v and v.strip()]
    return names or None


def _suffix(output, known, default: str) -> str:
    """The format an output file's suffix names, else ``default`` (the file check then
    says what suffix it needs)."""
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in known else default


class ExportService(Service):
    """Theme summary, codebook, framework matrix, pen portraits, methods appendix,
    coded segments. The document builders read the project through the services this
    one is built on (``study``, ``codebook``, ``coding``, ``memos``, ``analysis``)."""

    def __init__(self, ctx: ProjectContext, study: Callable[[], StudyService],
                 transcripts: Callable[[], TranscriptService],
                 codebook: Callable[[], CodebookService], coding: Callable[[], CodingService],
                 memos: Callable[[], MemoService], analysis: Callable[[], AnalysisService]) -> None:
        # The services come as callables that give them: each is built (and its modules
        # imported) only when an export reads it, so that a quick export such as the
        # co-occurrence edge list does not pay for the document builders' services.
        super().__init__(ctx)
        self._study, self._transcripts, self._codebook = study, transcripts, codebook
        self._coding, self._memos, self._analysis = coding, memos, analysis

    @property
    def study(self) -> StudyService:
        return self._study()

    @property
    def transcripts(self) -> TranscriptService:
        return self._transcripts()

    @property
    def codebook(self) -> CodebookService:
        return self._codebook()

    @property
    def coding(self) -> CodingService:
        return self._coding()

    @property
    def memos(self) -> MemoService:
        return self._memos()

    @property
    def analysis(self) -> AnalysisService:
        return self._analysis()

    @functools.cached_property
    def summaries(self) -> SummaryService:
        """The summary grid (built here rather than passed in: only these exports read it)."""
        from ..coding.summaries import SummaryService

        return SummaryService(self.ctx)

    # --- where outputs go ---------------------------------------------------------------

    def default_folder(self) -> Path:
        """The ``exports/`` folder beside the project file (not made here)."""
        from ..output_folder import default_output_folder

        return default_output_folder(self.path)

    def make_folder(self, folder: Path | None = None) -> Path:
        """Make ``folder`` (default: :meth:`default_folder`) if it is missing."""
        from ..output_folder import make_output_folder

        return make_output_folder(folder or self.default_folder())

    def check_target(self, output: str | Path) -> Path:
        """Refuse an output file that must not be written (the project, a database...)
        before any work is done."""
        from .. import outputs

        return outputs.check_target(output)

    def write_text(self, output: str | Path, text: str, *, bom: bool = False) -> Path:
        from .. import outputs

        return outputs.write_text(output, text, bom=bom)

    # --- tables, networks, charts ------------------------------------------------------

    def table_text(self, fmt: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
                   title: str | None = None, data: Any = None, csv_style: CsvStyle = DEFAULT,
                   for_file: bool = False) -> str:
        """A table as CSV, Markdown or JSON text (see :mod:`qualcode.export.table_text`)."""
        from .table_text import table_text

        return table_text(fmt, columns, rows, title=title, data=data, csv_style=csv_style,
                          for_file=for_file)

    def spreadsheet(self, output: str | Path,
                    sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]], *,
                    about: Sequence[str] = ()) -> Path:
        """Tables as the sheets of one .xlsx file, after an "about" sheet."""
        from .xlsx import write_xlsx

        return write_xlsx(output, sheets, about=about)

    def network(self, output: str | Path, *, scope: str = "overlap", measure: str = "count",
                minimum: float = 0, waves: Sequence[str] | None = None, per_wave: bool = False,
                coders: Sequence[str] | None = None, category: str | None = None,
                where: Sequence[str] | None = None, csv_style: CsvStyle = DEFAULT,
                by: str | None = None) -> list[Path]:
        """The co-occurrence network as .graphml, .gexf, .json (node-link), .csv (edge
        list) or .png; with ``per_wave`` one file per wave, or with ``by`` one per value of
        an attribute, one layout. The files written."""
        from .network import check_network_file, write_network

        check_network_file(output)
        results = self.analysis.cooccurrence_by_label(scope=scope, waves=waves, per_wave=per_wave,
                                                      coders=coders, category=category, where=where,
                                                      by=by)
        order = {w.label: w.ordinal for w in self.study.waves()} if per_wave else None
        return write_network(results, output, scope=scope, measure=measure, minimum=minimum,
                             per_wave=per_wave or bool(by), order=order, csv_style=csv_style)

    def network_drawing(self, *, scope: str = "overlap", measure: str = "count", minimum: float = 0,
                        waves: Sequence[str] | None = None, per_wave: bool = False) -> NetworkDrawing:
        """The co-occurrence network(s) ready to draw as the PNG export draws them: the
        graphs, their shared layout and size scales, and the pairs as table rows (see
        :class:`qualcode.records.analysis.NetworkDrawing`)."""
        from .network import network_drawing

        results = self.analysis.cooccurrence_by_label(scope=scope, waves=waves, per_wave=per_wave)
        return network_drawing(results, measure=measure, minimum=minimum)

    def saturation_chart(self, output: str | Path, curves: Mapping[str, SaturationCurve]) -> Path:
        """Saturation curves (as :meth:`AnalysisService.saturation` gives them) as a PNG."""
        from .charts import write_saturation_png

        return write_saturation_png(curves, Path(output), self.title)

    # --- documents ----------------------------------------------------------------------

    def _export_name(self, kind: str, suffix: str) -> Path:
        """Where an export goes without ``output``: ``<project>-<kind><suffix>`` in the
        ``exports/`` folder beside the project file."""
        from ..output_folder import default_output_folder

        return default_output_folder(self.path) / f"{Path(self.path).stem}-{kind}{suffix}"

    def themes(self, output: str | Path | None = None, *, themes=None,
                      category: str | None = None, wave: str | None = None, quotes: int = 5,
                      order: str = "codebook", coder: str | None = None,
                      format: str | None = None, csv_style: CsvStyle = DEFAULT,
                      where: Sequence[str] | None = None, by: str = "role") -> Path:
        """The theme summary as .docx, .md or .csv (one row per chosen quote); the format
        is ``format`` or else the output file's suffix. ``csv_style``: see
        :mod:`qualcode.csv_writer`. ``where``: filters in the shared language (people,
        waves, and coders or speakers of the passages); ``by``: prevalence and change by
        role (the default) or by an attribute's values."""
        from .themes import build_summary

        fmt = format or _suffix(output, FORMATS, "docx")
        if fmt not in FORMATS:
            raise QualcodeError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
        path = _dc().output_file(output, self._export_name("themes", SUFFIX[fmt]), (SUFFIX[fmt],))
        summary = build_summary(self, themes=_names(themes), category=category, wave=wave,
                                quotes=quotes, order=order, coder=coder, where=where, by=by)
        if fmt == "docx":
            from .docx_theme import write_theme_summary

            return write_theme_summary(summary, path)
        from . import text_exports

        if fmt == "md":
            return _dc().write_text(path, text_exports.theme_summary_markdown(summary))
        return _dc().write_text(path, text_exports.theme_summary_csv(summary, csv_style),
                                bom=csv_style.bom)

    def codebook_document(self, output: str | Path | None = None) -> Path:
        """The codebook as a Word document, or (``.xlsx``) as one table with its
        passage counts."""
        from .docx_codebook import write_codebook

        path = _dc().output_file(output, self._export_name("codebook", ".docx"), (".docx", ".xlsx"))
        if path.suffix.lower() == ".xlsx":
            from .docx_codebook import COUNT_RULE, count_passages
            from .tables import codebook_table
            from .xlsx import write_xlsx

            tree = self.codebook.tree()
            if not tree:
                raise QualcodeError("nothing to export: the codebook is empty")
            counted = count_passages(self, tree)
            return write_xlsx(path, [("Codebook", *codebook_table(self, tree, counted))],
                              about=[f"Codebook: {self.title}", COUNT_RULE,
                                     "passages: the code and everything under it; "
                                     "passages (own): the code's own codings."])
        return write_codebook(self, path)

    def matrix(self, output: str | Path | None = None, *, by: str = "wave",
                      cases: str = "participant", content: str = "text",
                      level: str = "category", themes=None, category: str | None = None,
                      coder: str | None = None, max_chars: int = 300,
                      waves: Sequence[str] | None = None, where: Sequence[str] | None = None) -> Path:
        """The framework matrix: cases x themes, one landscape table per wave
        (``by='wave'``) or one table whose rows are each case at each time point
        (``by='case'``, the shape of a case-study comparison table)."""
        from .docx_matrix import write_matrix

        path = _dc().output_file(output, self._export_name("matrix", ".docx"), (".docx",))
        return write_matrix(self, path, by=by, cases=cases, content=content, level=level,
                            themes=_names(themes), category=category, coder=coder,
                            max_chars=max_chars, waves=_names(waves), where=where)

    def portraits(self, output: str | Path | None = None, *, participants=None,
                         role: str | None = None, quotes: int = 3,
                         where: Sequence[str] | None = None) -> list[Path]:
        """Pen portraits: one .docx, or one file per participant when ``output`` is a
        folder (an existing one, or a path without a suffix or ending in a separator,
        which must exist)."""
        from .docx_portraits import write_portraits

        if output is not None and (Path(output).is_dir() or str(output).endswith(("/", "\\"))
                                   or not Path(output).suffix):
            folder = _dc().check_folder(Path(output))
            return write_portraits(self, folder, per_participant=True,
                                   participants=_names(participants), role=role, quotes=quotes,
                                   where=where)
        path = _dc().output_file(output, self._export_name("portraits", ".docx"), (".docx",))
        return write_portraits(self, path, per_participant=False,
                               participants=_names(participants), role=role, quotes=quotes,
                               where=where)

    def methods(self, output: str | Path | None = None) -> Path:
        from .docx_methods import write_methods

        path = _dc().output_file(output, self._export_name("methods", ".docx"), (".docx",))
        return write_methods(self, path)

    def segments(self, output: str | Path | None = None, *, codes=None,
                        include_subcodes: bool = True, wave: str | None = None,
                        coder: str | None = None, format: str | None = None,
                        csv_style: CsvStyle = DEFAULT, where: Sequence[str] | None = None) -> Path:
        """Every coded segment (or those of ``codes``) as CSV, a spreadsheet or
        Markdown; the tables carry the speaker's attributes. ``csv_style``: see
        :mod:`qualcode.csv_writer`."""
        from . import text_exports
        from .tables import segment_table

        fmt = format or _suffix(output, ("csv", "md", "xlsx"), "csv")
        if fmt not in ("csv", "md", "xlsx"):
            raise QualcodeError(f"segments are exported as csv, xlsx or md, not {fmt!r}")
        suffix = ".xlsx" if fmt == "xlsx" else SUFFIX[fmt]
        path = _dc().output_file(output, self._export_name("segments", suffix), (suffix,))
        rows = text_exports.collect_segments(self, codes=_names(codes),
                                             include_subcodes=include_subcodes,
                                             wave=wave, coder=coder, where=where)
        if fmt == "xlsx":
            from .xlsx import write_xlsx

            return write_xlsx(path, [("Segments", *segment_table(self, rows))], about=[
                f"Coded segments: {self.title}", "One row per coding; codings of one code that "
                "overlap share a passage number (they are one coded passage).",
                "attr: fixed attributes of the participant; wave: attributes at the segment's wave."])
        if fmt == "md":
            return _dc().write_text(path, text_exports.segments_markdown(self, rows))
        return _dc().write_text(path, text_exports.table_csv(*segment_table(self, rows), style=csv_style),
                                bom=csv_style.bom)

    def summary_grid(self, output: str | Path | None = None, *, case_role: str | None = None) -> Path:
        """The summary grid as .docx (cases across time points in the shape of a
        case-study comparison table, then each participant's trajectory) or .xlsx.
        ``case_role``: the role whose time points label the cases' rows."""
        from .docx_summaries import write_summary_document, write_summary_spreadsheet

        path = _dc().output_file(output, self._export_name("summaries", ".docx"), (".docx", ".xlsx"))
        if case_role is not None and case_role not in {p.role for p in self.study.participants()}:
            raise QualcodeError(f"no participant has the role {case_role!r}")
        if path.suffix.lower() == ".xlsx":
            return write_summary_spreadsheet(self, path, case_role=case_role)
        return write_summary_document(self, path, case_role=case_role)

    # --- pictures -----------------------------------------------------------------------

    def heatmap_data(self, code: str, *, measure: str = "count",
                     role: str | None = None) -> tuple[list[str], list[str], dict[tuple[str, str], Any]]:
        """(participants, waves, {(participant, wave): value or None for no data}) of one
        code, or of one theme (a category, its codes' passages merged); participants
        with no data at any wave are left out."""
        if measure not in ("count", "chars", "presence"):
            raise QualcodeError(f"measure {measure!r} is not one of count, chars, presence")
        found = {c.name: c for c in self.codebook.codes()}.get(code)
        if found is None:
            raise QualcodeError(f"no code {code!r}")
        roles = {p.pid: p.role for p in self.study.participants()}
        if role is not None and role not in roles.values():
            raise QualcodeError(f"no participant has the role {role!r}")
        if found.is_category:
            matrix = self.analysis.matrix(by="participant", measure=measure, category=code, level="category")
        else:
            matrix = self.analysis.matrix(by="participant", measure=measure, codes=[code])
        values: dict[tuple[str, str], Any] = {}
        for row in matrix.rows:
            pid, wave = row.labels
            if role is None or roles.get(pid) == role:
                values[(pid, wave)] = row.values[0]
        people = [pid for pid in dict.fromkeys(p for p, _w in values)
                  if any(v is not None for (p, _w), v in values.items() if p == pid)]
        return people, [w.label for w in self.study.waves()], values

    def heatmap_picture(self, code: str, output: str | Path | None = None, *, measure: str = "count",
                        role: str | None = None) -> Path:
        """:meth:`heatmap_data` drawn as a .png or .svg heat map; waves without data
        hatched, never 0."""
        from .pictures import SUFFIXES, draw_heatmap

        people, waves, values = self.heatmap_data(code, measure=measure, role=role)
        path = _dc().output_file(output, self._export_name(f"heatmap-{code}", ".png"), SUFFIXES)
        kind = "theme" if any(c.name == code and c.is_category for c in self.codebook.codes()) else "code"
        return draw_heatmap(path, title=f"{code} ({kind}): {measure} by participant and wave",
                            people=people, waves=waves, values=values, measure=measure)

    def timeline_data(self, participant: str, *, measure: str = "count"
                      ) -> tuple[list[str], list[str], dict[tuple[str, str], int], dict[str, str]]:
        """(codes coded for the participant in codebook order, waves, {(code, wave):
        amount}, {wave without data: why})."""
        if measure not in ("count", "chars"):
            raise QualcodeError(f"measure {measure!r} is not one of count, chars")
        if participant not in {p.pid for p in self.study.participants()}:
            raise QualcodeError(f"no participant {participant!r}")
        matrix = self.analysis.matrix(by="participant", measure=measure)
        values: dict[tuple[str, str], int] = {}
        missing: dict[str, str] = {}
        for row in matrix.rows:
            pid, wave = row.labels
            if pid != participant:
                continue
            if all(v is None for v in row.values):
                missing[wave] = (row.status or "no data").replace("_", " ")
            for code, value in zip(matrix.columns, row.values):
                if value:
                    values[(code, wave)] = int(value)  # count or chars: whole numbers
        codes = [c for c in matrix.columns if any(k == c for k, _w in values)]
        return codes, [w.label for w in self.study.waves()], values, missing

    def timeline_picture(self, participant: str, output: str | Path | None = None, *,
                         measure: str = "count") -> Path:
        """:meth:`timeline_data` drawn as a .png or .svg timeline."""
        from .pictures import SUFFIXES, draw_timeline

        codes, waves, values, missing = self.timeline_data(participant, measure=measure)
        path = _dc().output_file(output, self._export_name(f"timeline-{participant}", ".png"), SUFFIXES)
        person = next(p for p in self.study.participants() if p.pid == participant)
        who = f"{participant} ({person.pseudonym})" if person.pseudonym else participant
        return draw_timeline(path, title=f"{who}: codes across the waves", codes=codes, waves=waves,
                             values=values, missing=missing, measure=measure)
