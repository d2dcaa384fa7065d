"""Team work (``project.team``): codebook and project merges."""

from __future__ import annotations

from pathlib import Path

from ..coding.codebook import CodebookService
from ..context import ProjectContext, Service
from ..records.codes import CodebookMergePlan
from . import codebook_merge, project_merge


class TeamService(Service):
    """Merging codebooks and coders' projects."""

    def __init__(self, ctx: ProjectContext, codebook: CodebookService) -> None:
        super().__init__(ctx)
        self.codebook = codebook

    def codebook_merge_plan(self, sources: list[str | Path], *, threshold: float = 85.0) -> CodebookMergePlan:
        return codebook_merge.build_plan(self, sources, threshold)

    def write_plan(self, plan: CodebookMergePlan, path: str | Path) -> Path:
        """Write a merge plan as YAML for people to review and edit."""
        return codebook_merge.write_plan(plan, path)

    def apply_codebook_plan(self, plan_path: str | Path) -> dict[str, int]:
        plan = codebook_merge.read_plan(plan_path)
        with self.action("codebook.merge", f"applied codebook merge plan {Path(plan_path).name}"):
            mapping = codebook_merge.apply_plan(self, plan, plan_name=Path(plan_path).name)
        return mapping

    def merge_project(self, other: str | Path, *, plan: str | Path | None = None,
                      dry_run: bool = False, threshold: float = 85.0) -> project_merge.MergeReport:
        return project_merge.merge_project(self, other, plan_path=plan, dry_run=dry_run,
                                           threshold=threshold)
