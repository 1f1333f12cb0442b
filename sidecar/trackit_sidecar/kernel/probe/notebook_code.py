"""Which objects run the notebook's own code when used: a function or class a cell defined, or one of a module the
notebook has beside it (its file outside the Python installation: not the standard library's, not an installed
package's), an instance of such a class, such a module itself. That code can write any object, also a frame the cell
only reads under another name (`mymod.clean()`, `mymod.df.loc[0, "a"] = -1` with `df` the module's frame): a cell
that uses it reads nothing only (read_only). A library's code is taken to write only what it is given and the object
whose method it is (read_only's reading of the cell's code)."""

from __future__ import annotations

import os
import sys
import types

# top package name -> whether its code is the notebook's own (a module's file does not move once imported)
_NOTEBOOK_MODULES: dict[str, bool] = {}
_installation: tuple[str, ...] | None = None


def notebook_defined(obj, user_ns: dict) -> bool:
    """Whether obj is a function or class of the notebook's own code (a cell's, or a notebook module's), an instance of
    such a class (or of a subclass of one), a bound method or functools.partial of such a function, or a notebook
    module. Reads no attribute a class or module could compute (a property, `__getattr__` run user code): a
    function's globals, classes' and modules' own __dict__. Limit: a library class given a notebook function as a
    method is not seen."""
    if isinstance(obj, types.ModuleType):
        return _notebook_module(obj)
    if isinstance(obj, types.MethodType):
        obj = obj.__func__
    if type(obj).__name__ == "partial" and type(obj).__module__ == "functools":
        obj = obj.func
    if isinstance(obj, types.FunctionType):
        return obj.__globals__ is user_ns or _named_notebook_module(obj.__globals__.get("__name__"))
    cells_module = user_ns.get("__name__", "__main__")  # what a class defined in a cell has as __module__
    cls = obj if isinstance(obj, type) else type(obj)
    for klass in cls.__mro__:
        module = vars(klass).get("__module__")
        if module == cells_module or _named_notebook_module(module):
            return True
    return False


def _named_notebook_module(name) -> bool:
    """Whether the loaded module of this name is the notebook's own (a name no module is loaded under: a library's
    class or function made under another module's name)."""
    if type(name) is not str:
        return False
    root = name.partition(".")[0]
    known = _NOTEBOOK_MODULES.get(root)
    if known is None:
        module = sys.modules.get(root)
        if not isinstance(module, types.ModuleType):
            return False
        known = _notebook_module(module)
    return known


def _notebook_module(module: types.ModuleType) -> bool:
    """Whether a module is the notebook's own: judged by its top package (loaded whenever one of its modules is), once:
    an installed package's modules are all installed, and the notebook's own package is all its own."""
    name = vars(module).get("__name__")
    root = name.partition(".")[0] if type(name) is str else None
    top = sys.modules.get(root) if root is not None else None
    if not isinstance(top, types.ModuleType):  # a module made outside the import system: judged alone, not kept
        return not _installed(module)
    known = _NOTEBOOK_MODULES.get(root)
    if known is None:
        known = _NOTEBOOK_MODULES[root] = not _installed(top)
    return known


def _installed(module: types.ModuleType) -> bool:
    """Whether a module's code is the Python installation's: built in, or its files (a namespace package's folders)
    under the standard library's or the installed packages' folders."""
    own = vars(module)
    places = [own.get("__file__")] if own.get("__file__") is not None else list(own.get("__path__") or ())
    if not places:
        return own.get("__name__") != "__main__"  # built in or frozen; the notebook's namespace is never a library's
    folders = installation_folders()
    # a module's file is seldom reached through a link: resolved only when its path is under no folder as given
    return all(type(place) is str and (place.startswith(folders) or os.path.realpath(place).startswith(folders))
               for place in places)


def installation_folders() -> tuple[str, ...]:
    """The standard library's folder (os's: `sysconfig.get_paths()` costs ~1 ms once) and the installed packages'."""
    global _installation
    if _installation is None:
        import site

        folders = {os.path.dirname(os.__file__), *site.getsitepackages(), site.getusersitepackages()}
        _installation = tuple({os.path.join(resolve(folder), "") for folder in folders if folder
                               for resolve in (os.path.abspath, os.path.realpath)})
    return _installation
