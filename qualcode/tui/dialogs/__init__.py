"""Modal dialogs with typed results (``ModalScreen[T]``, returned with ``dismiss``)."""

from .confirm import ConfirmDialog
from .choice import ChoiceDialog
from .memo_editor import MemoEditor, MemoDraft
from .text_input import TextInputDialog

__all__ = ["ConfirmDialog", "ChoiceDialog", "MemoEditor", "MemoDraft", "TextInputDialog"]
