"""A local web app for a cooperative's board: open a scenario, change what is argued
about, see what a family gets and how sure it is, compare, take the files away.

Persian first, right to left; English a click away. It runs on this computer only
(127.0.0.1 by default), needs no network (its script, styles and the Vazirmatn font are
served from this package) and computes nothing of its own: every number comes from the
library's public functions. Start it with ``solarcoop app``; the server is
:func:`solarcoop.app.server.serve`.
"""
