"""The browser face: the terminal UI served to a browser (``qualcode serve``)."""
