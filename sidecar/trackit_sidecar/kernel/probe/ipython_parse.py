"""IPython's own parse of a cell, kept as the probe's (cell_source.keep_parsed): IPython parses every cell it runs, and
the probe read the same code again after it (read_only, ~1-2 ms a Run All of a notebook, in the cells' time).

Its tree is the probe's only when it is the one ast.parse makes of that code and nothing changes it before the probe
reads it: IPython's CachingCompiler (ipykernel's subclass included) with no flag but its defaults (_DEFAULT_FLAGS; a
`from __future__` import a cell ran adds one: then the probe parses), no AST transformer (they change the tree in
place, and IPython then walks it: fix_missing_locations), and an interactivity that does not append to the cell's
statements ('last_expr_or_assign'). Checked equal to ast.parse on every code cell of the corpus (kern25). Any other
case: not kept, and the probe parses the code itself, as before."""

from __future__ import annotations

import codeop
import sys

from .cell_source import keep_parsed

# The flags IPython's compiler starts with (codeop.Compile's; reset_compiler_flags sets the first alone): they change
# how incomplete code fails, not the tree of code that parses (checked on the corpus with each). Any other: a future
# import.
_DEFAULT_FLAGS = codeop.PyCF_DONT_IMPLY_DEDENT | getattr(codeop, "PyCF_ALLOW_INCOMPLETE_INPUT", 0)


def reuse_ipython_parse(shell) -> bool:
    """Keep the trees of the cells `shell` parses from now on; False if its compiler is not IPython's own (or is
    already wrapped by someone else): then nothing is changed."""
    compiler = getattr(shell, "compile", None)
    caching = getattr(sys.modules.get("IPython.core.compilerop"), "CachingCompiler", None)
    if caching is None or not isinstance(compiler, caching) or type(compiler).ast_parse is not caching.ast_parse \
            or "ast_parse" in vars(compiler):
        return False
    ast_parse = caching.ast_parse

    def keeping_ast_parse(source, filename="<unknown>", symbol="exec"):
        tree = ast_parse(compiler, source, filename, symbol)
        try:
            if symbol == "exec" and type(source) is str and not compiler.flags & ~_DEFAULT_FLAGS \
                    and not shell.ast_transformers and shell.ast_node_interactivity != "last_expr_or_assign":
                keep_parsed(source, tree)
        except Exception:  # never into the user's cell: the probe parses the code itself
            pass
        return tree

    keeping_ast_parse.trackit_keeps = True
    compiler.ast_parse = keeping_ast_parse
    return True


def stop_reusing(shell) -> None:
    """Undo reuse_ipython_parse (the probe uninstalled, or replaced by another build's)."""
    compiler = getattr(shell, "compile", None)
    if compiler is not None and getattr(vars(compiler).get("ast_parse"), "trackit_keeps", False):
        del compiler.ast_parse
