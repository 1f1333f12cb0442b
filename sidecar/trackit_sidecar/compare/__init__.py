"""Compare experiments (issue 12): pure functions over stored records.

- sides.py       an experiment or a whole run as one side of a comparison (its slice, metrics, features, data)
- walk.py        both slices walked in order, step by step: the first whose data (or code) differ
- cause.py       the upstream change that explains a divergence (a decision, a code edit, data, seed, package)
- metrics.py     metric deltas with direction and noise
- changes.py     the full lists: code per cell, data revisions, seeds, environment and git
- diff.py        the diff of two sides, put together (protocol.ExperimentDiff)
- evidence.py    hypotheses: evidence per experiment and a status from it
- ask/           the built-in answerer over records (questions -> intents -> cited answers), and an LLM's turn
- service.py     CompareService: thin over the store and the experiments service (the only non-pure module)
Words live in render/ (compare.py, hypotheses.py, answers.py); knowledge in kb.py.
"""
