"""The document matrices a few texts are scored against by gathers."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from pact_advisor.engine.vectors import Documents, dense_product


def _documents(seed: int, features: int, size: int) -> Documents:
    matrix = sp.random(features, size, density=0.3, format="csr", random_state=seed)
    return Documents(matrix.indptr, matrix.indices, matrix.data.astype(np.float32), size)


def test_a_gather_scores_as_the_sparse_product_does():
    docs = _documents(0, 40, 25)
    query = sp.random(3, 40, density=0.4, format="csr", random_state=1)
    expected = (query @ docs.matrix).toarray()
    got = docs.gather(query.indptr, query.indices, query.data)
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_a_dense_product_is_the_sparse_product_to_the_last_bit():
    rng = np.random.default_rng(4)
    for seed in range(20):
        rows, inner, columns = (int(x) for x in rng.integers(1, 80, size=3))
        density = float(rng.uniform(0.01, 0.5))
        a = sp.random(rows, inner, density=density, format="csr", random_state=seed)
        b = sp.random(inner, columns, density=density, format="csr", random_state=seed + 50)
        a, b = a.astype(np.float32), b.astype(np.float32)
        expected = (a @ b).toarray()
        got = dense_product(a, b)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


def test_two_matrices_stacked_and_split_again_are_views_of_one():
    words, letters = _documents(2, 30, 12), _documents(3, 50, 12)
    both = Documents.stacked(words, letters)
    first, second = both.split(30)
    for original, part in ((words, first), (letters, second)):
        np.testing.assert_array_equal(part.indptr, original.indptr)
        np.testing.assert_array_equal(part.indices, original.indices)
        np.testing.assert_array_equal(part.data, original.data)
    # Only the second part's offsets are new: the entries are the stacked matrix's own.
    assert np.shares_memory(first.data, both.data) and np.shares_memory(second.data, both.data)
    assert np.shares_memory(second.indices, both.indices)
