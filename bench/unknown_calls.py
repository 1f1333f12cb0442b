"""Which library calls public notebooks make that no knowledge table in `sidecar/trackit_sidecar/lineage/kb/` decides.

bench/kb_coverage.py asks the libraries' own API which of their names the tables decide; this script asks the
notebooks which names they actually call, so the tables can be widened by frequency of use (issue 10: a call no table
knows gives no step on every unseen notebook that uses it). It reads every `.ipynb` of the git snapshots under
/work/.mirror (bare git dirs, read with `git ls-tree` / `git cat-file`), except the repositories named in
tests/corpus/blind/manifest.json (no blind notebook, tuning or held-out, is read this way), parses each code cell
after magic stripping (lineage/magics.py) and counts:

- module calls resolved through the cell's imports (`pd.eval(...)`, `from scipy.stats import boxcox; boxcox(x)`,
  `np.random.gamma(...)`) whose library has an op table, decided by bench/kb_coverage.py's predicates;
- method calls on anything that is not a module (`df.xs(...)`, `s.str.wrap(...)`), decided by the union of the
  method tables kb_coverage.py builds (pandas, NumPy, polars frames and expressions, group-bys, accessors) and the
  method tables of the model / display / effects modules; methods of Python's own str / list / dict / set / tuple
  are out of scope (no library call).

"Known" is read from the kb tables only (through kb_coverage.py), never from a list kept here. Output: the top
`--top` unknown calls by number of notebooks using them.

    PYTHONPATH=sidecar .venv/bin/python bench/unknown_calls.py [--top 200] [--json out.json] [--list-notebooks f]
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterator, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kb_coverage as cov  # noqa: E402  (the predicates that say whether a kb table decides a library's name)

from trackit_sidecar.lineage import kb  # noqa: E402
from trackit_sidecar.lineage.ast_names import dotted  # noqa: E402
from trackit_sidecar.lineage.kb import display as kb_display  # noqa: E402
from trackit_sidecar.lineage.kb import effects as kb_effects  # noqa: E402
from trackit_sidecar.lineage.kb import models as kb_models  # noqa: E402
from trackit_sidecar.lineage.kb import python as kb_python  # noqa: E402
from trackit_sidecar.lineage.kb import sklearn as kb_sklearn  # noqa: E402
from trackit_sidecar.lineage.kb import sources as kb_sources  # noqa: E402
from trackit_sidecar.lineage.kb import statsmodels as kb_statsmodels  # noqa: E402
from trackit_sidecar.lineage.magics import strip_magics  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MIRROR = Path("/work/.mirror")
MANIFEST = ROOT / "tests" / "corpus" / "blind" / "manifest.json"

# The libraries whose module functions this harvest decides (the ones with op tables or kb_coverage predicates).
LIBRARIES = ("pandas", "numpy", "polars", "sklearn", "scipy", "statsmodels", "seaborn", *cov.MODEL_LIBRARY_MODULES)

# Every method name some kb table decides, on a value of any library (a method call's receiver type is unknown here).
KNOWN_METHODS = cov.union(
    cov.PANDAS_FRAME, cov.PANDAS_GROUPBY, cov.NUMPY_ARRAY, cov.POLARS_FRAME, cov.POLARS_EXPR, cov.TF_DATASET,
    kb_sklearn.METHODS, kb_sklearn.FEATURE_NAME_METHODS, kb_statsmodels.METHODS, kb_models.EVALUATION_METHODS,
    kb_models.PREDICTION_METHODS, kb_models.SUMMARY_METHODS, kb_models.RESULT_TABLE_METHODS,
    kb_models.MODEL_LOADING_METHODS, kb_python.MUTATING_METHODS, kb_python.FITTING_METHODS, kb_display.PLOT_METHODS,
    kb_effects.PLOTTING_METHODS, kb_effects.READ_ONLY_METHODS, kb_effects.EXPORT_METHODS, kb_sources.CALLBACK_METHODS,
    kb_sources.SQL_METHODS, kb.GROUPING_METHODS, kb.WINDOW_METHODS, kb_sources.RANDOM_DRAWS, kb_sources.DRAWS_FROM_VALUES,
    kb.scipy.DISTRIBUTION_TAIL_METHODS, getattr(kb.scipy, "DISTRIBUTION_DRAW_METHODS", ()),
    cov.declared("SCIPY_DISTRIBUTION_METHODS"),
    *kb_sources.HANDLE_READ_METHODS.values(), *kb_sources.HANDLE_PASSING_METHODS.values())
ACCESSOR_TABLES = {name: cov.union(cov.accessor("pandas", name), cov.accessor("polars", name) if name in ("str", "dt")
                                   else ()) for name in ("str", "dt", "cat")}
# Python's own types' methods: not a library call, out of this harvest's scope.
PYTHON_TYPE_METHODS = frozenset().union(*(cov.public_names(t) for t in (str, list, dict, set, tuple, bytes)))


def blind_repositories() -> set[str]:
    return {entry["repo"] for entry in json.loads(MANIFEST.read_text())}


def snapshot_dirs(excluded: set[str], mirror: Path = MIRROR) -> Iterator[tuple[str, Path]]:
    """(owner/name, git dir) of every mirrored repository (`owner+name`) not excluded."""
    for path in sorted(mirror.iterdir()):
        repo = path.name.replace("+", "/", 1)
        if repo in excluded or not path.is_dir():
            continue
        git_dir = next((p.parent for p in path.rglob("HEAD") if (p.parent / "objects").is_dir()), None)
        if git_dir is not None:
            yield repo, git_dir


def notebooks_of(git_dir: Path) -> Iterator[tuple[str, dict]]:
    """(path, parsed notebook) of every `.ipynb` in the snapshot's HEAD tree."""
    listing = subprocess.run(["git", f"--git-dir={git_dir}", "ls-tree", "-r", "HEAD"], capture_output=True,
                             text=True, errors="replace").stdout
    for line in listing.splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if not path.endswith(".ipynb") or len(parts) < 3 or parts[1] != "blob":
            continue
        blob = subprocess.run(["git", f"--git-dir={git_dir}", "cat-file", "blob", parts[2]], capture_output=True)
        try:
            yield path, json.loads(blob.stdout)
        except (ValueError, UnicodeDecodeError):
            continue


def code_cells(notebook: dict) -> list[str]:
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    out = []
    for cell in cells or []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            out.append("".join(source) if isinstance(source, list) else str(source))
    return out


def parse(source: str) -> Optional[ast.Module]:
    try:
        return ast.parse(strip_magics(source))
    except (SyntaxError, ValueError, RecursionError):
        return None


def imports_of(trees: list[ast.Module]) -> dict[str, str]:
    """Name -> the dotted module or object it is bound to by the notebook's imports (conventional aliases first)."""
    aliases = dict(kb_python.CONVENTIONAL_ALIASES)
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        aliases[alias.asname] = alias.name
                    else:
                        aliases[alias.name.split(".")[0]] = alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def dotted_parts(node: ast.AST) -> Optional[list[str]]:
    """`np.random.seed` -> ["np", "random", "seed"] (lineage/ast_names.dotted, split)."""
    name = dotted(node)
    return name.split(".") if name else None


def module_call_decided(path: str) -> Optional[bool]:
    """Whether a kb table decides a call of `path` (`pandas.eval`, `scipy.stats.boxcox`); None when its library has
    no table (out of scope)."""
    package, _, rel = path.partition(".")
    name = path.rsplit(".", 1)[-1]
    module = path.rsplit(".", 1)[0]
    if any(path == plot or path.startswith(plot + ".") for plot in kb_display.PLOT_MODULES):
        return True
    if package not in LIBRARIES or not rel:
        return None
    if name in kb_sources.CONVERSION_FUNCTIONS.get(package, ()):
        return True  # scipy.sparse.csr_matrix(X): the data put in another container
    if name in kb_sources.LOADER_FUNCTIONS:
        return True  # scipy.ndimage.imread(path): a file read, whatever library reads it
    if package == "pandas":
        return rel in cov.PANDAS_TOP or name in cov.PANDAS_TOP
    if package == "numpy":
        return rel in cov.NUMPY_TOP or name in cov.NUMPY_TOP or name in kb_sources.RANDOM_DRAWS \
            or name in kb_sources.RANDOM_GENERATOR_FACTORIES or name in kb_effects.NOT_RANDOM \
            or name in kb_sources.DRAWS_FROM_VALUES or rel in kb.numpy.FUNCTIONS
    if package == "polars":
        return rel in cov.POLARS_TOP or name in cov.POLARS_TOP or name[:1].isupper()
    if package == "sklearn":
        if name[:1].isupper():
            return cov.sklearn_class_decided(module, name)
        return cov.sklearn_function_decided(module, name)
    if package == "scipy":
        sub = rel.rsplit(".", 1)[0] if "." in rel else ""
        if sub == "stats":
            return name in cov.SCIPY_STATS or name[:1].isupper()
        if sub.startswith("stats."):  # a distribution's method (`stats.norm.cdf(z)`, `stats.norm.rvs(size=9)`)
            return name in kb.scipy.DISTRIBUTION_TAIL_METHODS or name in cov.SCIPY_STATS \
                or name in getattr(kb.scipy, "DISTRIBUTION_DRAW_METHODS", ()) \
                or name in cov.declared("SCIPY_DISTRIBUTION_METHODS")
        return f"{sub}.{name}" in cov.SCIPY_MODULES or name in cov.SCIPY_MODULES
    if package == "statsmodels":
        return cov.statsmodels_decided(name) or rel in kb_statsmodels.FUNCTIONS
    if package == "seaborn":
        return True  # a plotting module (kb.display.PLOT_MODULES), its loaders in kb/seaborn.py
    return cov.model_library_decided(package, module, name)


def foreign_names(trees: list[ast.Module], aliases: dict[str, str]) -> set[str]:
    """Names bound to what a call of a library without op tables (or of a plotting module) returns (`fig, ax =
    plt.subplots()`, `model = keras.Sequential()`): their methods are that library's, out of this harvest's scope."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
                continue
            parts = dotted_parts(node.value.func)
            if parts is None or parts[0] not in aliases:
                continue
            path = ".".join(aliases[parts[0]].split(".") + parts[1:])
            if path.split(".")[0] in LIBRARIES and not any(path.startswith(plot) for plot in kb_display.PLOT_MODULES):
                continue
            for target in node.targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def receiver_root(node: ast.AST) -> Optional[str]:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def calls_of(tree: ast.Module, aliases: dict[str, str], foreign: set[str] = frozenset(),
             other_libraries: bool = False) -> Iterator[str]:
    """The unknown calls of one cell, as `pandas.eval` (a module call) or `.xs` / `.str.wrap` (a method call); with
    `other_libraries`, also every call of a library with no op table, as `(no table) torch.tensor`."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        parts = dotted_parts(node.func)
        if parts is not None and parts[0] in aliases:
            resolved = aliases[parts[0]].split(".") + parts[1:]
            decided = module_call_decided(".".join(resolved))
            if decided is False:
                yield ".".join(resolved)
            elif decided is None and other_libraries and resolved[0] not in sys.stdlib_module_names \
                    and resolved[0] not in kb.BUILTIN_NAMES:
                yield "(no table) " + ".".join(resolved)
            continue
        if not isinstance(node.func, ast.Attribute) or (parts is not None and len(parts) == 1):
            continue
        method, receiver = node.func.attr, node.func.value
        if method.startswith("_") or receiver_root(receiver) in foreign:
            continue
        root = receiver_root(receiver)
        if root in aliases and aliases[root].split(".")[0] not in LIBRARIES:
            continue  # plt.gca().set_xlabel(...), os.path.join(...): another library's objects
        if isinstance(receiver, ast.Attribute) and receiver.attr in ACCESSOR_TABLES:
            if method not in ACCESSOR_TABLES[receiver.attr] and method not in PYTHON_TYPE_METHODS | KNOWN_METHODS:
                yield f".{receiver.attr}.{method}"
            continue
        if isinstance(receiver, (ast.Constant, ast.JoinedStr, ast.List, ast.Dict, ast.Set, ast.Tuple)):
            continue  # "a,b".split(","), [1, 2].index(1): Python's own types
        if method not in KNOWN_METHODS and method not in PYTHON_TYPE_METHODS:
            yield f".{method}"


def harvest(limit: Optional[int] = None, mirror: Path = MIRROR,
            other_libraries: bool = False) -> tuple[Counter, dict[str, list[str]], int]:
    """(notebooks using each unknown call, up to 5 example notebooks per call, notebooks read)."""
    per_call: Counter = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    read = 0
    for repo, git_dir in snapshot_dirs(blind_repositories(), mirror):
        for path, notebook in notebooks_of(git_dir):
            trees = [tree for tree in map(parse, code_cells(notebook)) if tree is not None]
            if not trees:
                continue
            read += 1
            aliases = imports_of(trees)
            foreign = foreign_names(trees, aliases)
            used = {call for tree in trees for call in calls_of(tree, aliases, foreign, other_libraries)}
            for call in used:
                per_call[call] += 1
                if len(examples[call]) < 5:
                    examples[call].append(f"{repo}:{path}")
            if limit and read >= limit:
                return per_call, examples, read
    return per_call, examples, read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=200)
    parser.add_argument("--limit", type=int, help="stop after this many notebooks")
    parser.add_argument("--json", help="write every unknown call's count and example notebooks here")
    parser.add_argument("--other-libraries", action="store_true",
                        help="also count the calls of libraries with no op table (`(no table) torch.tensor`)")
    options = parser.parse_args()
    per_call, examples, read = harvest(options.limit, other_libraries=options.other_libraries)
    print(f"{read} notebooks read (blind repositories excluded); {len(per_call)} unknown calls")
    # ties by name: Counter.most_common keeps first-seen order, which follows set iteration and so the hash seed
    ranked = sorted(per_call.items(), key=lambda item: (-item[1], item[0]))
    for rank, (call, count) in enumerate(ranked[:options.top], 1):
        print(f"{rank:4} {count:5}  {call}")
    if options.json:
        Path(options.json).write_text(json.dumps({"notebooks": read, "calls": [
            {"call": call, "notebooks": count, "examples": examples[call]} for call, count in ranked]},
            indent=1))


if __name__ == "__main__":
    main()
