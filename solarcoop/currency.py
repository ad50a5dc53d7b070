"""Rial and toman at the edges.

All money inside solarcoop is in rial; names end in ``_rial``. Iranians often speak in
toman (1 toman = 10 rial): these two helpers are the only places where the factor of
ten appears.
"""

from __future__ import annotations

import numpy as np

RIAL_PER_TOMAN = 10


def toman(amount_toman):
    """Convert toman to rial.

    Parameters
    ----------
    amount_toman : float or array_like
        An amount [toman].

    Returns
    -------
    float or numpy.ndarray
        The same amount [rial].

    Examples
    --------
    What is a family's 150-million-toman share loan in rial?

    >>> toman(150e6)
    1500000000.0
    """
    return _same_kind(np.multiply(amount_toman, RIAL_PER_TOMAN, dtype=float))


def rial_to_toman(amount_rial):
    """Convert rial to toman (for labels and tables only).

    >>> rial_to_toman(50e6)
    5000000.0
    """
    return _same_kind(np.divide(amount_rial, RIAL_PER_TOMAN, dtype=float))


def _same_kind(array: np.ndarray):
    """A Python float for a scalar, the array otherwise."""
    return float(array) if array.ndim == 0 else array
