"""Entry point of the frozen `trackit` sidecar binary (PyInstaller one-dir, shipped inside the VSIX).

Normal use: exactly the `trackit` console script (trackit_sidecar.cli:main).

TRACKIT_FROZEN_SELFTEST=1: instead of the CLI, check that the frozen bundle holds what the sidecar needs
(every trackit_sidecar module imports, a boto3 bedrock-runtime client can be built from the trimmed
botocore data, DuckDB works) and that the heavy libraries we excluded really are absent. build_vsix.sh runs
this on the built binary, because a missing hidden import only shows up when the frozen program runs.
An env var rather than a subcommand so it can never collide with the CLI's own arguments.
"""
from __future__ import annotations

import os
import sys


# Libraries build_vsix excludes on purpose; the sidecar process must not need them.
EXCLUDED_ON_PURPOSE = ("pandas", "numpy", "sklearn", "polars", "pyarrow", "ipykernel", "IPython", "matplotlib")
# Modules that run INSIDE the user's kernel (shipped as source for injection), not in the sidecar process:
# they may import IPython & co., which the frozen sidecar deliberately lacks.
KERNEL_SIDE_PREFIX = "trackit_sidecar.kernel."


def _selftest() -> int:
    import importlib
    import json
    import pkgutil

    report: dict[str, object] = {"frozen": bool(getattr(sys, "frozen", False))}
    problems: list[str] = []

    import trackit_sidecar

    imported, kernel_side_skipped = [], []
    for info in pkgutil.walk_packages(trackit_sidecar.__path__, "trackit_sidecar."):
        if info.name.rsplit(".", 1)[-1] == "__main__":  # importing it would RUN the CLI
            continue
        try:
            importlib.import_module(info.name)
            imported.append(info.name)
        except ImportError as exc:
            missing_root = (getattr(exc, "name", None) or "").split(".")[0]
            if info.name.startswith(KERNEL_SIDE_PREFIX) and missing_root in EXCLUDED_ON_PURPOSE:
                kernel_side_skipped.append(info.name)
            else:
                problems.append(f"import {info.name}: {exc!r}")
        except Exception as exc:  # a module that crashes at import time is a packaging bug too
            problems.append(f"import {info.name}: {exc!r}")
    report["modules_imported"] = len(imported)
    # Kernel-side code is injected into kernels as SOURCE read from the module's __file__
    # (kernel/probe_expressions.py), so those files must exist as .py files in the bundle, not only as frozen bytecode.
    unreadable = []
    for name in imported:
        if name.startswith(KERNEL_SIDE_PREFIX):
            file = getattr(sys.modules[name], "__file__", None)
            if not file or not os.path.isfile(file):
                unreadable.append(f"{name} ({file})")
    if unreadable:
        problems.append(f"kernel-side modules without a source file in the bundle: {unreadable}")
    report["kernel_side_modules_not_imported"] = kernel_side_skipped

    # The CLI must at least be importable and callable.
    try:
        from trackit_sidecar.cli import main  # noqa: F401
    except Exception as exc:
        problems.append(f"trackit_sidecar.cli.main: {exc!r}")

    try:
        import boto3

        # Fake credentials: building a client never touches the network, but it needs the service model,
        # the endpoint rule set and partitions.json, i.e. exactly what the botocore/data trimming keeps.
        session = boto3.session.Session(
            aws_access_key_id="AKIAFROZENSELFTEST", aws_secret_access_key="selftest", region_name="us-east-1"
        )
        clients = {}
        for service in ("bedrock-runtime", "sts", "sso", "sso-oidc"):
            client = session.client(service)
            clients[service] = len(client.meta.service_model.operation_names)
        bedrock = session.client("bedrock-runtime")
        endpoint = bedrock.meta.endpoint_url
        if "Converse" not in bedrock.meta.service_model.operation_names:
            problems.append("bedrock-runtime model lacks the Converse operation")
        report["boto3_clients"] = clients
        report["bedrock_endpoint"] = endpoint
    except Exception as exc:
        problems.append(f"boto3 bedrock-runtime client: {exc!r}")

    try:
        import duckdb

        report["duckdb"] = duckdb.__version__
        if duckdb.connect(":memory:").execute("select 40 + 2").fetchone() != (42,):
            problems.append("duckdb returned a wrong result")
    except Exception as exc:
        problems.append(f"duckdb: {exc!r}")

    for name in ("pygls", "lsprotocol", "pydantic", "jupyter_client", "nbformat", "watchfiles"):
        try:
            importlib.import_module(name)
        except Exception as exc:
            problems.append(f"import {name}: {exc!r}")

    try:  # starting a kernel (replay) needs the provisioner jupyter_client registers as an entry point
        from importlib.metadata import entry_points

        if not entry_points(group="jupyter_client.kernel_provisioners", name="local-provisioner"):
            problems.append("jupyter_client's 'local-provisioner' entry point is missing (copy_metadata)")
    except Exception as exc:
        problems.append(f"jupyter_client provisioners: {exc!r}")

    present_but_excluded = []
    for name in EXCLUDED_ON_PURPOSE:
        try:
            importlib.import_module(name)
            present_but_excluded.append(name)
        except ImportError:
            pass
    if present_but_excluded and report["frozen"]:
        problems.append(f"excluded libraries are in the bundle: {present_but_excluded}")

    report["problems"] = problems
    print(json.dumps(report, indent=2))
    return 1 if problems else 0


def run() -> None:
    if os.environ.get("TRACKIT_FROZEN_SELFTEST") == "1":
        sys.exit(_selftest())
    from trackit_sidecar.cli import main

    sys.exit(main())


if __name__ == "__main__":
    run()
