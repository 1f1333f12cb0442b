"""TrackIT sidecar: records notebook cell executions and serves their lineage."""

__version__ = "0.1.0"
