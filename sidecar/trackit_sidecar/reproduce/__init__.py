"""Reproduce a recorded result: gather the code that made it (pure), replay it in a fresh kernel, verify it.

gather.py / statements.py / effects.py / document.py / verify.py are pure; replay.py and environment.py are
the edge (they use `kernel/`).
"""
