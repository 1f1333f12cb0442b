"""Exports of experiments: the mtrack run-folder layout and one self-describing JSON document.

`mtrack.files()` and `jsondoc.files()` are pure (an experiment in, {relative path: bytes} out, the same
bytes for the same experiment); `write.write_files()` is the only part that touches the disk and never
overwrites anything.
"""
