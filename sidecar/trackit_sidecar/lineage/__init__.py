"""Pure lineage logic over protocol models: magics stripping, def-use, step classification, the execution graph.

Nothing in this package touches a kernel, a database or the network. Import submodules directly
(`from trackit_sidecar.lineage.analysis import analyze_source`); this file stays empty on purpose so
importing one part never drags in the others.
"""
