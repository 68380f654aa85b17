"""bench/run's driver (run it through bench/run, which prepares the database and the server):

    python -m bench.driver createdb URL          create the PostgreSQL database URL names, if missing
    python -m bench.driver counts FILE           each page's SQL query count (in-process) and the data size, as JSON
    python -m bench.driver http --base URL ...   the benchmark: wrk against the server, query counts, PDF timings,
                                                 plans; writes results.json and results.md, prints the table

Django runs with bench.settings against DATABASE_URL, the same database the server uses.
"""

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
P95_TARGET_MS = 150
FLOOR_SHARE_TARGET = 0.5
PDF_MEDIAN_TARGET_MS = 300
PDF_RENDERS = 20
CONNECTIONS = 16
FLOOR_EVERY = 5  # pages between two measurements of the floor
WRK_THREADS = 2
PORTAL_BACKEND = "accounts.backends.PortalModelBackend"


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def createdb(url):
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"-- created the database {name}")
    connection.close()


# --- In-process: query counts, plans, data size ----------------------------------------------------------------------

def clients(pages, accounts):
    """A logged-in test client per account, one anonymous. force_login: no password, no axes; through the portal's
    backend, as a real login (it loads the user with the organisation: the query counts are the real ones)."""
    from django.test import Client

    result = {None: Client()}
    for page in pages:
        if page.user and page.user not in result:
            result[page.user] = Client()
            result[page.user].force_login(accounts[page.user], backend=PORTAL_BACKEND)
    return result


def query_counts(pages, accounts, samples, show=False):
    """{label: number of SQL queries}, the second request of each page (the first warms caches and templates)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    by_user = clients(pages, accounts)
    counts, failures = {}, {}
    for page in pages:
        client, url = by_user[page.user], page.url(samples)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            failures[page.label] = f"{url} answered {response.status_code} in-process"
        counts[page.label] = len(queries.captured_queries)
        if show:
            print(f"--- {page.label}: {url} ({len(queries.captured_queries)} queries)")
            for query in queries.captured_queries:
                print(f"    {query['time']:>6} {query['sql'][:400]}")
    return counts, failures


def data_size():
    from django.apps import apps

    models = {"enterprises": "accounts.Enterprise", "users": "accounts.User",
              "campaigns": "applications.CultivationCampaign", "applications": "applications.IntakeApplication",
              "library entries": "applications.LibraryEntry", "review tasks": "applications.ReviewTask",
              "state log": "django_fsm_log.StateLog", "audit events": "accounts.AuditEvent",
              "notifications": "accounts.Notification"}
    return {name: apps.get_model(label)._base_manager.count() for name, label in models.items()}


# Which tables each list's filters are about (the query's FROM table first): their plans are the ones that matter.
PLAN_TABLES = {"library": ("applications_libraryentry",),
               "enterprise directory": ("accounts_enterprise", "accounts_organisation"),
               "account list": ("accounts_user", "accounts_organisation"), "audit log": ("accounts_auditevent",),
               "plan overview": ("evaluation_improvementmeasure",)}


def plans(filters, accounts, samples):
    """For every list filter: each query of the request on the list's table, its EXPLAIN ANALYZE and the indexes
    it used (PostgreSQL only)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        return []
    by_user = clients(filters, accounts)
    result = []
    for page in filters:
        tables = next(t for prefix, t in PLAN_TABLES.items() if page.label.startswith(prefix))
        url, me = page.url(samples), f'"accounts_user"."id" = {accounts[page.user].pk}'  # not the session's user
        with CaptureQueriesContext(connection) as queries:
            by_user[page.user].get(url)
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or f'FROM "{tables[0]}"' not in sql or me in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            access = [m.group(0).strip().removeprefix("->").strip() for line in plan.splitlines()
                      if (m := re.search(rf"(Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan|Bitmap Index Scan)"
                                         rf"( Backward)?( using \S+)? on ({'|'.join(tables)})\w*", line))]
            took = re.search(r"Execution Time: ([\d.]+) ms", plan)
            result.append({"filter": page.label, "url": url, "query": "count" if "SELECT COUNT(" in sql else "rows",
                           "sql": sql, "plan": plan, "tables": tables, "access": access,
                           "execution_ms": float(took.group(1)) if took else None})
    return result


# --- Over HTTP: sessions, checks, wrk, the PDF ------------------------------------------------------------------------

def session_cookies(pages, accounts):
    """{user name: [session key, ...]}: WRK_THREADS sessions per account, made directly (no password, no axes), so
    that each wrk thread's connections are a different person's browser (sessions are written on every request)."""
    made = [clients(pages, accounts) for _ in range(WRK_THREADS)]
    return {name: [by_user[name].cookies["sessionid"].value for by_user in made] for name in made[0] if name}


def fetch(base, url, cookie):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    connection.request("GET", url, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Location"), body


def wrk(base, url, sessions, duration):
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "--timeout", "10s",
               "-s", str(ROOT / "bench" / "wrk.lua"), base + url, "--", *sessions]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH-JSON "))
    return json.loads(line.removeprefix("BENCH-JSON "))


def time_pdf(base, url, cookie):
    samples = []
    for _ in range(PDF_RENDERS):
        started = time.perf_counter()
        status, _location, body = fetch(base, url, cookie)
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200 or not body.startswith(b"%PDF"):
            return {"error": f"answered {status}"}
    samples.sort()
    return {"renders": len(samples), "median_ms": statistics.median(samples),
            "p95_ms": samples[round(0.95 * (len(samples) - 1))], "bytes": len(body)}


# --- The report ---------------------------------------------------------------------------------------------------

def machine():
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"cpu": model or platform.processor(), "cores": os.cpu_count(), "memory": memory,
            "system": platform.platform(), "python": platform.python_version(),
            "load_average": round(os.getloadavg()[0], 2)}


def commit():
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    sha = git("rev-parse", "--short=12", "HEAD")
    return sha + (" (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else "")


def judge(pages, results, floor_rps, quick, small_counts):
    """The pages that miss a target, with why. Errors always count; the targets only in a full run."""
    failures = []
    for page in pages:
        r, problems = results[page.label], []
        problems += r.get("errors", [])
        if page.kind in ("page", "ref") and "rps" in r and not r["rps"]:
            problems.append("not measured: no request completed in the load window")
        if page.kind == "page" and "rps" in r and not quick:
            floor = r.get("floor_rps") or floor_rps
            if r["rps"] < FLOOR_SHARE_TARGET * floor:
                problems.append(f"{r['rps']:.0f} requests/s, under {FLOOR_SHARE_TARGET:.0%} of the floor's "
                                f"{floor:.0f} around it")
            if r["p95_ms"] >= P95_TARGET_MS:
                problems.append(f"p95 {r['p95_ms']:.0f} ms, not under {P95_TARGET_MS} ms")
        if page.kind == "pdf" and "median_ms" in r and not quick and r["median_ms"] > PDF_MEDIAN_TARGET_MS:
            problems.append(f"median {r['median_ms']:.0f} ms, over {PDF_MEDIAN_TARGET_MS} ms")
        if small_counts and not quick and page.label in small_counts \
                and small_counts[page.label] != r.get("queries"):
            problems.append(f"queries grow with the data: {small_counts[page.label]} → {r.get('queries')}")
        if problems:
            failures.append((page.label, problems))
    return failures


def table(pages, results, floor_rps, ceiling_rps):
    lines = ["| page | requests/s | p50 ms | p95 ms | p99 ms | vs floor | vs ceiling | queries | small data |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for page in pages:
        r = results[page.label]
        small = r.get("queries_small", "")
        if page.kind == "pdf":
            cells = ["", f"{r.get('median_ms', 0):.0f} (median of {PDF_RENDERS})", f"{r.get('p95_ms', 0):.0f}",
                     "", "", ""]
        elif "rps" in r:
            floor = r.get("floor_rps") or floor_rps
            cells = [f"{r['rps']:.0f}", f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", f"{r['p99_ms']:.1f}",
                     f"{r['rps'] / floor:.0%}" if floor else "",
                     f"{r['rps'] / ceiling_rps:.1%}" if ceiling_rps else ""]
        else:
            cells = ["–"] * 6
        lines.append(f"| {page.label} | " + " | ".join(cells) + f" | {r.get('queries', '')} | {small} |")
    return lines


def write_report(output, report, pages, failures):
    output.mkdir(parents=True, exist_ok=True)
    (output / "results.json").write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
    ref = report["references"]
    size = ", ".join(f"{k} {v:,}" for k, v in report["data"].items())
    small = ["- query counts: in-process, each page's second request; \"small data\": the same page on `seed_scale"
             " --enterprises 12 --years 2` (" + ", ".join(f"{k} {v:,}" for k, v in report["data_small"].items())
             + ")"] if report["data_small"] else []
    md = [
        "# bench/run results", "",
        f"- date: {report['date']}; commit: {report['commit']}; mode: {report['mode']}",
        f"- machine: {report['machine']['cpu']}, {report['machine']['cores']} cores, {report['machine']['memory']};"
        f" {report['machine']['system']}, Python {report['machine']['python']}",
        f"- server: gunicorn, {report['server']['workers']} sync workers, production settings (bench.settings),"
        f" PostgreSQL + Redis; load: wrk -t{WRK_THREADS} -c{CONNECTIONS} (a session per thread),"
        f" {report['duration_s']} s per page",
        f"- data: {size} (`seed_scale --enterprises {report['seed']['enterprises']}"
        f" --years {report['seed']['years']}`)",
        *small,
        f"- references: floor {ref['floor_first']:.0f} requests/s first, {ref['floor_last']:.0f} last, measured"
        f" {len(ref.get('floor_runs', ())) or 2} times ({', '.join(f'{v:.0f}' for v in ref.get('floor_runs', ()))}):"
        f" before the pages, after every {FLOOR_EVERY}, at the end; each page's \"vs floor\" is to the mean of the"
        f" two floor measurements around its group, the floor's row shows the mean of all. Ceiling"
        f" {ref['ceiling_first']:.0f} / {ref['ceiling_last']:.0f} requests/s (first / last), ratios to its mean",
        f"- targets: every page ≥ {FLOOR_SHARE_TARGET:.0%} of the floor's requests/s, p95 < {P95_TARGET_MS} ms at"
        f" {CONNECTIONS} clients, the same query count on the small data set, PDF median ≤ {PDF_MEDIAN_TARGET_MS} ms",
        f"- load average (1 min) before / after the measurements: {report['machine']['load_average_before']} /"
        f" {report['machine']['load_average']} on {report['machine']['cores']} cores. The machine is shared with"
        " other work: absolute numbers move by ±30 % or more between runs; ratios to the references measured in the"
        " same run hold better", "",
        *table(pages, report["pages"], ref["floor"], ref["ceiling"]), "",
    ]
    if failures:
        md += [f"## {len(failures)} page(s) miss a target", ""]
        md += [f"- {label}: {'; '.join(problems)}" for label, problems in failures]
        if any("queries grow" in problem for _label, problems in failures for problem in problems):
            md += ["", "A query count that differs between the data sizes is a query per row, or a list that is"
                   " empty on the small data set (no rows: its related rows are never fetched); `bench/run"
                   " --profile LABEL --show-queries` with each database in BENCH_DATABASE_URL shows which."]
    else:
        md += ["Every page meets its targets." if report["mode"] == "full" else
               "Quick run: no errors (targets not checked)."]
    md.append("")
    (output / "results.md").write_text("\n".join(md))
    if report.get("plans"):
        write_plans(output / "plans.md", report)


def write_plans(path, report):
    md = ["# Plans of the list filters", "",
          f"`EXPLAIN (ANALYZE)` of each list query a filter runs, on {report['data']['enterprises']:,} enterprises"
          f" (commit {report['commit']}, {report['date']}).", "",
          "How each query reaches the list's table (an index, or a sequential scan: the planner's choice on this"
          " data), and how long it took.", "",
          "| filter | query | access to the list's table | ms |", "|---|---|---|---:|"]
    for p in report["plans"]:
        md.append(f"| {p['filter']} | {p['query']} | {'; '.join(p['access']) or '–'} | {p['execution_ms']} |")
    for p in report["plans"]:
        md += ["", f"## {p['filter']} ({p['query']})", "", f"`{p['url']}`", "", "```sql", p["sql"], "```", "",
               "```", p["plan"], "```"]
    path.write_text("\n".join(md) + "\n")


# --- The run ------------------------------------------------------------------------------------------------------

def run_http(args):
    _setup()
    from django.core.cache import cache

    from bench import pages as catalogue

    cache.clear()  # the bench's own Redis database: rate-limit counts and cached pages of an earlier run
    pages = catalogue.selected(catalogue.PAGES, args.only)
    accounts = catalogue.users()
    samples = catalogue.samples(accounts)
    results = {p.label: {"url": p.url(samples), "user": p.user, "kind": p.kind, "errors": []} for p in pages}
    load_before = round(os.getloadavg()[0], 2)  # other work on the machine: a load over its cores skews the numbers

    counts, failed = query_counts(pages, accounts, samples)
    small = json.loads(Path(args.small_counts).read_text()) if args.small_counts else {}
    small_counts = small.get("counts", {})
    for label, problem in small.get("failures", {}).items():
        results[label]["errors"].append(f"small data: {problem}")
    for label, count in counts.items():
        results[label]["queries"] = count
        if label in small_counts:
            results[label]["queries_small"] = small_counts[label]
    for label, problem in failed.items():
        results[label]["errors"].append(problem)

    sessions = session_cookies(pages, accounts)
    for page in pages:  # every page answers 200 with its session, not a redirect to the login
        status, location, _body = fetch(args.base, page.url(samples), sessions.get(page.user, [None])[0])
        if status != 200:
            results[page.label]["errors"].append(f"answered {status}" + (f" → {location}" if location else ""))

    def measure(page):
        r = results[page.label]
        if r["errors"]:
            return
        if page.kind == "pdf":
            timing = time_pdf(args.base, r["url"], sessions.get(page.user, [None])[0])
            if "error" in timing:
                r["errors"].append(timing.pop("error"))
            r.update(timing)
            print(f"   {page.label}: median {r.get('median_ms', 0):.0f} ms", flush=True)
            return
        r.update(wrk(args.base, r["url"], sessions.get(page.user, []), args.duration))
        if r["socket_errors"] or r["non2xx"]:
            r["errors"].append(f"wrk: {r['socket_errors']} socket errors or 4xx/5xx, {r['non2xx']} answers not 2xx"
                               f" of {r['requests']}")
        print(f"   {page.label}: {r['rps']:.0f} requests/s, p95 {r['p95_ms']:.0f} ms", flush=True)

    refs = [p for p in pages if p.kind == "ref"]
    floor_page = next((p for p in refs if p.label == catalogue.REFERENCE_FLOOR), None)
    first = {}
    for page in refs:
        measure(page)
        first[page.label] = results[page.label].get("rps", 0)
        results[page.label]["first_run"] = {k: v for k, v in results[page.label].items() if k.endswith(("_ms", "rps"))}
    # The floor again after every FLOOR_EVERY pages: each page is compared with the floor measured just before and
    # just after its group (the machine's speed drifts over a run of many minutes).
    floors = [first.get(catalogue.REFERENCE_FLOOR, 0)]
    loaded = [p for p in pages if p.kind == "page"]
    for start in range(0, len(loaded), FLOOR_EVERY):
        group = loaded[start:start + FLOOR_EVERY]
        for page in group:
            measure(page)
        if floor_page is not None and not results[floor_page.label]["errors"] and start + FLOOR_EVERY < len(loaded):
            floors.append(wrk(args.base, results[floor_page.label]["url"], sessions.get(floor_page.user, []),
                              args.duration)["rps"])
            print(f"   ({floor_page.label}: {floors[-1]:.0f} requests/s)", flush=True)
        for page in group:
            results[page.label]["group"] = len(floors) - 1
    for page in pages:
        if page.kind == "pdf":
            measure(page)
    for page in refs:
        measure(page)
    floor_last = results[catalogue.REFERENCE_FLOOR].get("rps", 0)
    floors.append(floor_last)
    for page in loaded:  # the floor around the page's group
        group = results[page.label].pop("group", None)
        if group is not None:
            results[page.label]["floor_rps"] = (floors[group] + floors[group + 1]) / 2
    ceiling_last = results[catalogue.REFERENCE_CEILING].get("rps", 0)
    floor_first, ceiling_first = first.get(catalogue.REFERENCE_FLOOR, 0), first.get(catalogue.REFERENCE_CEILING, 0)
    references = {"floor_first": floor_first, "floor_last": floor_last, "floor": statistics.mean(floors),
                  "floor_runs": floors, "ceiling_first": ceiling_first, "ceiling_last": ceiling_last,
                  "ceiling": (ceiling_first + ceiling_last) / 2}
    for ref, first_rps in first.items():
        results[ref]["rps"] = (first_rps + results[ref]["rps"]) / 2  # the table shows the mean
    results[catalogue.REFERENCE_FLOOR]["rps"] = references["floor"]

    failures = judge(pages, results, references["floor"], args.quick, small_counts)
    report = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit(),
              "machine": {**machine(), "load_average_before": load_before},
              "mode": "quick" if args.quick else "full", "duration_s": args.duration,
              "server": {"workers": args.workers}, "seed": {"enterprises": args.enterprises, "years": args.years},
              "data": data_size(), "data_small": small.get("data"),
              "references": references, "pages": results,
              "plans": [] if args.quick else plans(catalogue.selected(catalogue.FILTERS, args.only), accounts,
                                                   samples),
              "failures": dict(failures)}
    output = Path(args.output)
    write_report(output, report, pages, failures)
    print()
    print("\n".join((output / "results.md").read_text().splitlines()[2:]))
    print(f"written: {output / 'results.json'}, {output / 'results.md'}"
          + (f", {output / 'plans.md'}" if report["plans"] else ""))
    return 1 if failures else 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.driver")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("createdb").add_argument("url")
    counts = sub.add_parser("counts")
    counts.add_argument("file")
    counts.add_argument("--only", default="")
    h = sub.add_parser("http")
    h.add_argument("--base", required=True, help="the server, e.g. http://127.0.0.1:8123")
    h.add_argument("--duration", type=int, default=10)
    h.add_argument("--only", default="")
    h.add_argument("--output", default=str(ROOT / "bench"))
    h.add_argument("--quick", action="store_true")
    h.add_argument("--small-counts", default="", help="JSON from `counts` on the small data set")
    h.add_argument("--workers", type=int, default=2)
    h.add_argument("--enterprises", type=int, default=0)
    h.add_argument("--years", type=int, default=0)
    args = parser.parse_args(argv)

    if args.command == "createdb":
        createdb(args.url)
        return 0
    if args.command == "counts":
        _setup()
        from bench import pages as catalogue

        pages = catalogue.selected(catalogue.PAGES, args.only)
        accounts = catalogue.users()
        result, failed = query_counts(pages, accounts, catalogue.samples(accounts))
        Path(args.file).write_text(json.dumps({"counts": result, "failures": failed, "data": data_size()},
                                              ensure_ascii=False, indent=2) + "\n")
        return 0
    return run_http(args)


if __name__ == "__main__":
    sys.exit(main())
