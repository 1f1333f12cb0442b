"""A tiny cleaning helper, version 1.1: a test fixture whose behaviour changes between versions (1.0 was looser),
so a notebook's data can diverge only because the kernel's package version differs."""

__version__ = "1.1"
SPIKE_STDS = 2.0


def drop_spikes(frame, column):
    """Rows whose `column` is more than SPIKE_STDS standard deviations above its mean are dropped."""
    values = frame[column]
    return frame[values <= values.mean() + SPIKE_STDS * values.std()]
