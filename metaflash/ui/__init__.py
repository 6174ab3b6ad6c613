"""The PySide6 user interface. Views take their models in the constructor."""
