"""The cooperative's books: from the cash collected to what reaches each family.

Every function works on arrays whose last axis is the accounting month and whose leading
axes (if any) are scenario paths, so one call books thousands of Monte Carlo paths at
once. Only the ledger loops over months, because interest on last month's holdings makes
each month depend on the one before; nothing loops over paths.

The package, in the order money flows:

``specs``
    The inputs, immutable and checked: :class:`~solarcoop.books.specs.Costs`,
    :class:`~solarcoop.books.specs.Cooperative` (taxes, reserves, distribution and
    settlement rules), :class:`~solarcoop.books.specs.MemberClass`,
    :class:`~solarcoop.books.specs.CooperativeDebt` and
    :class:`~solarcoop.books.specs.Funding`.
``capital``
    The plant's money that does not depend on the month before: its cost
    (``capital_cost_rial``), who paid for it (``funding_sources``), its running costs and their price index, its depreciation,
    the inverter replacement and its reserve, the end of life (and the bills still owed
    then), the cooperative's debt, the cash available to service it and its cover (DSCR).
``rules``
    One pure rule each for a month of the books, each with a doctest and ``out=``:
    ``deposit_interest``, ``tax_on_account``, ``appropriations`` (the Cooperative Sector
    Law's reserves and fee), ``reserve_draw``, ``cumulative_distribution`` and
    ``true_up_split`` (a payout into the true-up of closed years and an advance).
``ledger``
    ``book_months``: one short loop over months that calls those rules on a
    ``LedgerState`` (the running totals of all paths), in five steps a month (``earn``,
    ``pay_tax``, ``appropriate``, ``net_cash``, ``distribute``) and ``close_year`` at
    each fiscal year's end, and ``BOOK_LINES``,
    the lines it returns (declared in :mod:`solarcoop.lines`).
``statements``
    The income statement, balance sheet and cash-flow statement of each fiscal year,
    built from the monthly lines (``Result.statements``), and the balance sheet at the
    end of every month.
``members``
    The member classes, the shares they hold (``shares_held``), their share loans, the families' and the sponsor's parts of the
    distribution, and each family's payout after its instalment (arrears or paid from
    its pocket).

A new rule of the month goes in ``rules`` (with its doctest) and is called from one step
of ``ledger``; ``tests/test_books.py`` checks that ``book_months`` equals composing the
rules month by month.
"""
