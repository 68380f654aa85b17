"""Profile pages in-process, on the data set of the last bench/run (run through ``bench/run --profile REGEX``):
each page whose label matches gets its SQL (with --show-queries) and a cProfile of a few requests, the portal's own
functions first.

    bench/run --profile 'intake queue' [--show-queries] [--requests 5]
"""

import argparse
import cProfile
import pstats
import sys

from bench.driver import _setup, clients, query_counts


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench/run --profile")
    parser.add_argument("only", help="a regular expression over the page labels of bench/pages.py")
    parser.add_argument("--show-queries", action="store_true", help="print each page's SQL")
    parser.add_argument("--requests", type=int, default=5, help="requests profiled per page")
    args = parser.parse_args(argv)

    _setup()
    from bench import pages as catalogue

    pages = [p for p in catalogue.selected(catalogue.PAGES, args.only) if p.kind != "ref"]
    if not pages:
        print(f"no page label matches {args.only!r}; the labels are:")
        print("\n".join(f"  {p.label}" for p in catalogue.PAGES))
        return 2
    accounts = catalogue.users()
    samples = catalogue.samples(accounts)
    if args.show_queries:
        query_counts(pages, accounts, samples, show=True)
    by_user = clients(pages, accounts)
    for page in pages:
        client, url = by_user[page.user], page.url(samples)
        client.get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(url)
        profiler.disable()
        print(f"=== {page.label}: {url} ({args.requests} requests)")
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(r"(accounts|applications|greenfactory|evaluation|supervision)/",
                                                   25)
        stats.sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
