"""Every result is an experiment: detection, slices, features, metrics, seeds, ids (pure), stamps (edge).

Pure modules take protocol records and return protocol models; `stamps.py` is the only one that runs
programs (git, the kernel's interpreter), and only `kernel/` talks to kernels.
"""
