"""Analysis (``project.analysis``): read-only, no actions."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..context import Service
from ..errors import QualcodeError
from ..records.analysis import (
    AttendanceGrid,
    ChangeReport,
    CooccurrencePair,
    FrameworkMatrix,
    Matrix,
    PassageCounts,
    SampleDescription,
    Saturation,
    TranscriptPerson,
    WaveComparison,
)
from . import change as _change
from . import cooccurrence as _cooc
from . import cube as _cube
from . import describe as _describe
from . import filters as _filters
from . import passages as _passages
from . import saturation as _saturation


class AnalysisService(Service):
    """Participant x wave x code cube, change over time, wave comparison, saturation,
    co-occurrence networks, attendance and the sample description."""

    def cube(self, *, coders: Sequence[str] | None = None,
             waves: Sequence[str] | None = None) -> _cube.Cube:
        return _cube.load_cube(self.db, coders=coders, waves=waves)

    def matrix(self, *, by: str = "participant", measure: str = "count", codes=None,
               category: str | None = None, level: str = "code", coders=None,
               waves: Sequence[str] | None = None,
               where: Sequence[str] | None = None) -> Matrix:
        """``by``: participant, wave, role, site or an attribute (fixed or per wave);
        ``where``: filters in the shared language (people and waves)."""
        bound = _filters.bind(self.db, where, analysis="matrix", codings=False)
        cube = _filters.restrict(self.cube(coders=coders, waves=waves), bound)
        return _cube.matrix(cube, by=by, measure=measure, codes=codes, category=category, level=level,
                            grouping=_filters.grouping(self.db, by))

    def framework_matrix(self, *, by: str = "participant", content: str = "text", codes=None,
                         category: str | None = None, level: str = "code",
                         max_chars: int = 300, coders=None,
                         waves: Sequence[str] | None = None,
                         where: Sequence[str] | None = None) -> FrameworkMatrix:
        bound = _filters.bind(self.db, where, analysis="the framework matrix", codings=False)
        cube = _filters.restrict(self.cube(coders=coders, waves=waves), bound)
        return _cube.framework(self.db, cube, by=by, content=content,
                               codes=codes, category=category, level=level,
                               max_chars=max_chars, coders=coders,
                               grouping=_filters.grouping(self.db, by))

    def change_report(self, *, codes=None, participants=None, measure: str = "count",
                      coders=None, roles: Sequence[str] | None = None,
                      where: Sequence[str] | None = None, by: str | None = None) -> ChangeReport:
        """Change-over-time labels (see :mod:`qualcode.analysis.change`). ``roles``: only
        participants with one of these roles, the sample's shares taken among them;
        ``where``: filters in the shared language (people and waves), likewise. ``by``:
        an attribute (fixed, or named at a wave); ``groups`` then holds, for each of its
        values in type order, the report of the participants with that value."""
        cube = self.cube(coders=coders)  # read once; each group is a restriction of it
        if roles:
            wanted = set(roles)
            cube = cube.restrict(lambda person, _wave: person.get("role") in wanted)

        def report_of(conditions: Sequence[str] | None) -> ChangeReport:
            bound = _filters.bind(self.db, conditions, analysis="change", codings=False)
            return _change.change_report(_filters.restrict(cube, bound), codes=codes,
                                         participants=participants, measure=measure)

        report = report_of(where)
        if by:
            report = dataclasses.replace(report, groups={
                f"{by}={_filters.shown(value)}": report_of(
                    [*(where or []), _filters.group_condition(by, value)])
                for value in _filters.group_values(self.db, by, per_person=True)})
        return report

    def compare_waves(self, wave_a: str, wave_b: str, *, codes=None, coders=None) -> WaveComparison:
        return _change.compare_waves(self.cube(coders=coders), wave_a, wave_b, codes=codes)

    def saturation(self, *, by_wave: bool = False, k: int = 3, coders=None,
                   order: str = "interview", by_role: bool = False,
                   where: Sequence[str] | None = None, by: str | None = None) -> Saturation:
        """Saturation curves (see :mod:`qualcode.analysis.saturation`). ``where``: only
        the transcripts of the participants and waves the filters keep; ``by``: one
        curve per value of an attribute of the transcript's participant at its wave."""
        bound = _filters.bind(self.db, where, analysis="saturation", codings=False)
        people = _filters.participant_ids(self.db) if bound is not None or by else {}
        keep = group = None
        if bound is not None:
            def keep(t: dict) -> bool:
                return bound.matches(people.get(t["participant_id"]), t["wave"])
        if by:
            grouping = _filters.grouping(self.db, by)
            if grouping is None:
                raise QualcodeError(f"saturation --by {by!r}: give an attribute (--by-wave and "
                                    "--by-role give the waves and roles)")
            value_at = grouping.value_of

            def value_of(t: dict):
                pid = people.get(t["participant_id"])
                return None if pid is None else value_at(pid, t["wave"])
            group = (by, value_of, grouping.sort_key)
        return _saturation.saturation(self.db, by_wave=by_wave, k=k, coders=coders, order=order,
                                      by_role=by_role, keep=keep, group=group, shown=_filters.shown)

    def cooccurrence(self, *, scope: str = "overlap", waves=None, coders=None,
                     category: str | None = None, codes=None,
                     where: Sequence[str] | None = None, per_wave: bool = False):
        return _cooc.cooccurrence(self.db, scope=scope, waves=waves, coders=coders,
                                  category=category, codes=codes,
                                  where=list(where) if where else None, per_wave=per_wave)

    def cooccurrence_tables(self, *, scope: str = "overlap", measure: str = "count",
                            minimum: float = 0, waves: Sequence[str] | None = None,
                            per_wave: bool = False, coders: Sequence[str] | None = None,
                            category: str | None = None,
                            where: Sequence[str] | None = None,
                            by: str | None = None) -> dict[str, tuple[CooccurrencePair, ...]]:
        """The co-occurring pairs as table rows (see
        :func:`qualcode.analysis.cooccurrence.table`): one network named by its waves
        ("all" for every wave), or with ``per_wave`` one per wave, or with ``by`` one per
        value of an attribute."""
        results = self.cooccurrence_by_label(scope=scope, waves=waves, per_wave=per_wave, coders=coders,
                                             category=category, where=where, by=by)
        return {label: _cooc.table(r, measure=measure, minimum=minimum) for label, r in results.items()}

    def cooccurrence_by_label(self, *, scope: str = "overlap", waves: Sequence[str] | None = None,
                              per_wave: bool = False, coders: Sequence[str] | None = None,
                              category: str | None = None,
                              where: Sequence[str] | None = None,
                              by: str | None = None) -> dict[str, _cooc.Cooccurrence]:
        """{label: co-occurrence}: one network named by its waves, one per wave, or with
        ``by`` (an attribute) one per value, each the network of the codings whose
        participant has that value at the coding's wave (labels ``age=29``)."""
        if by:
            if per_wave:
                raise QualcodeError("give --per-wave or --by, not both")
            return {f"{by}={_filters.shown(value)}": self.cooccurrence(
                        scope=scope, waves=list(waves) if waves else None,
                        coders=list(coders) if coders else None, category=category,
                        where=[*(where or []), _filters.group_condition(by, value)])
                    for value in _filters.group_values(self.db, by)}
        result = self.cooccurrence(scope=scope, waves=list(waves) if waves else None,
                                   coders=list(coders) if coders else None, category=category,
                                   where=where, per_wave=per_wave)
        if per_wave:
            return dict(result)
        return {",".join(waves) if waves else "all": result}

    def passage_counts(self, *, coders: Sequence[str] | None = None) -> dict[str, PassageCounts]:
        """Coded passages of every code (by name) by wave label (see
        :mod:`qualcode.analysis.passages`), its own and with everything under it."""
        from ..store import analysis as _store

        coder_ids = _store.coder_ids(self.db, coders) if coders else None
        if coders and not coder_ids:
            from ..errors import QualcodeError

            raise QualcodeError(f"no coder named {', '.join(coders)}")
        names = {c["id"]: c["name"] for c in _store.all_codes(self.db)}
        return {names[k]: PassageCounts(v["own"], v["inclusive"])
                for k, v in _passages.code_counts(self.db, coder_ids=coder_ids).items()}

    def attendance_grid(self) -> AttendanceGrid:
        return _describe.attendance_grid(self.cube())

    def describe_sample(self, *, by: str | None = None) -> SampleDescription:
        from .where import bind_where

        typed = bind_where(None, self.db)  # values in the order of their declared types
        return _describe.describe(self.cube(), by=by, order=typed.sort_key)

    def transcript_people(self) -> list[TranscriptPerson]:
        """Who took part in which transcript: one row per (transcript, participant),
        the transcript's own participant and every mapped speaker who is not an
        interviewer (so focus-group members too): transcript, wave, kind, participant."""
        from ..store import exports as _store_exports

        return [TranscriptPerson(name, wave, kind, pid)
                for name, wave, kind, pid in _store_exports.transcript_people(self.db)]
