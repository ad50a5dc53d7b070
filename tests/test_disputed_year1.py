"""The facts that decide year 1, as readings: the indexation's base date."""

import numpy as np
import pytest

import solarcoop as sc
from solarcoop import InputError, disputed
from solarcoop.calendar import accounting_months
from solarcoop.tariff import (
    GuaranteedPurchaseTariff,
    guaranteed_price_by_path,
    indexation_coefficient,
    price_rial_per_kwh,
)

MONTHLY_EURO_GROWTH = 1.03
"""The euro's growth in these cases: 3 % a month [-]."""


def _indices(n_months):
    months = accounting_months("2026-03-21", n_months)
    fx = MONTHLY_EURO_GROWTH ** np.arange(n_months)
    cpi = 1.02 ** np.arange(n_months)
    return months, cpi, fx


def test_the_contract_year_pays_the_base_price_in_year_1_and_indexes_later_years_from_it():
    months, cpi, fx = _indices(36)
    coefficient = indexation_coefficient(0.2, months, cpi, fx, base="contract_year")
    np.testing.assert_array_equal(coefficient[:12], 1.0)
    # month 12 (year 2): the euro over months 1..12 against months 0..11 is one month's growth
    # up, i.e. 1.03; CPI at the start of year 2 against the start of year 1 is 1.02 ** 12
    expected = 0.2 * 1.02**12 + 0.8 * MONTHLY_EURO_GROWTH
    assert coefficient[12] == pytest.approx(round(expected, 5), abs=1e-12)
    # month 35: the euro over months 24..35 against months 0..11: 24 months' growth
    assert coefficient[35] == pytest.approx(round(0.2 * 1.02**24 + 0.8 * MONTHLY_EURO_GROWTH**24, 5), abs=1e-12)


def test_the_start_of_operation_indexes_year_1_against_the_year_before():
    months, cpi, fx = _indices(36)
    start = indexation_coefficient(0.2, months, cpi, fx, base="operation_start")
    contract = indexation_coefficient(0.2, months, cpi, fx, base="contract_year")
    # the euro before operation extrapolated at 3 % a month: month 0's window is months -11..0,
    # against months -12..-1: one month's growth
    assert start[0] == pytest.approx(round(0.2 + 0.8 * MONTHLY_EURO_GROWTH, 5), abs=1e-12)
    assert (start[:12] > 1).all()
    # later, the operation's base is a year of euro growth below the contract year's
    np.testing.assert_allclose(start[12:], np.round(0.2 * cpi[12 * (months["operating_year"].to_numpy()[12:] - 1)]
                               + 0.8 * MONTHLY_EURO_GROWTH ** (np.arange(12, 36) + 1), 5))  # fmt: skip
    assert (contract[12:] < start[12:]).all()
    with pytest.raises(InputError, match="base = 'signing'"):
        indexation_coefficient(0.2, months, cpi, fx, base="signing")


def test_paths_priced_together_have_each_their_own_base():
    months, cpi, fx = _indices(30)
    contracts = [GuaranteedPurchaseTariff(indexation_base=base) for base in ("operation_start", "contract_year")]
    which = np.array([1, 0, 1])
    together = guaranteed_price_by_path(contracts, which, months, np.tile(cpi, (3, 1)), np.tile(fx, (3, 1)))
    for path, index in enumerate(which):
        alone = price_rial_per_kwh(contracts[index], months, cpi, fx)
        np.testing.assert_array_equal(together[path], alone)


def test_the_indexation_base_reading_is_the_start_of_operation_in_the_baseline():
    item = disputed.reading("indexation_base")
    assert item.central == "operation_start"
    assert [a.name for a in item.alternatives] == ["contract_year", "operation_start"]
    assert [a.probability for a in item.alternatives] == [0.4, 0.6]
    assert all(a.source and a.reason for a in item.alternatives)
    base = sc.qom_baseline().with_changes({"lifetime_years": 2})
    assert base.tariff.indexation_base == "operation_start"
    assert not disputed.differs_from_central(base, "indexation_base")
    contract = disputed.apply(base, "indexation_base", "contract_year")
    assert contract.tariff.indexation_base == "contract_year"
    assert disputed.differs_from_central(contract, "indexation_base")
    # the contract year pays the base price in year 1; from the start of operation the rising euro lifts it
    price = sc.simulate(contract).monthly["price_rial_per_kwh"].to_numpy()[:12]
    np.testing.assert_allclose(price, base.tariff.base_price_rial_per_kwh, rtol=1e-12)
    early = sc.simulate(base).annual["revenue_billed_rial"].to_numpy()
    late = sc.simulate(contract).annual["revenue_billed_rial"].to_numpy()
    assert (early > late).all()
