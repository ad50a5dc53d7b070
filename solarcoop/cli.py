"""The ``solarcoop`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Nothing heavier than argparse at the top: ``solarcoop --help`` answers before numpy,
# pandas or pvlib load. Each command imports what it needs (InputError too:
# solarcoop._validation loads numpy).


def _load(args):
    """The scenario named by ``FILE`` or ``--scenario FILE`` (they must agree), else Qom's."""
    from solarcoop._validation import InputError
    from solarcoop.scenario import qom_baseline

    path = args.scenario
    if args.file is not None:
        if path is not None and path != args.file:
            raise InputError(
                f"two scenario files given: {args.file!r} and --scenario {path!r}; give one"
            )
        path = args.file
    if path is None:
        scenario = qom_baseline()
    else:
        from solarcoop.files import load_scenario

        scenario = load_scenario(path)
    changes = {}
    if getattr(args, "fill_gaps_hours", None) is not None:
        changes["weather_fill_gaps_hours"] = args.fill_gaps_hours
    if getattr(args, "accept_weather", None):
        changes["weather_accept"] = tuple(dict.fromkeys((*scenario.weather_accept, *args.accept_weather)))
    return scenario.with_changes(changes) if changes else scenario


def format_summary(result, lang: str = "en") -> str:
    """The single run's figures a person reads (:func:`solarcoop.present.headline.format_summary`)."""
    from solarcoop.present.headline import format_summary as summary_text

    return summary_text(result, lang)


def _print_findings(scenario, lang: str = "en") -> None:
    from solarcoop.engine import input_findings
    from solarcoop.findings import finding_text
    from solarcoop.present.locales import catalog

    for finding in input_findings(scenario):
        print(catalog(lang)["run_summary"]["note"].format(finding=finding_text(finding, lang)))


def _out(args) -> Path:
    """The output folder, checked before any computing (see :mod:`solarcoop._atomic`)."""
    from solarcoop._atomic import check_folder

    return check_folder(args.out, args.force)


def _wrote(written, lang: str = "en") -> None:
    """Print the files a command wrote, in the command's language."""
    from solarcoop.present.locales import catalog

    paths = [written] if isinstance(written, str | Path) else written
    print(catalog(lang)["command_line"]["wrote"].format(paths=", ".join(str(path) for path in paths)))


def _write(out: Path, writers: dict, force: bool, lang: str = "en") -> None:
    from solarcoop._atomic import write_folder

    _wrote(write_folder(out, writers, force), lang)


def _chart_writer(chart, result):
    def write(path: Path) -> None:
        import matplotlib.pyplot as plt

        ax = chart(result)
        try:
            ax.figure.savefig(path, format="png", dpi=120)
        finally:
            plt.close(ax.figure)

    return write


def _table_writer(frame, index: bool = True):
    return lambda path: frame.to_csv(path, index=index)


def _run(args) -> int:
    from solarcoop.present import plots
    from solarcoop.studies.headline import headline

    out = _out(args)
    scenario = _load(args)
    lead = headline(scenario, n_paths=args.paths, seed=args.seed, progress=True) if args.paths else None
    from solarcoop.present.locales import catalog

    words = catalog(args.lang)["run_summary"]
    if lead is not None:
        print(lead.to_text(args.lang))
        print()
        print(words["lead"])
        result = lead.single_run
    else:
        from solarcoop.engine import simulate

        result = simulate(scenario)
    print(format_summary(result, args.lang))
    from solarcoop.findings import finding_text

    for finding in result.findings:
        print(words["note"].format(finding=finding_text(finding, lang=args.lang)))
    writers = {"monthly.csv": _table_writer(result.monthly, index=False)}
    if lead is not None:
        writers["headline.csv"] = _table_writer(lead.table)
        writers["headline_debt.csv"] = _table_writer(lead.debt.table())
    writers["payout.png"] = _chart_writer(plots.monthly_payout, result)
    writers["energy.png"] = _chart_writer(plots.monthly_energy, result)
    _write(out, writers, args.force, getattr(args, "lang", "en"))
    return 0


def _parse_value(text: str):
    """A command-line value: a number if it reads as one (Persian digits, the Persian
    decimal separator and a trailing percent sign are read), else the text."""
    from solarcoop._validation import typed_number

    return typed_number(text)


def _parse_grid(items: list[str]) -> dict:
    """``--vary PATH=V1,V2`` options as a grid; a path given twice has its values merged."""
    from solarcoop._validation import InputError

    grid: dict[str, list] = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"--vary {item!r}: write PATH=V1,V2,... (for example tariff.base_price_rial_per_kwh=40000,50000)")
        path, values = (part.strip() for part in item.split("=", 1))
        parsed = [_parse_value(v.strip()) for v in values.split(",") if v.strip()]
        if not parsed:
            raise InputError(f"--vary {item!r} gives no values: write {path}=V1,V2,...")
        if path in grid:
            parsed = grid[path] + [value for value in parsed if value not in grid[path]]
            print(f"note: --vary {path} given more than once: values merged into {parsed}", file=sys.stderr)
        grid[path] = parsed
    return grid


def _sweep(args) -> int:
    from solarcoop.present.text import format_number
    from solarcoop.studies.sweeps import sweep

    grid = _parse_grid(args.vary)
    out = _out(args)
    frame = sweep(_load(args), grid, progress=True)
    shown = frame[
        list(grid)
        + ["family_cash_flow_rial_mean_year1", "family_cash_flow_real_rial_mean_year1", "distribution_per_family_rial_mean_year1"]
    ]
    print(shown.to_string(index=False, float_format=lambda v: format_number(v, "en")))
    _print_study_notes(frame.attrs.get("funding_rule"), frame.get("refused"), frame[list(grid)])
    _write(out, {"sweep.csv": _table_writer(frame)}, args.force)
    return 0


def _montecarlo(args) -> int:
    from solarcoop.present.headline import montecarlo_lines
    from solarcoop.studies.headline import KEPT
    from solarcoop.studies.montecarlo import monte_carlo

    out = _out(args)
    scenario = _load(args)
    _print_findings(scenario, args.lang)
    result = monte_carlo(scenario, n_paths=args.paths, seed=args.seed, progress=True, kept=KEPT, keep_paths=True)
    years = tuple(sorted({1, min(5, scenario.lifetime_years)}))  # a short life has no year 5
    summary = result.summary(years=years)
    print("\n".join(montecarlo_lines(scenario, result, summary, years, args.threshold, args.lang)))
    quantiles = result.quantiles([0.1, 0.5, 0.9], "family_cash_flow_rial")
    quantiles.columns = ["P90", "P50", "P10"]
    writers = {"montecarlo_summary.csv": _table_writer(summary), "payout_quantiles.csv": _table_writer(quantiles)}
    _write(out, writers, args.force, getattr(args, "lang", "en"))
    return 0


def _goal_seek(args) -> int:
    from solarcoop.studies.sweeps import goal_seek

    result = goal_seek(
        _load(args),
        args.path,
        (args.figure, args.target),
        bounds=tuple(args.bounds) if args.bounds else None,
        probability_of_exceedance=args.probability,
        n_paths=args.paths,
    )
    if args.lang == "en":  # the library's own message, as an error says it (solarcoop._validation.error_text)
        print(result.message)
        _print_study_notes(result.funding_rule)
    else:
        for line in goal_seek_lines(result, args.lang):
            print(line)
    return 0 if result.reached else 1


def goal_seek_lines(result, lang: str) -> list[str]:
    """A goal seek's answer in ``lang``, from the catalogs: the value found (or the
    nearest, when the target cannot be reached), what it gives, and who takes a change of
    the size."""
    from solarcoop._validation import field_label
    from solarcoop.findings import funding_rule_text
    from solarcoop.present.locales import catalog
    from solarcoop.present.text import format_number, format_percent_points

    words = catalog(lang)
    path_label = field_label(result.path, lang)
    path = f"{path_label} ({result.path})" if path_label else result.path
    metric_label = words["charts"]["metrics"].get(result.metric, "").split(" [")[0]
    figure = f"{metric_label} ({result.metric})" if metric_label else result.metric
    if result.probability_of_exceedance is not None:
        percent = format_percent_points(100 * result.probability_of_exceedance, lang, None)
        figure = words["goal_seek"]["exceeded"].format(figure=figure, percent=percent)
    line = words["goal_seek"]["reached" if result.reached else "not_reached"].format(
        path=path, value=format_number(result.value, lang, 0 if isinstance(result.value, int) else None), figure=figure,
        achieved=format_number(result.achieved, lang), target=format_number(result.target, lang),
    )  # fmt: skip
    lines = [line]
    if result.funding_rule is not None:
        lines.append(words["run_summary"]["note"].format(finding=funding_rule_text(result.funding_rule, lang)))
    return lines


def _print_study_notes(rule, refused=None, keys=None) -> None:
    """Who took a change of the size (one sentence) and each point that was refused, why."""
    from solarcoop.findings import funding_rule_text

    if rule is not None:
        print(f"note: {funding_rule_text(rule, 'en')}")
    if refused is not None:
        for index in refused.index[refused.astype(bool)]:
            where = ", ".join(f"{path} = {value}" for path, value in keys.loc[index].items())
            print(f"refused: {where}: {refused[index]}")


def _headline_or_single_run(scenario, args):
    """``(single run, headline)``: the headline's own single run and Monte Carlo with
    ``--paths``, else a single run and no headline."""
    if not args.paths:
        from solarcoop.engine import simulate

        return simulate(scenario), None
    from solarcoop.studies.headline import headline

    lead = headline(scenario, n_paths=args.paths, seed=args.seed, progress=True)
    return lead.single_run, lead


def _report(args) -> int:
    from solarcoop.present import report

    out = _out(args)
    scenario = _load(args)
    result, lead = _headline_or_single_run(scenario, args)
    # what moves it: the disputed facts' effects read from the headline's own paths
    drivers, effects = report.what_moves_it(
        scenario, args.paths, args.seed, monte_carlo=None if lead is None else lead.monte_carlo
    )
    from solarcoop.findings import finding_text
    from solarcoop.present.locales import catalog

    for finding in result.findings:
        print(catalog(args.lang)["run_summary"]["note"].format(finding=finding_text(finding, args.lang)))
    risk = None if lead is None else lead.monte_carlo
    written = report.write_report(
        result, out, lang=args.lang, force=args.force, monte_carlo=risk, sensitivity=drivers, headline=lead,
        reading_effects=effects,
    )  # fmt: skip
    _wrote(written, args.lang)
    return 0


def _track(args) -> int:
    from solarcoop.present import tracking_report
    from solarcoop.studies.tracking import track

    out = _out(args)  # refuse before the work
    tracking = track(_load(args), args.actuals, n_paths=args.paths, seed=args.seed)
    print("\n".join(tracking_report.summary_lines(tracking, args.lang)))
    written = tracking_report.write_tracking_report(tracking, out, lang=args.lang, force=args.force)
    _wrote(written, args.lang)
    return 0


def _statement(args) -> int:
    from solarcoop.present import statement

    out = _out(args)
    scenario = _load(args)
    result, lead = _headline_or_single_run(scenario, args)
    risk = None if lead is None else lead.monte_carlo
    written = statement.write_statement(
        result, out, lang=args.lang, force=args.force, monte_carlo=risk, headline=lead
    )
    _wrote(written, args.lang)
    return 0


def _finite(text: str) -> float:
    """An argument that must be a finite number (``nan`` and ``inf`` are refused)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: give a finite number")
    return value


def _app(args) -> int:
    from solarcoop.app.server import serve

    return serve(host=args.host, port=args.port, lang=args.lang, open_browser=not args.no_browser, n_paths=args.paths,
                 beyond_this_machine=args.beyond_this_machine)


PROGRAMME_READING_RUNS = 8
"""Runs of the programme for its national readings' page (one per case of
:func:`solarcoop.present.programme_report.national_cases`, checked by the tests)."""


def _programme(args) -> int:
    import solarcoop as sc
    from solarcoop._atomic import check_folder
    from solarcoop._validation import InputError
    from solarcoop.present import programme_report
    from solarcoop.programme.synthetic import synthetic_table
    from solarcoop.programme.table import read_table

    if (args.table is None) == (args.synthetic is None):
        raise InputError("give a programme TABLE (CSV or Parquet) or --synthetic N, one of the two")
    check_folder(args.out, args.force)
    table = synthetic_table(args.synthetic, seed=args.seed) if args.synthetic is not None else read_table(args.table)
    result = sc.programme(table, n_paths=args.paths, seed=args.seed, actuals=args.actuals)
    print("\n".join(programme_report.summary_lines(result, args.lang)))
    effects = None
    if not args.no_readings:  # the same paths, one more run per national case
        year = programme_report.report_year(result)
        effects = programme_report.reading_effects(sc.programme, table, year, base=result, n_paths=args.paths, seed=args.seed)
    written = programme_report.write_programme_report(
        result, args.out, args.lang, table=table, effects=effects, force=args.force
    )
    _wrote(written, args.lang)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="solarcoop",
        description="What a solar cooperative pays each member family, month by month.",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str, handler, writes: bool = True):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("file", nargs="?", metavar="FILE", help="scenario TOML file (default: the Qom baseline)")
        sub.add_argument("--scenario", metavar="FILE", help="the same as FILE")
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help="show the full traceback of an error")
        sub.add_argument("--fill-gaps-hours", type=int, metavar="H",
                         help="fill gaps of at most H hours in the weather file by interpolation")
        sub.add_argument("--accept-weather", action="append", metavar="FINDING", choices=("closure", "dark"),
                         help="go on despite this weather finding (closure, dark); repeat for both")
        if writes:
            sub.add_argument("--out", default=f"solarcoop-{name}", help="output folder (default: %(default)s)")
            sub.add_argument("--force", action="store_true",
                             help="replace the files of an earlier run in --out")
        sub.set_defaults(handler=handler)
        return sub

    run = command("run", "how much each family is paid and how sure that is; tables and charts", _run)
    run.add_argument("--paths", type=int, default=2_000,
                     help="Monte Carlo paths of the headline, 0 for the single run only (default: %(default)s)")
    run.add_argument("--seed", type=int, default=0, help="Monte Carlo seed (default: %(default)s)")
    run.add_argument("--lang", choices=("en", "fa"), default="en", help="language of the headline (default: %(default)s)")
    sweep = command("sweep", "summaries over a grid of values", _sweep)
    sweep.add_argument("--vary", action="append", required=True, metavar="PATH=V1,V2",
                       help="a dotted path and its values; repeat for a grid (a path given twice has its values merged)")
    montecarlo = command("montecarlo", "P90/P50/P10 payouts over many futures", _montecarlo)
    montecarlo.add_argument("--paths", type=int, default=10_000, help="number of paths (default: %(default)s)")
    montecarlo.add_argument("--seed", type=int, default=0, help="seed (default: %(default)s)")
    montecarlo.add_argument("--lang", choices=("en", "fa"), default="en", help="language (default: %(default)s)")
    montecarlo.add_argument("--threshold", type=_finite, default=None,
                            help="a monthly sum per family [rial, in money of the promise's month] whose chance is "
                                 "counted like the promise's (default: the bottom of the scenario's promise)")
    goal = command("goal-seek", "the value of one input that reaches a target", _goal_seek, writes=False)
    goal.add_argument("--out", help=argparse.SUPPRESS)  # accepted for old scripts; goal-seek writes nothing
    goal.add_argument("--path", default="tariff.base_price_rial_per_kwh", help="input to vary (default: %(default)s)")
    goal.add_argument("--figure", default="family_cash_flow_rial_mean_year1",
                      help="summary figure (default: %(default)s, the family's money after its instalment)")
    goal.add_argument("--target", type=_finite, default=50e6, help="value to reach (default: 50e6)")
    goal.add_argument("--bounds", type=_finite, nargs=2, metavar=("LOW", "HIGH"), help="search range")
    goal.add_argument("--probability", type=_finite, help="reach the target with this probability (0.9 for P90)")
    goal.add_argument("--paths", type=int, default=2_000, help="Monte Carlo paths for --probability")
    goal.add_argument("--lang", choices=("en", "fa"), default="en", help="language (default: %(default)s)")
    report = command("report", "PDF, Excel and PNG report of one scenario", _report)
    report.add_argument("--lang", choices=("en", "fa"), default="en", help="language (default: %(default)s)")
    report.add_argument("--paths", type=int, default=2_000,
                        help="Monte Carlo paths for the risk pages, 0 to leave them out (default: %(default)s)")
    report.add_argument("--seed", type=int, default=0, help="Monte Carlo seed (default: %(default)s)")
    track = command("track", "the months so far against the plan, why, and a forecast from here", _track)
    track.add_argument("actuals", help="CSV or Excel file of actual months (see examples/actuals_template.csv)")
    track.add_argument("--lang", choices=("en", "fa"), default="en", help="language (default: %(default)s)")
    track.add_argument("--paths", type=int, default=1_000, help="Monte Carlo paths (default: %(default)s)")
    track.add_argument("--seed", type=int, default=0, help="seed (default: %(default)s)")
    statement = command("statement", "one A4 page for a family deciding whether to join", _statement)
    statement.add_argument("--lang", choices=("fa", "en"), default="fa", help="language (default: %(default)s)")
    statement.add_argument("--paths", type=int, default=2_000,
                           help="Monte Carlo paths for the usual and bad-year figures, 0 for the single run only (default: %(default)s)")
    statement.add_argument("--seed", type=int, default=0, help="Monte Carlo seed (default: %(default)s)")
    programme = commands.add_parser("programme", help="every plant of a programme table in one run; its report")
    programme.add_argument("table", nargs="?", metavar="TABLE", help="programme table, CSV or Parquet, one row per plant")
    programme.add_argument("--synthetic", type=int, metavar="N", help="a synthetic table of N plants in place of TABLE")
    programme.add_argument("--actuals", metavar="FILE", help="the plants' actual months (plant_id, month, ...)")
    programme.add_argument("--paths", type=int, default=200, help="paths (default: %(default)s)")
    programme.add_argument("--seed", type=int, default=0, help="seed (default: %(default)s)")
    programme.add_argument("--lang", choices=("en", "fa"), default="en", help="language (default: %(default)s)")
    programme.add_argument("--out", default="solarcoop-programme", help="output folder (default: %(default)s)")
    programme.add_argument("--force", action="store_true", help="replace the files of an earlier run in --out")
    programme.add_argument(
        "--no-readings", action="store_true",
        help=f"skip what each national reading does to the total (by default the programme runs {PROGRAMME_READING_RUNS} "
        f"more times on the same paths, one per reading's alternative: about {PROGRAMME_READING_RUNS} times the first "
        "run's time)",
    )  # fmt: skip
    programme.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the full traceback of an error")
    programme.set_defaults(handler=_programme)
    app = commands.add_parser("app", help="a local web app for a board, Persian first")
    app.add_argument("--lang", choices=("fa", "en"), default="fa", help="language (default: %(default)s)")
    app.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    app.add_argument("--port", type=int, default=8765, help="port, 0 for any free one (default: %(default)s)")
    app.add_argument("--paths", type=int, default=2_000, help="Monte Carlo paths per run (default: %(default)s)")
    app.add_argument("--no-browser", action="store_true", help="do not open a browser")
    app.add_argument("--beyond-this-machine", action="store_true",
                     help="allow a --host that other machines can reach (off: the app refuses such an address)")
    app.set_defaults(handler=_app)
    return parser


def _one_line(error: BaseException) -> str:
    """An error as one line: the message, or for an OS error the file and the reason."""
    if isinstance(error, OSError) and error.strerror:  # not an OutputExistsError: that has only a message
        where = f"{error.filename}: " if error.filename else ""
        text = f"{where}{error.strerror}"
    else:
        text = str(error) or type(error).__name__
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> int:
    """Run the command; a bad input or a file that cannot be read or written is one line
    on standard error and exit status 2 (a traceback only with ``--debug``)."""
    args = build_parser().parse_args(argv)
    from solarcoop._validation import InputError

    try:
        return args.handler(args)
    except (InputError, OSError) as error:
        if getattr(args, "debug", False):
            raise
        if isinstance(error, InputError) and getattr(args, "lang", "en") != "en":
            from solarcoop._validation import error_text

            error = InputError(error_text(error, args.lang))  # said from the catalog
        print(f"solarcoop: error: {_one_line(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if getattr(args, "debug", False):
            raise
        print("solarcoop: stopped (Ctrl-C); no half-written output is left", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
