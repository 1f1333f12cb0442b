"""Run stamps with a real kernel in a temporary git repository, through `trackit run` as a user runs it.

The kernel runs from a SECOND virtual environment that has another version of xxhash than the sidecar's
(pip-installed into it; the rest comes from the sidecar's site-packages through a .pth file), so the
stamp's packages must come from the kernel's environment to be right. The repository has a remote whose URL
carries credentials, and the kernel's environment has planted secrets: neither may appear in any stamp,
show, lineage JSON, export, or stored row.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import duckdb
import nbformat
import pytest

pytestmark = pytest.mark.kernel

SECRETS = {"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI7K7MDENGbPxRfiCYzzSECRETKEY", "GITHUB_TOKEN": "ghp_plantedTokenValue0123456789",
           "DATABASE_URL": "postgres://admin:hunter2hunter2@db.internal:5432/prod"}
REMOTE = "https://alice:ghp_remoteCredential987654@github.com/acme/models.git"
FORBIDDEN = [*SECRETS.values(), "ghp_remoteCredential987654", "alice:", "github.com/acme", "hunter2"]
OTHER_XXHASH = "4.0.1"
CELLS = [
    "import random\nimport numpy as np\nfrom sklearn.linear_model import LogisticRegression\n"
    "from sklearn.metrics import accuracy_score\nfrom sklearn.model_selection import train_test_split",
    "random.seed(11)\nnp.random.seed(22)\nrng = np.random.default_rng(33)",
    "X = rng.normal(size=(200, 3))\ny = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)\n"
    "X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=44)",
    "model = LogisticRegression(C=0.7).fit(X_tr, y_tr)\nacc = accuracy_score(y_te, model.predict(X_te))\n"
    "print(f'accuracy: {acc:.3f}')",
]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory) -> dict:
    """A second venv + a kernelspec for it, with a JUPYTER_PATH that finds the spec."""
    root = tmp_path_factory.mktemp("kv")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "trackit_test_sidecar_site.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", f"xxhash=={OTHER_XXHASH}"],
                               capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    spec = root / "share" / "jupyter" / "kernels" / "kv"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "second venv", "language": "python"}))
    return {"python": str(python), "jupyter_path": str(root / "share" / "jupyter")}


@pytest.fixture
def repo(tmp_path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Seeds three ways")] + [nbformat.v4.new_code_cell(c) for c in CELLS]
    nbformat.write(nb, str(repo / "model.ipynb"))
    (repo / "helper.py").write_text("THRESHOLD = 0.5\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "T")
    git(repo, "remote", "add", "origin", REMOTE)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def trackit(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trackit_sidecar", *args], capture_output=True, text=True,
                          timeout=300, env=env)


def test_stamps_git_state_seeds_and_the_kernels_own_packages_without_secrets(kernel_env, repo, tmp_path):
    db = tmp_path / "outside-the-repo.duckdb"
    env = {**os.environ, **SECRETS, "JUPYTER_PATH": kernel_env["jupyter_path"], "PYTHONHASHSEED": "123",
           "OMP_NUM_THREADS": "3"}
    notebook = repo / "model.ipynb"
    ran = trackit("run", str(notebook), "--kernel", "kv", "--db", str(db), env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    first = json.loads(trackit("show", "E0001", "--db", str(db), "--json").stdout)
    stamp = first["stamp"]
    assert stamp["executable"] == kernel_env["python"]
    assert stamp["packages"]["xxhash"] == OTHER_XXHASH != metadata.version("xxhash")  # the kernel's, not ours
    assert stamp["packages"]["ipykernel"] == metadata.version("ipykernel")  # reached through the .pth file
    assert stamp["env"] == {"PYTHONHASHSEED": "123", "OMP_NUM_THREADS": "3"}
    assert stamp["git"]["dirty_worktree"] is False and stamp["git"]["changed_files"] == []
    assert stamp["git"]["commit"] == git(repo, "rev-parse", "HEAD").strip() and stamp["git"]["branch"] == "main"
    seeds = {(s["kind"], s["value"]) for s in first["seeds"]}
    assert {("random.seed", 11), ("numpy.random.seed", 22), ("numpy.random.default_rng", 33),
            ("random_state", 44), ("PYTHONHASHSEED", "123")} <= seeds
    assert first["dirty_worktree"] is False and first["model"]["state_sha256"]

    (repo / "helper.py").write_text("THRESHOLD = 0.6\n")  # a tracked file edited, not committed
    assert trackit("run", str(notebook), "--kernel", "kv", "--db", str(db), env=env).returncode == 0
    second = json.loads(trackit("show", "E0002", "--db", str(db), "--json").stdout)
    assert second["stamp"]["git"]["dirty_worktree"] is True and second["dirty_worktree"] is True
    assert second["stamp"]["git"]["changed_files"] == ["M helper.py"]
    assert len(second["stamp"]["git"]["diff_sha256"]) == 64
    assert second["model"]["state_sha256"] == first["model"]["state_sha256"]  # same seeds, same fitted model
    table = trackit("experiments", str(notebook), "--db", str(db)).stdout
    assert table.splitlines()[2].rstrip().endswith("yes"), table  # the dirty column

    # No secret anywhere a user or an auditor could read it, nor in what the database keeps
    out = tmp_path / "export"
    assert trackit("export", "E0002", "--all", "--out", str(out), "--db", str(db)).returncode == 0
    assert trackit("export", "E0002", "--all", "--format", "json", "--out", str(out), "--db", str(db)).returncode == 0
    texts = [trackit("show", "E0002", "--db", str(db)).stdout, json.dumps(second), json.dumps(first),
             trackit("lineage", str(notebook), "--db", str(db), "--json").stdout]
    texts += [f.read_text() for f in out.rglob("*") if f.is_file()]
    assert len(texts) > 10
    con = duckdb.connect(str(db), read_only=True)
    try:
        for table_name in ("run_stamps", "experiment_kernel_values", "experiments", "dataset_revisions"):
            texts += [json.dumps(row, default=str) for row in con.execute(f"SELECT * FROM {table_name}").fetchall()]
    finally:
        con.close()
    leaks = [(secret, text[:80]) for text in texts for secret in FORBIDDEN if secret in text]
    assert not leaks, leaks
    assert any("PYTHONHASHSEED" in t for t in texts)  # the texts searched do hold the stamp
