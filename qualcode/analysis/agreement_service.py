"""Inter-coder agreement and blind coding (``project.agreement``).

The figures are computed by the pure functions of :mod:`qualcode.analysis.agreement`
(whose docstring, and ``docs/agreement.md``, define units and chance agreement); this
module resolves names, runs the one bulk query and puts names and text back in.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..context import Service
from ..errors import QualcodeError
from ..records.analysis import AgreementReport, BlindCopy, CodeAgreement, Disagreement
from ..store import agreement as store_agreement
from ..store import codes as store_codes
from . import agreement as calc


def _inputs(project, coders: Sequence[str], code: str | None, category: str | None,
            transcripts: Sequence[str] | None, unit: str, min_overlap: float):
    coders = [c.strip() for c in coders if c and c.strip()]
    if len(coders) < 2:
        raise QualcodeError(
            f"agreement needs at least two coders (got {len(coders)}): use --coders A B"
        )
    if len(set(coders)) != len(coders):
        raise QualcodeError("a coder is named twice in --coders")
    if unit not in calc.UNITS:
        raise QualcodeError(f"unit {unit!r} is not one of {', '.join(calc.UNITS)}")
    if not 0.0 <= float(min_overlap) <= 1.0:
        raise QualcodeError(f"min overlap {min_overlap} is not between 0 and 1")
    if code and category:
        raise QualcodeError("choose either a code or a category, not both")
    ids = store_agreement.coder_ids(project.db, coders)
    code_ids = report_codes = None
    if code:
        report_codes = code_ids = [store_codes.code_by_name(project.db, code)["id"]]
    elif category:
        root = store_codes.code_by_name(project.db, category)["id"]
        code_ids = [root, *store_codes.descendant_ids(project.db, root)]
    tx_ids = store_agreement.transcript_ids(project.db, transcripts) if transcripts else None
    data = store_agreement.agreement_data(
        project.db, list(ids.values()), code_ids=code_ids, transcripts=tx_ids,
        with_turns=(unit == "turn"),
    )
    if not data.lengths:
        scope = " among the chosen transcripts" if transcripts else ""
        raise QualcodeError(
            f"{', '.join(coders)}: no transcript coded by at least two of them{scope}; "
            "agreement needs transcripts that several coders coded"
        )
    kwargs = dict(unit=unit, turns=data.turns, min_overlap=float(min_overlap),
                  codes=report_codes)
    return coders, ids, data, kwargs



def agreement(project, coders: Sequence[str], code: str | None = None,
              category: str | None = None, transcripts: Sequence[str] | None = None,
              unit: str = "char", min_overlap: float = 0.8) -> AgreementReport:
    """Percent agreement, Cohen's kappa (two coders) and Krippendorff's alpha, per
    code and overall, over the transcripts at least two of the coders coded."""
    coders, ids, data, kwargs = _inputs(
        project, coders, code, category, transcripts, unit, min_overlap)
    result = calc.agreement(data.codings, list(ids.values()), data.coded_by, data.lengths,
                            **kwargs)
    per_code = [CodeAgreement(code=data.code_names[cid], **summary)
                for cid, summary in result["codes"].items()]
    per_code.sort(key=lambda row: (row.code or "").casefold())
    segments = unit == "segment"
    return AgreementReport(
        unit=unit,
        coders=tuple(coders),
        transcripts=tuple(data.transcript_names[t] for t in result["transcripts"]),
        codes=tuple(per_code),
        overall=CodeAgreement(code=None, **result["overall"]),
        min_overlap=float(min_overlap) if segments else None,
        note=calc.SEGMENT_NOTE if segments else None,
    )


def disagreements(project, coders: Sequence[str], code: str | None = None,
                  category: str | None = None, transcripts: Sequence[str] | None = None,
                  unit: str = "char", min_overlap: float = 0.8) -> list[Disagreement]:
    """The stretches (char), turns (turn) or unmatched codings (segment) where the
    coders differ, with their text, in transcript order."""
    coders, ids, data, kwargs = _inputs(
        project, coders, code, category, transcripts, unit, min_overlap)
    names = {v: k for k, v in ids.items()}
    rows = calc.disagreements(data.codings, list(ids.values()), data.coded_by, data.lengths,
                              **kwargs)
    texts = store_agreement.text_slices(
        project.db, [(r["transcript"], r["start"], r["end"]) for r in rows])
    return [Disagreement(transcript=data.transcript_names[row["transcript"]],
                         code=data.code_names[row["code"]], start=row["start"], end=row["end"],
                         coded_by=tuple(names[c] for c in row["coded_by"]),
                         not_coded_by=tuple(names[c] for c in row["not_coded_by"]),
                         turn=row.get("turn"), best_overlap=row.get("best_overlap"), text=text)
            for row, text in zip(rows, texts)]


def export_for_coder(project, name: str, dest: str | Path) -> BlindCopy:
    """A new project file for blind coding: transcripts, study design and codebook,
    but only ``name``'s own codings and memos, and no history."""
    name = (name or "").strip()
    if not name:
        raise QualcodeError("coder name is empty")
    dest = Path(dest)
    # The source by its file name only: its folder says nothing the coder needs.
    report = store_agreement.blind_copy(project.db, dest, name, source=Path(project.path).name)
    with project.action("export.for_coder", f"exported a blind copy for {name} to {dest.name}",
                        details={"coder": name, "file": str(dest)}, undoable=False):
        pass
    return BlindCopy(**report, path=str(dest))


class AgreementService(Service):
    """Inter-coder agreement and blind coding (``project.agreement``); each method calls
    the module function of the same name with the service."""

    def report(self, coders: Sequence[str], code: str | None = None,
                  category: str | None = None, transcripts: Sequence[str] | None = None,
                  unit: str = "char", min_overlap: float = 0.8) -> AgreementReport:
        return agreement(self, coders, code, category, transcripts, unit, min_overlap)

    def disagreements(self, coders: Sequence[str], code: str | None = None,
                      category: str | None = None, transcripts: Sequence[str] | None = None,
                      unit: str = "char", min_overlap: float = 0.8) -> list[Disagreement]:
        return disagreements(self, coders, code, category, transcripts, unit, min_overlap)

    def export_for_coder(self, name: str, dest: str | Path) -> BlindCopy:
        return export_for_coder(self, name, dest)
