"""The coverage model's training weights: one prior whatever the number of examples."""

from __future__ import annotations

import numpy as np

from pact_advisor.engine.learn import COVERED_SHARE, class_weights, fit_coverage


def test_covered_messages_carry_the_same_share_whatever_their_number():
    for covered_count in (50, 600, 2000):
        covered = np.r_[np.ones(covered_count), np.zeros(900)]
        weights = class_weights(covered)
        assert np.isclose(weights.mean(), 1.0)
        assert np.isclose(weights[covered == 1].sum() / weights.sum(), COVERED_SHARE)


def test_a_sample_of_the_examples_does_not_move_the_models_prior():
    rng = np.random.default_rng(0)

    # Two overlapping clouds: how sure the model is in between depends on the prior alone.
    def cloud(n, centre):
        return rng.normal(centre, 1.0, size=(n, 2))

    negatives = cloud(400, -1.0)
    middle = np.zeros((1, 2))
    probabilities = []
    for n in (200, 1600):
        x = np.r_[cloud(n, 1.0), negatives]
        covered = np.r_[np.ones(n), np.zeros(len(negatives))]
        probabilities.append(fit_coverage(x, covered).probability(middle)[0])
    assert abs(probabilities[0] - probabilities[1]) < 0.1
    assert 0.5 < probabilities[0] < 0.9  # the prior leans to covered, as COVERED_SHARE does
