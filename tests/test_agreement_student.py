"""The t quantile of the analytic intervals agrees with scipy's to the last digits."""

import numpy as np
import pytest
from scipy.special import stdtrit

from slqual.agreement.student import LARGE, t_quantile


@pytest.mark.parametrize("p", [0.975, 0.95, 0.995])
def test_t_quantile_matches_scipy(p):
    df = np.concatenate([np.arange(1, 80), np.arange(80, 2 * LARGE, 37), [LARGE - 1, LARGE, 49_999, 10**6]])
    ours = t_quantile(df, p)
    assert ours == pytest.approx(stdtrit(df, p), rel=1e-12)


def test_t_quantile_keeps_the_shape_and_refuses_what_it_cannot_do():
    assert t_quantile(np.array([[3.0, 3.0], [10.0, 1.0]]), 0.975).shape == (2, 2)
    with pytest.raises(ValueError):
        t_quantile(np.array([2.5]), 0.975)
    with pytest.raises(ValueError):
        t_quantile(np.array([0.0]), 0.975)
