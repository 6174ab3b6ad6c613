"""Small tools every other part of the core may use: atomic file writes, the observer list
behind change notifications, where files live, and a side thread for disk waits.

May import: the standard library and third-party packages only; nothing else of metaflash.
"""
