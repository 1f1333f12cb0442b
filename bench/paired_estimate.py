"""The added share of a notebook's time, paired per cell, with a bootstrap interval over rounds (pure; no I/O).

A whole-notebook ratio (median TrackIT run / median plain run) cannot resolve 2 % on a shared 2-core machine: one
slow cell in one run moves it by several percent. This estimator pairs each cell with the same cell of plain
ipykernel in the same interleaved round, so noise that hits a round hits both:

    share = sum over cells of median over rounds of (config[r][i] - plain[r][i])
            / sum over cells of median over rounds of plain[r][i]

Its 95 % interval is a percentile bootstrap over rounds: rounds are drawn with replacement (a round keeps all its
cells together, since one round's cells share the machine's mood) and the share recomputed each time.

`first`: the added time summed from that cell on (the denominator keeps every cell). A real notebook's first cell
imports its libraries (pandas_06's: pandas, numpy, matplotlib, ~0.3-0.6 s, half its run): that cell's paired difference
moves by a hundred ms or more from round to round with the disk and the caches, in every config alike (kern29: 8 rounds
of two identical probes gave intervals ±10-20 points wide, those of cells 2.. under half as wide), and plain pays a
first-request warm-up there that a probe kernel's install already paid (kern6). What TrackIT adds in that cell is then
counted by the probe's own timers instead (bench/runtime_capture_rows.added_wall_after_imports).
"""

from __future__ import annotations

import random
import statistics


def paired_share(config: list[list[float]], plain: list[list[float]], of: list[list[float]] | None = None,
                 first: int = 0) -> float:
    """config[r][i], plain[r][i]: cell i's value in round r (the same rounds, in the same order). `of`: another
    per-round, per-cell measure of plain's to divide by (the added kernel CPU as a share of plain's wall time);
    default plain itself. `first`: the first cell whose added time counts (see above); every cell is in the
    denominator."""
    total = sum(statistics.median(base[i] for base in (of or plain)) for i in range(len(plain[0])))
    return paired_sum(config, plain, first) / total


def paired_sum(config: list[list[float]], plain: list[list[float]], first: int = 0) -> float:
    """paired_share's numerator, in the measure's own units: the sum over cells (from `first`) of the median over
    rounds of (config - plain) in the same round."""
    return sum(statistics.median(run[i] - base[i] for run, base in zip(config, plain))
               for i in range(first, len(plain[0])))


def bootstrap_interval(config: list[list[float]], plain: list[list[float]], of: list[list[float]] | None = None,
                       draws: int = 2000, seed: int = 15, first: int = 0) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of paired_share over `draws` resamplings of the rounds."""
    return _percentiles(lambda picked: paired_share([config[r] for r in picked], [plain[r] for r in picked],
                                                    [of[r] for r in picked] if of is not None else None, first),
                        len(plain), draws, seed)


def bootstrap_sum(config: list[list[float]], plain: list[list[float]], draws: int = 2000,
                  seed: int = 15) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of paired_sum over `draws` resamplings of the rounds."""
    return _percentiles(lambda picked: paired_sum([config[r] for r in picked], [plain[r] for r in picked]),
                        len(plain), draws, seed)


def _percentiles(statistic, rounds: int, draws: int, seed: int) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of statistic(rounds picked with replacement) over `draws` resamplings."""
    rng = random.Random(seed)
    values = sorted(statistic([rng.randrange(rounds) for _ in range(rounds)]) for _ in range(draws))
    return values[int(0.025 * (draws - 1))], values[int(0.975 * (draws - 1))]


def paired_rounds(config_runs: list[dict], plain_runs: list[dict], value) -> tuple[list[list[float]], list[list[float]]]:
    """The per-cell values of the rounds both configs completed, paired by round number (a run's "round");
    value(run) -> the run's per-cell list."""
    plain_by_round = {run["round"]: run for run in plain_runs}
    both = sorted(run["round"] for run in config_runs if run["round"] in plain_by_round)
    by_round = {run["round"]: run for run in config_runs}
    return [value(by_round[r]) for r in both], [value(plain_by_round[r]) for r in both]
