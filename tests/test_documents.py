"""The document matrices a few texts are scored against by gathers."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from pact_advisor.engine.vectors import Documents, Rows, dense_product


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


def test_candidate_rows_score_as_scipys_product_to_the_last_bit():
    rng = np.random.default_rng(7)
    for seed in range(20):
        count, features = (int(x) for x in rng.integers(2, 90, size=2))
        matrix = sp.random(
            count,
            features,
            density=float(rng.uniform(0.0, 0.4)),
            format="csr",
            random_state=seed,
            dtype=np.float32,
        )
        rows = Rows(matrix.indptr, matrix.indices, matrix.data, features)
        queries = rng.random((int(rng.integers(1, 2 * Rows.GATHERED)), features))
        queries[queries < 0.5] = 0.0
        cuts = np.sort(rng.choice(count + 1, size=4, replace=True))
        first, last = cuts[[0, 2]], cuts[[1, 3]]
        docs = np.concatenate([np.arange(f, g) for f, g in zip(first, last, strict=True)])
        expected = np.asarray(matrix[docs] @ queries.T).T
        got = rows.score_ranges(queries, first, last)
        assert got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)
