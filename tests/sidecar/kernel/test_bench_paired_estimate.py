"""The benchmark's paired estimator (bench/paired_estimate.py): pure, on made-up rounds."""

import random

from ...script_module import bench_script

paired_estimate = bench_script("paired_estimate")


def _rounds(added: float, rounds: int = 12, cells: int = 30, seed: int = 1):
    """plain and config rounds where each round slows every cell alike (the machine's mood) by up to 40 %, each cell
    has its own ±2 % jitter per run, and the config adds `added` of each cell's own time."""
    rng = random.Random(seed)
    base = [rng.uniform(1.0, 50.0) for _ in range(cells)]
    plain, config = [], []
    for _ in range(rounds):
        mood = rng.uniform(1.0, 1.4)
        plain.append([b * mood * rng.uniform(0.98, 1.02) for b in base])
        config.append([b * mood * (1 + added) * rng.uniform(0.98, 1.02) for b in base])
    return config, plain


def test_a_two_percent_slowdown_is_resolved_through_round_to_round_noise():
    config, plain = _rounds(0.02)
    share = paired_estimate.paired_share(config, plain)
    low, high = paired_estimate.bootstrap_interval(config, plain)
    assert abs(share - 0.02) < 0.005
    assert low < share < high and high - low < 0.02  # narrower than ±1 %
    assert low > 0.0  # told apart from no slowdown


def test_no_slowdown_gives_an_interval_around_zero():
    config, plain = _rounds(0.0, seed=2)
    low, high = paired_estimate.bootstrap_interval(config, plain)
    assert low < 0.0 < high


def test_rounds_are_paired_by_their_number_not_their_position():
    plain = [{"round": 1, "cells": [10.0]}, {"round": 2, "cells": [20.0]}, {"round": 3, "cells": [30.0]}]
    config = [{"round": 1, "cells": [11.0]}, {"round": 3, "cells": [33.0]}]  # round 2 failed
    got_config, got_plain = paired_estimate.paired_rounds(config, plain, lambda run: run["cells"])
    assert got_plain == [[10.0], [30.0]] and got_config == [[11.0], [33.0]]
    assert abs(paired_estimate.paired_share(got_config, got_plain) - 2.0 / 20.0) < 1e-12


def test_a_share_can_be_of_another_measure_of_plain():
    plain_cpu = [[1.0, 1.0], [1.0, 1.0]]
    config_cpu = [[1.5, 1.5], [1.5, 1.5]]
    plain_wall = [[10.0, 10.0], [10.0, 10.0]]
    assert paired_estimate.paired_share(config_cpu, plain_cpu, plain_wall) == 1.0 / 20.0
    assert paired_estimate.bootstrap_interval(config_cpu, plain_cpu, plain_wall) == (0.05, 0.05)


def test_the_added_time_can_leave_out_the_first_cells_and_keep_them_in_the_denominator():
    # per cell, the median over the two rounds of config - plain: cell 1 (4 and -1) 1.5, cell 2 (1 and 1) 1.0; plain's
    # cells 1.0 each: 2.0 in all. Without cell 1 no resampling of the rounds moves the share
    config, plain = [[5.0, 2.0], [0.0, 2.0]], [[1.0, 1.0], [1.0, 1.0]]
    assert paired_estimate.paired_share(config, plain) == 2.5 / 2.0
    assert paired_estimate.paired_share(config, plain, first=1) == 1.0 / 2.0
    assert paired_estimate.bootstrap_interval(config, plain, first=1, draws=50) == (0.5, 0.5)



def test_the_paired_sum_is_the_shares_numerator_in_the_measures_units():
    config, plain = _rounds(0.02, seed=3)
    plain_total = sum(paired_estimate.statistics.median(run[i] for run in plain) for i in range(len(plain[0])))
    added = paired_estimate.paired_sum(config, plain)
    assert abs(added / plain_total - paired_estimate.paired_share(config, plain)) < 1e-12
    low, high = paired_estimate.bootstrap_sum(config, plain)
    assert 0.0 < low < added < high  # a 2 % slowdown, in the measure's units, told apart from none
    low, high = paired_estimate.bootstrap_sum(*_rounds(0.0, seed=4))
    assert low < 0.0 < high
