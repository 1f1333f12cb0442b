"""Methods of objects no library table describes as data: a text tokenizer (`tok.fit_on_texts(texts)`,
kb.models.TOKENIZER_METHOD_OPS), Keras' image generator (`datagen.flow_from_directory("train")`), and objects the
classifier knows nothing of, made by the notebook's own modules (`model.train(X, y)`: the step its name says,
CONVENTIONS 4b). Apart from library_methods.py, which looks a method up by its receiver's library table, because
these are read by what the object is named or made as, not by a table of its library."""

from __future__ import annotations

import ast
from typing import Optional

from ..kb import library_functions as kb_library_functions
from ..kb import models as kb_models
from ..kb import sources as kb_sources
from .function_calls import IMPORTED_LOADER_NAME
from .method_calls import LIBRARY_FUNCTION_NAMES
from .sklearn_rules import TEST_NAME
from .values import Op, Val, union


class ModelObjectMethodRules:
    """Mixin of `Cell` (through `CallRules`): methods of tokenizers, image generators and unknown model objects."""

    env: dict[str, str]

    def _unknown_model_method(self, recv: Val, method: str, node: ast.Call) -> Optional[Val]:
        """model.make_predictions(X), model.train(X, y) of an object the classifier knows nothing of (the notebook's
        own modules make it): a black box named for a model step is that step (CONVENTIONS 4b), as a helper function
        so named is, and one named for reading data loads; None when the name says no such step
        (kb.models.UNKNOWN_OBJECT_METHOD_OPS)."""
        if method in kb_models.TOKENIZER_METHOD_OPS:
            # tokenizer.fit_on_texts(texts): a vocabulary built, no model fitted; texts_to_sequences(texts): the
            # vectorizer's transform (kb.models.TOKENIZER_METHOD_OPS, CONVENTIONS 25)
            return self._tokenizer_method(method, node)
        if IMPORTED_LOADER_NAME.match(method) and method not in LIBRARY_FUNCTION_NAMES \
                and method not in kb_sources.HELD_OBJECT_GETTERS:
            # kepler = acquire.get_data(verbose=True): the project's own object named for reading data reads it, as a
            # helper function so named does (CONVENTIONS 4b; kb.sources.IMPORTED_LOADER_NAME)
            return self._imported_loader(method, self._args(node))
        # (fit_transform / transform of a notebook's own transformer take its op, CONVENTIONS 25: no model step)
        named = self.algorithm_op(method) if node.args and "transform" not in method else None
        if named is None and node.args and TEST_NAME.search(method):
            named = "evaluate"  # model.test(X_test, y_test): scored on held-out data, as a method named score is
        if named not in kb_models.UNKNOWN_OBJECT_METHOD_OPS:
            return None
        args = self._args(node)
        output = recv.base if named == "fit_model" else None
        return Val(ops=args.ops + [Op(named, list(args.inputs), [], method, output,
                                      facts={"method": method, "inferred_from": "helper_name"})],
                   inputs=union([recv.base] if recv.base and named != "fit_model" else [], args.inputs))

    def bind_text_tokenizer(self, call: ast.AST) -> None:
        """`tok.fit_on_texts(texts)` as a statement: `tok` is a text tokenizer (kb.models.TEXT_TOKENIZER_CLASS) from now
        on, also when what made it was not read as one, so `tok.word_index` is its vocabulary, no column picked."""
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) \
                and call.func.attr in kb_models.TOKENIZER_METHOD_OPS and kb_models.TOKENIZER_METHOD_OPS[call.func.attr] is None:
            self.env[call.func.value.id] = kb_models.TEXT_TOKENIZER_CLASS + "()"

    def _tokenizer_method(self, method: str, node: ast.Call) -> Val:
        """A text tokenizer's method (kb.models.TOKENIZER_METHOD_OPS): its op on the texts passed, none for the fit."""
        args = self._args(node)
        op = kb_models.TOKENIZER_METHOD_OPS[method]
        if op is None:
            return Val(ops=args.ops)
        return Val(ops=args.ops + [Op(op, list(args.inputs), [], method, facts={"method": method})],
                   inputs=list(args.inputs))

    def _image_generator_method(self, method: str, node: ast.Call) -> Val:
        """Keras' ImageDataGenerator (kb.library_functions.IMAGE_GENERATOR_METHOD_OPS): image files read from a
        directory or a frame's file names (a load), its statistics fitted or batches drawn while a model trains (none)."""
        args = self._args(node)
        if kb_library_functions.IMAGE_GENERATOR_METHOD_OPS[method] == "load":
            return Val(ops=args.ops + [Op("load", list(args.inputs), [], self._load_detail(node) or method,  # type: ignore[attr-defined]
                                          facts={"method": method})], kind=kb_library_functions.IMAGE_ITERATOR_KIND)
        return Val(ops=args.ops)
