"""The ops of a small hand-written cell, classified after set-up lines that load the data it reads."""

from __future__ import annotations

from trackit_sidecar.lineage.steps import classify_steps

FRAME = "import pandas as pd\ndf = pd.read_csv('people.csv')\n"
FRAME_AND_NUMPY = "import pandas as pd\nimport numpy as np\ndf = pd.read_csv('people.csv')\n"


def ops_after(setup: str, cell: str) -> list[str]:
    """The ops of `cell` run after `setup`, without the steps of `setup` itself (its loads)."""
    return [step.op for step in classify_steps(setup + cell)][len(classify_steps(setup)):]
