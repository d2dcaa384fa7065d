"""Modal dialogs with typed results (``ModalScreen[T]``, returned with ``dismiss``)."""

from .choice import ChoiceDialog
from .confirm import ConfirmDialog
from .memo_editor import MemoDraft, MemoEditor
from .summary_editor import Passage, SummaryEditor
from .text_input import TextInputDialog
from .transcript_fields import TranscriptFields, TranscriptFieldsDialog

__all__ = ["ChoiceDialog", "ConfirmDialog", "MemoDraft", "MemoEditor", "Passage", "SummaryEditor",
           "TextInputDialog", "TranscriptFields", "TranscriptFieldsDialog"]
