"""Modal dialogs with typed results (``ModalScreen[T]``, returned with ``dismiss``)."""

from .choice import ChoiceDialog
from .confirm import ConfirmDialog
from .memo_editor import MemoDraft, MemoEditor
from .text_input import TextInputDialog

__all__ = ["ChoiceDialog", "ConfirmDialog", "MemoDraft", "MemoEditor", "TextInputDialog"]
