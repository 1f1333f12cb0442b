"""The one renderer: how TrackIT words steps, effects, executions and hovers.

The tree (CLI and editor: the sidecar sends `ExecutionRecord.label/description/step_lines` and `Step.label`),
the hovers and the built-in summary all read these modules, so they say the same thing. Pure: protocol
records in, text out.

- words.py      code names, name lists, signed deltas, sizes
- effects.py    runtime effects ("891 → 714 rows (−177)")
- files.py      input files named by a load
- groups.py     which steps are said together
- phrases.py    one function per op: what a step did (model_phrases.py: split, fit, predict, evaluate;
                nothing_done.py: what a step the kernel saw do nothing did; phrase_parts.py: what they all read)
- sentences.py  one line per group of an execution's steps, with its effects; what a failed run left behind
- tree.py       execution labels and descriptions, session kernels, runtime-status notes; `label_document`
                fills the rendered fields
- hover.py      the per-cell hover
- experiments.py the `trackit experiments` table and `trackit show`
- compare.py    a diff of two experiments or runs (diff_values.py, metric_moves.py, divergence.py: its parts)
"""
