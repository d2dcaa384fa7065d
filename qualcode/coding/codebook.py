"""The codebook: add, rename, edit, move, merge, split, delete, show codes."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterable, Sequence

from ..context import ProjectContext, Service
from ..errors import ConflictError, QualcodeError
from ..export.colours import new_code_colour
from ..records.codes import Code, CodeDeletion, CodeMerge, CodeNode
from ..store import codes as store_codes
from ..store import memos as store_memos
from ..store import team_live as store_team
from . import codebook_file
from .code_fields import check_name, clean_fields


class CodebookService(Service):
    """The codebook (``project.codebook``): the tree of codes, and its file."""

    def __init__(self, ctx: ProjectContext) -> None:
        super().__init__(ctx)
        # Old names of the codes a load renames, for its error messages.
        self._old_names: dict[int, str] = {}

    # Loading and saving the codebook file are written in qualcode.coding.codebook_file.
    load = codebook_file.load_codebook
    save = codebook_file.save_codebook
    document = codebook_file.codebook_document
    _free_names_renamed_by = codebook_file._free_names_renamed_by
    _load_node = codebook_file._load_node

    def add_code(self, name: str, *, parent: str | None = None, guid: str | None = None,
                 **fields) -> Code:
        name = check_name(name)
        if store_codes.name_is_live(self.db, name):
            raise ConflictError(f"a code named {name!r} already exists")
        if guid is not None:
            try:
                guid = str(uuid.UUID(str(guid)))
            except ValueError:
                raise QualcodeError(f"guid {guid!r} is not a UUID") from None
            if store_codes.code_by_guid(self.db, guid):
                raise ConflictError(f"a code with guid {guid} already exists")
        values = clean_fields(fields)
        with self.action("code.add", f"added code {name}"):
            parent_id = store_codes.code_by_name(self.db, parent)["id"] if parent else None
            code_id = store_codes.insert_code(self.db, name, parent_id, values, guid=guid)
        return self.code(store_codes.code_by_id(self.db, code_id)["name"])

    def next_colour(self) -> str:
        """The colour to give a new code: the palette colour (readable on dark and light
        terminals, see :data:`~qualcode.export.colours.CODE_PALETTE`) that the fewest
        live codes have yet."""
        return new_code_colour([c["colour"] for c in store_codes.live_codes(self.db)])

    def code(self, name: str) -> Code:
        """One live code with its parent name, keywords and coding counts."""
        row = store_codes.code_by_name(self.db, name)
        return self._describe(row, store_codes.coding_counts(self.db),
                              store_codes.coding_counts_by_wave(self.db))

    def _describe(self, row: dict, counts: dict, by_wave: dict) -> Code:
        parent = store_codes.code_by_id(self.db, row["parent_id"])["name"] if row["parent_id"] else None
        return Code(
            id=row["id"], guid=row["guid"], name=row["name"], definition=row["definition"],
            inclusion=row["inclusion"], exclusion=row["exclusion"], example=row["example"],
            colour=row["colour"], stage=row["stage"], in_vivo=bool(row["in_vivo"]),
            is_category=bool(row["is_category"]), codable=bool(row["codable"]),
            keywords=tuple(json.loads(row["keywords"])) if row["keywords"] else (),
            position=row["position"], created=row["created"], updated=row["updated"],
            revision=row["revision"], parent=parent, codings=counts.get(row["id"], 0),
            codings_by_wave=by_wave.get(row["id"], {}),
        )

    def codes(self) -> list[Code]:
        """Every live code, flat, parents before children, with counts."""
        counts = store_codes.coding_counts(self.db)
        by_wave = store_codes.coding_counts_by_wave(self.db)
        return [self._describe(r, counts, by_wave) for r in store_codes.live_codes(self.db)]

    def tree(self) -> list[CodeNode]:
        """The tree: each code with its ``children`` and ``total`` (its codings plus its
        descendants')."""
        flat = self.codes()
        names = {c.name for c in flat}
        children: dict[str | None, list[Code]] = {}
        for code in flat:
            # A code whose parent is not live (cannot happen through the service) is
            # shown at the top level rather than lost.
            parent = code.parent if code.parent in names else None
            children.setdefault(parent, []).append(code)

        def node(code: Code) -> CodeNode:
            below = tuple(node(c) for c in children.get(code.name, ()))
            fields = {f.name: getattr(code, f.name) for f in dataclasses.fields(Code)}
            return CodeNode(**fields, children=below,
                            total=code.codings + sum(n.total for n in below))

        return [node(c) for c in children.get(None, ())]

    def _check_unchanged(self, row: dict, expected_revision: int | None) -> None:
        """Refuse an edit made on a stale view: called inside the action (whose write lock
        serialises codebook edits), with the revision the user saw, if the code was
        changed since by anyone, this coder's other window included."""
        if expected_revision is None:
            return
        if store_team.code_revision(self.db, row["id"]) == expected_revision:
            return
        change = store_team.last_change_of_code(self.db, row["id"])
        by = f" by {change['coder']} at {change['ts']} ({change['summary']})" if change else ""
        raise ConflictError(f"code {row['name']} was changed{by} after you opened it; "
                            "nothing was saved: look at it again and redo your change")

    def rename_code(self, name: str, new_name: str, *, expected_revision: int | None = None) -> Code:
        new_name = check_name(new_name)
        row = store_codes.code_by_name(self.db, name)
        if new_name == name:
            raise QualcodeError(f"{name} is already named {new_name}: nothing to change")
        if store_codes.name_is_live(self.db, new_name):
            raise ConflictError(f"a code named {new_name!r} already exists")
        with self.action("code.rename", f"renamed code {name} to {new_name}"):
            self._check_unchanged(row, expected_revision)
            store_codes.update_code(self.db, row["id"], name=new_name)
        return self.code(new_name)

    def edit_code(self, name: str, *, expected_revision: int | None = None, **fields) -> Code:
        row = store_codes.code_by_name(self.db, name)
        values = clean_fields(fields)
        if not values:
            raise QualcodeError("nothing to change")
        with self.action("code.edit", f"edited code {name}: {', '.join(values)}"):
            self._check_unchanged(row, expected_revision)
            store_codes.update_code(self.db, row["id"], **values)
        return self.code(name)

    def move_code(self, name: str, parent: str | None, *,
                  expected_revision: int | None = None) -> Code:
        row = store_codes.code_by_name(self.db, name)
        parent_id = None
        if parent:
            target = store_codes.code_by_name(self.db, parent)
            if target["id"] == row["id"] or target["id"] in store_codes.descendant_ids(self.db, row["id"]):
                raise ConflictError(f"cannot move {name} under {parent}: {parent} is inside {name}")
            parent_id = target["id"]
        with self.action("code.move", f"moved code {name} under {parent or 'the top level'}"):
            self._check_unchanged(row, expected_revision)
            position = store_codes.next_position(self.db, parent_id)
            store_codes.update_code(self.db, row["id"], parent_id=parent_id, position=position)
        return self.code(name)

    def merge_codes(self, source: str, target: str, *,
                    expected_revision: int | None = None) -> CodeMerge:
        """Merge ``source`` into ``target``: codings, sub-codes and memo links follow;
        the source stays in the history, marked as merged into the target."""
        src = store_codes.code_by_name(self.db, source)
        dst = store_codes.code_by_name(self.db, target)
        if src["id"] == dst["id"]:
            raise ConflictError("cannot merge a code into itself")
        if dst["id"] in store_codes.descendant_ids(self.db, src["id"]):
            raise ConflictError(f"cannot merge {source} into {target}: {target} is inside {source}")
        if not dst["codable"] and store_codes.has_codings(self.db, src["id"]):
            raise ConflictError(f"cannot merge {source} into {target}: {target} is a category "
                                f"that is not applied to text, and {source} has codings")
        with self.action("code.merge", f"merged code {source} into {target}",
                         details={"source": src["guid"], "target": dst["guid"]}):
            self._check_unchanged(src, expected_revision)
            moved, absorbed = store_codes.move_codings(self.db, src["id"], dst["id"])
            for child in store_codes.children_ids(self.db, src["id"]):
                store_codes.update_code(self.db, child, parent_id=dst["id"])
            store_memos.repoint_code_links(self.db, src["id"], dst["id"])
            store_codes.update_code(self.db, src["id"], merged_into_id=dst["id"])
        return CodeMerge(source=source, target=target, codings_moved=moved,
                         duplicates_absorbed=absorbed)

    def split_code(self, name: str, new_name: str, coding_ids: Sequence[int], **fields) -> Code:
        """Move the chosen codings of ``name`` to a new sibling code ``new_name``."""
        row = store_codes.code_by_name(self.db, name)
        new_name = check_name(new_name)
        if store_codes.name_is_live(self.db, new_name):
            raise ConflictError(f"a code named {new_name!r} already exists")
        ids = sorted(set(int(i) for i in coding_ids))
        if not ids:
            raise QualcodeError("choose the codings to move to the new code")
        for coding_id in ids:
            coding = store_codes.coding_by_id(self.db, coding_id)
            if coding["code_id"] != row["id"]:
                raise QualcodeError(f"coding {coding_id} is not coded with {name}")
        values = clean_fields({k: v for k, v in fields.items() if v is not None})
        values.setdefault("stage", row["stage"])
        with self.action("code.split", f"split {len(ids)} codings of {name} into {new_name}"):
            new_id = store_codes.insert_code(self.db, new_name, row["parent_id"], values)
            store_codes.recode(self.db, ids, new_id)
        return self.code(new_name)

    def delete_code(self, name: str, *, force: bool = False,
                    expected_revision: int | None = None) -> CodeDeletion:
        """Delete a code. Refused while it has codings or sub-codes unless ``force``:
        then its codings are deleted and its sub-codes move up to its parent, and the
        result says how many of each (nothing is lost silently; undo restores it)."""
        row = store_codes.code_by_name(self.db, name)
        codings = store_codes.coding_ids_of_code(self.db, row["id"])
        children = store_codes.children_ids(self.db, row["id"])
        if (codings or children) and not force:
            raise ConflictError(
                f"code {name} has {len(codings)} codings and {len(children)} sub-codes; "
                "merge it into another code, or delete with force"
            )
        links = store_codes.memo_link_count(self.db, row["id"])
        with self.action("code.delete", f"deleted code {name} ({len(codings)} codings)"):
            self._check_unchanged(row, expected_revision)
            store_codes.delete_codings(self.db, codings)
            store_codes.delete_code(self.db, row["id"])
        return CodeDeletion(code=name, codings_deleted=len(codings), subcodes_moved=len(children),
                            memo_links_removed=links)

    def code_names(self) -> list[str]:
        return [c["name"] for c in store_codes.live_codes(self.db)]

    def code_ids_with_descendants(self, names: Iterable[str], include_subcodes: bool) -> list[int]:
        ids = []
        for name in names:
            row = store_codes.code_by_name(self.db, name)
            ids.append(row["id"])
            if include_subcodes:
                ids.extend(store_codes.descendant_ids(self.db, row["id"]))
        return ids
