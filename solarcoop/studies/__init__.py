"""What planners ask of a scenario beyond one run: many futures, grids of inputs, the
headline, the options a family has, and the months so far against the plan.

- :mod:`~solarcoop.studies.montecarlo`: futures drawn around every uncertain input;
- :mod:`~solarcoop.studies.sweeps`: portfolios, grids of inputs, sensitivity and goal seek;
- :mod:`~solarcoop.studies.streamed`: quantiles of runs too large to keep;
- :mod:`~solarcoop.studies.workers`: the worker processes a large run is split among;
- :mod:`~solarcoop.studies.headline`: the headline, computed once for every output;
- :mod:`~solarcoop.studies.options`: one family's choices side by side;
- :mod:`~solarcoop.studies.tracking`: actual months against the plan, and a forecast.

Every public name is also at the top level (``sc.monte_carlo``, ``sc.headline``, ...).
"""
