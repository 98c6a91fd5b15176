"""The item classifier: its margins as arrays are scikit-learn's, its out-of-fold margins
never come from a model that saw the example, and it travels with the start-up cache."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from pact_advisor.engine import Engine
from pact_advisor.engine.classify import (
    NO_EXAMPLES,
    fit_classifier,
    folds_of,
    message_rows,
    out_of_fold,
)
from pact_advisor.engine.index import IndexConfig
from pact_advisor.knowledge import Guidance


def _toy(seed: int = 0, n: int = 60, features: int = 30):
    rng = np.random.default_rng(seed)
    owners = np.repeat(np.arange(3), n // 3)
    dense = rng.random((n, features)) * (rng.random((n, features)) < 0.2)
    dense[np.arange(n), owners * 5] += 1.0  # each item has a telling feature
    return sp.csr_matrix(dense), owners


def test_margins_from_the_stored_arrays_are_scikit_learns_decisions() -> None:
    from sklearn.svm import LinearSVC

    x, owners = _toy()
    model = fit_classifier(x, owners, 4, c=0.5)
    assert model is not None
    reference = LinearSVC(C=0.5, random_state=0).fit(x, owners).decision_function(x)
    margins = model.margins(x.indptr, x.indices, x.data)
    # The weights are kept in half precision: a margin moves by thousandths, never more.
    np.testing.assert_allclose(margins[:, :3], reference, atol=5e-3)
    assert np.all(margins[:, 3] == NO_EXAMPLES)  # an item without examples is never chosen
    assert (margins.argmax(axis=1) == owners).mean() > 0.9


def test_a_message_split_into_words_and_letters_scores_as_its_whole_row() -> None:
    x, owners = _toy(features=40)
    model = fit_classifier(x, owners, 3, c=0.5)
    # The same rows as 2 x n texts: features below 20 as "words", the rest as "letters".
    words, letters = x[:, :20].tocsr(), x[:, 20:].tocsr()
    indptr = np.concatenate([words.indptr, letters.indptr[1:] + words.indptr[-1]])
    columns = np.concatenate([words.indices, letters.indices + 20])
    values = np.concatenate([words.data, letters.data])
    np.testing.assert_allclose(
        model.message_margins(indptr, columns, values), model.margins(x.indptr, x.indices, x.data)
    )
    rows = message_rows(indptr, columns, values, 40)
    np.testing.assert_allclose(rows.toarray(), x.toarray())


def test_out_of_fold_margins_come_from_models_that_never_saw_the_example() -> None:
    x, owners = _toy(n=90)
    fold = folds_of(owners)
    assert sorted(np.bincount(fold).tolist()) == [18] * 5
    for owner in range(3):  # every fold holds a share of every item
        assert len(set(fold[owners == owner].tolist())) == 5
    held = fold == 0
    alone = fit_classifier(x[~held], owners[~held], 3, c=0.5)
    expected = alone.margins(x[held].indptr, x[held].indices, x[held].data)
    np.testing.assert_allclose(out_of_fold(x, owners, 3, c=0.5)[held], expected)


def test_a_single_item_with_examples_gets_no_classifier() -> None:
    x, _ = _toy()
    assert fit_classifier(x, np.zeros(x.shape[0], dtype=int), 3, c=0.5) is None


def test_two_items_give_opposite_margins() -> None:
    x, owners = _toy()
    two = owners[owners < 2]
    model = fit_classifier(x[owners < 2], two, 2, c=0.5)
    part = x[owners < 2]
    margins = model.margins(part.indptr, part.indices, part.data)
    np.testing.assert_allclose(margins[:, 0], -margins[:, 1])
    assert (margins.argmax(axis=1) == two).mean() > 0.9


@pytest.fixture(scope="module")
def without(guidance: Guidance) -> Engine:
    return Engine(guidance, IndexConfig(use_classifier=False))


def _margins(engine: Engine, message: str) -> np.ndarray:
    index = engine.index
    texts = index.space.analyzer.texts(index.read(message))
    return index.classifier.message_margins(*index.space.whole_vectors([texts]))[0]


@pytest.mark.parametrize(
    ("message", "reads_like"),
    [
        ("Can you draft the opening remarks for our Talent Partnership launch event?", None),
        ("Rédige-moi un courriel de relance pour les membres du comité de pilotage", None),
        ("Is my fixed-term contract renewed automatically when the project is extended?", None),
        ("what should a mobility partnership build on so that it lasts?", "success-factors"),
        ("¿cómo se apoya a las redes de la diáspora?", "diaspora"),
    ],
)
def test_the_uncovered_messages_are_a_class_of_their_own(
    engine: Engine, message: str, reads_like: str | None
) -> None:
    margins = _margins(engine, message)
    assert len(margins) == len(engine.index.items) + 1
    best = int(margins.argmax())
    if reads_like is None:  # the last class: the pool of messages the guidance does not cover
        assert best == len(engine.index.items)
    else:
        assert engine.index.items[best].collection == reads_like


def test_the_classifier_is_stored_with_the_engine_and_restored(engine: Engine) -> None:
    arrays, _ = engine.state()
    assert arrays["classifier.weights"].shape == (
        engine.index.space.vocabulary_size,
        len(engine.index.items) + 1,
    )
    restored = Engine(engine.guidance, state=engine.state())
    question = "we're about to copy our Morocco partnership model word for word to Mauritania"
    assert [m.id for m in restored.ask(question).matches] == [
        m.id for m in engine.ask(question).matches
    ]


def test_switched_off_the_engine_still_answers_and_says_nothing_of_examples(
    without: Engine,
) -> None:
    assert without.index.classifier is None
    assert "classifier.weights" not in without.state()[0]
    result = without.ask("what are the success factors of a partnership?")
    assert result.answered
    assert all("reads like its examples" not in " ".join(m.why) for m in result.matches)
