"""The two small models the engine learns from the guidance itself.

* The **ranker** scores (message, item) pairs. It is a logistic model over pairwise
  differences (the right item against each other item for the same message), trained on the
  items' own example questions, each one left out of the example pool it is compared with.
* The **coverage model** answers "does the guidance cover this?" from the ranker's scores and
  the message's own evidence. Positives are the examples again; negatives are the pool in
  ``guidance/negatives.yaml`` (small talk, admin, coding, injection attempts, near-domain
  migration questions the guidance does not cover).

Both are fitted with scikit-learn when the guidance changes and kept as plain NumPy arrays:
answering is a dot product. Both also read the item classifier's margins
(:mod:`pact_advisor.engine.classify`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COVERAGE_FEATURES: tuple[str, ...] = (
    "top score",
    "margin to the second",
    "top probability",
    "length",
    "top score x length",
    "known words share",
    "known words",
    "known words share, French or Spanish",
    "French or Spanish",
    "question known words share",
    "known words share, typos allowed",
    "content words",
    "rare words shared with the top item",
    "question words in the top item",
    "message words in the top item",
    "out-of-scope subjects",
    "out-of-scope subjects anywhere in the message",
    "asks to produce something",
    "refers to the guidance",
    "vague question",
    "asks for a specific fact",
    "best question similarity",
    "best letter similarity",
    "names a collection",
    "classifier's best margin",
    "classifier's margin to its second",
    "top item against the classifier's best",
    "reads like the uncovered messages",
)


@dataclass(frozen=True)
class LinearModel:
    """Standardise, then a weighted sum: ``((x - mean) / scale) @ weights + bias``."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float = 0.0

    def decision(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Each feature's share of the decision, for explaining it."""
        return ((x - self.mean) / self.scale) * self.weights


def _standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    return mean, np.where(scale > 1e-9, scale, 1.0)


def fit_ranker(x: np.ndarray, right: np.ndarray, *, c: float = 1.0) -> LinearModel:
    """``x``: (messages, items, features); ``right``: the right item of each message."""
    from sklearn.linear_model import LogisticRegression

    n, items, _ = x.shape
    flat = x.reshape(n * items, -1)
    mean, scale = _standardiser(flat)
    z = (x - mean) / scale
    positive = z[np.arange(n), right][:, None, :]  # (n, 1, f)
    others = np.ones((n, items), dtype=bool)
    others[np.arange(n), right] = False
    diffs = (positive - z)[others]  # (n * (items - 1), f)
    pairs = np.concatenate([diffs, -diffs])
    labels = np.concatenate([np.ones(len(diffs)), np.zeros(len(diffs))])
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=2000).fit(pairs, labels)
    return LinearModel(mean, scale, model.coef_[0].astype(np.float64))


@dataclass(frozen=True)
class SmallNetwork:
    """Small networks of one hidden ReLU layer and a logistic output, as plain arrays; their
    probabilities are averaged (``hidden``: (networks, features, units))."""

    mean: np.ndarray
    scale: np.ndarray
    hidden: np.ndarray
    hidden_bias: np.ndarray
    output: np.ndarray
    output_bias: np.ndarray

    def probability(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.scale
        h = np.maximum(np.einsum("nf,kfu->knu", z, self.hidden) + self.hidden_bias[:, None], 0.0)
        logits = np.einsum("knu,ku->kn", h, self.output) + self.output_bias[:, None]
        return sigmoid(logits).mean(axis=0)


#: Networks averaged in the coverage model (each from its own fixed seed).
NETWORKS = 3


#: Share of the coverage model's training weight carried by covered messages (the items'
#: examples), whatever the number of examples: a guidance with few examples, or a large one
#: whose examples are sampled, meets the same prior, so the answer threshold calibrated on
#: the dev splits keeps its meaning. About the bundled guidance's own proportion.
COVERED_SHARE = 0.7


def class_weights(covered: np.ndarray, share: float = COVERED_SHARE) -> np.ndarray:
    """Per-message weights, mean 1, under which covered messages carry ``share`` of the
    total."""
    covered = np.asarray(covered, dtype=bool)
    n, n_covered = len(covered), int(covered.sum())
    if n_covered in (0, n):
        return np.ones(n)
    return np.where(covered, share * n / n_covered, (1 - share) * n / (n - n_covered))


def fit_coverage(x: np.ndarray, covered: np.ndarray, *, alpha: float = 3.0) -> SmallNetwork:
    """The coverage model: small networks, since its evidence interacts (a short message
    whose few words are all known is covered only if the ranker is also sure), averaged so
    that no single initialisation decides; trained under :func:`class_weights`.

    ``alpha`` is the L2 penalty; the seeds are fixed, so the same guidance fits the same model.
    """
    from sklearn.neural_network import MLPClassifier

    mean, scale = _standardiser(x)
    z = (x - mean) / scale
    weights = class_weights(covered)
    fitted = [
        MLPClassifier((32,), alpha=alpha, max_iter=3000, random_state=seed).fit(
            z, covered, sample_weight=weights
        )
        for seed in range(NETWORKS)
    ]
    return SmallNetwork(
        mean,
        scale,
        np.stack([m.coefs_[0] for m in fitted]),
        np.stack([m.intercepts_[0] for m in fitted]),
        np.stack([m.coefs_[1][:, 0] for m in fitted]),
        np.array([m.intercepts_[1][0] for m in fitted]),
    )


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))
