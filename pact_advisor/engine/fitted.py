"""The engine's fitted models as plain arrays, and back: nothing stored can run code.

Each model is a frozen dataclass of NumPy arrays (and, for the ranker, a float); its arrays
are stored under its name and the field's (``ranker.weights``, ``classifier.bias``...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

import numpy as np

from pact_advisor.engine.classify import ItemClassifier
from pact_advisor.engine.learn import LinearModel, SmallNetwork

#: The kind of each model, by the name it is stored under.
MODELS: dict[str, type] = {
    "ranker": LinearModel,
    "coverage": SmallNetwork,
    "classifier": ItemClassifier,
}


def model_arrays(models: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The arrays of every model that was fitted (a model left out or None stores nothing)."""
    return {
        f"{name}.{f.name}": np.asarray(getattr(model, f.name))
        for name, model in models.items()
        if model is not None
        for f in fields(model)
    }


def models_from(arrays: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """Each model of :data:`MODELS` rebuilt from ``arrays``, or None where none was stored."""
    return {name: _model(kind, arrays, f"{name}.") for name, kind in MODELS.items()}


def _model(kind: type, arrays: Mapping[str, np.ndarray], prefix: str) -> Any:
    names = [f.name for f in fields(kind)]
    if f"{prefix}{names[0]}" not in arrays:
        return None
    values = {name: arrays[prefix + name] for name in names}
    if kind is LinearModel:
        values["bias"] = float(values["bias"])
    return kind(**values)
