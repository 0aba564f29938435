"""``newsflow ingest files|rss|urls`` and ``newsflow serve-ingest``.

``register(subparsers)`` is called by ``cli.main``. Every option has a ``NEWSFLOW_*`` environment
variable (see docs/connectors.md); a flag given on the command line wins over the variable.
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from pipeline.settings import Settings, SettingsError

from .options import FromEnv, settings_with_flags

DEFAULT_BOOTSTRAP = "127.0.0.1:9092"


def env(name: str, default=None):
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def bounded(kind: type, low: float, high: float | None = None, *, above: bool = False):
    """An argparse type that also reads the variables: a ``kind`` number of at least ``low`` (more
    than it with ``above``) and at most ``high``; NaN and words are refused."""
    def parse(text):
        try:
            value = kind(text)
        except (TypeError, ValueError):
            raise argparse.ArgumentTypeError(f"{text!r} is not a valid {kind.__name__}") from None
        if not (value > low if above else value >= low) or (high is not None and value > high):
            limit = f"more than {low}" if above else f"at least {low}"
            raise argparse.ArgumentTypeError(f"{text!r} must be {limit}" + (f" and at most {high}" if high else ""))
        return value
    parse.__name__ = kind.__name__  # argparse names the type in its message
    return parse


SECONDS = bounded(float, 0, above=True)
SECONDS_OR_ZERO = bounded(float, 0)
COUNT = bounded(int, 1)
COUNT_OR_ZERO = bounded(int, 0)
PORT = bounded(int, 1, 65535)
PORT_OR_OFF = bounded(int, 0, 65535)
FRACTION = bounded(float, 0, 1)
# how often a feed or a URL list may be read again: connectors.rss.MIN_INTERVAL (not imported here,
# which would load feedparser for every command; a test keeps the two equal)
POLL_INTERVAL_FLOOR = 1.0
INTERVAL = bounded(float, POLL_INTERVAL_FLOOR)


def env_number(name: str, default, parse) -> FromEnv:
    """The variable read through ``parse`` when the flag is absent; a value it refuses is a usage
    error naming the variable."""
    return FromEnv(lambda: _read_number(name, default, parse), env(name, default))


def _read_number(name: str, default, parse):
    raw = env(name)
    if raw is None:
        return default
    try:
        return parse(raw)
    except argparse.ArgumentTypeError as exc:
        raise SettingsError(f"{name}: {exc}") from None


_BOOLS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def env_bool(name: str) -> FromEnv:
    """The variable as a switch when the flag is absent; a value that is not one (a typo such as
    'ture') is a usage error, not a silent 'off' that would send to Kafka what was meant for stdout."""
    return FromEnv(lambda: _read_bool(name), env(name, "off"))


def _read_bool(name: str) -> bool:
    raw = str(env(name, "0")).strip().lower()
    if raw not in _BOOLS:
        raise SettingsError(f"{name}={env(name)!r} is not a boolean: use 1/0, true/false, yes/no or on/off")
    return _BOOLS[raw]


def env_topic(name: str, topic: str) -> FromEnv:
    """The variable, else the service's ``topic`` under NEWSFLOW_TOPIC_PREFIX, read only when the flag
    is absent: a bad prefix read while the parser was built stopped every command, `--help` and
    `broker` too, in a line that named none."""
    def read() -> str:  # the prefix checked as the worker checks it
        return env(name) or Settings(topic_prefix=env("NEWSFLOW_TOPIC_PREFIX", "")).topic_prefix + topic
    return FromEnv(read, env(name) or f"{env('NEWSFLOW_TOPIC_PREFIX', '')}{topic}")


def env_list(name: str) -> list[str]:
    return [part.strip() for part in str(env(name, "")).split(",") if part.strip()]


def network(text: str) -> str:
    """An argparse type for --allow-network: a network (``10.0.0.0/8``) or one address; anything
    else is a usage error here, not a traceback when the first request is vetted."""
    import ipaddress

    try:
        ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a network (such as 10.0.0.0/8) or an IP address") from None
    return text.strip()


network.__name__ = "network"


def state_dir() -> Path:
    return Path(env("NEWSFLOW_STATE_DIR", str(Path.cwd() / ".newsflow" / "state")))


# -- shared option groups ------------------------------------------------------------------------
def _add_sink_options(parser: argparse.ArgumentParser, *, delivery_timeout: bool = True) -> None:
    """The output flags; ``delivery_timeout=False`` for serve-ingest, whose deadline is --ack-timeout.
    --bootstrap, --log-level and --log-format are settings of the service: None when absent, so that
    the variable is read (and checked) only then, as the worker reads them (see ``_settings``)."""
    group = parser.add_argument_group("output")
    group.add_argument("--bootstrap", default=None,
                       help=f"Kafka bootstrap servers (env NEWSFLOW_KAFKA_BOOTSTRAP; default {DEFAULT_BOOTSTRAP})")
    group.add_argument("--topic", default=env_topic("NEWSFLOW_RAW_TOPIC", "news.raw"),
                       help="topic for raw articles (env NEWSFLOW_RAW_TOPIC; default %(default)s, "
                            "which follows NEWSFLOW_TOPIC_PREFIX)")
    group.add_argument("--deadletter-topic", default=env_topic("NEWSFLOW_DEADLETTER_TOPIC", "news.deadletter"),
                       help="topic for rejected records (env NEWSFLOW_DEADLETTER_TOPIC; default %(default)s)")
    group.add_argument("--stdout", action="store_true", default=env_bool("NEWSFLOW_STDOUT"),
                       help="dry run: print raw articles as JSON lines instead of producing (env NEWSFLOW_STDOUT)")
    if delivery_timeout:
        group.add_argument("--delivery-timeout", type=SECONDS,
                           default=env_number("NEWSFLOW_DELIVERY_TIMEOUT", 300.0, SECONDS),
                           help="seconds to keep retrying one batch while the broker does not acknowledge"
                                " (env NEWSFLOW_DELIVERY_TIMEOUT; default %(default)s)")
    group.add_argument("--log-level", default=None,
                       help="logging level: debug, info, warn or error (env NEWSFLOW_LOG_LEVEL; default info)")
    group.add_argument("--log-format", choices=["json", "text"], default=None,
                       help="logs on stderr: one JSON object per line, or text (env NEWSFLOW_LOG_FORMAT;"
                            " default json)")


def _add_http_options(parser: argparse.ArgumentParser, *, metrics: bool = True) -> None:
    group = parser.add_argument_group("fetching")
    group.add_argument("--allow-network", action="append", metavar="CIDR", type=network,
                       default=None,
                       help="let outbound requests reach this network although it is private/loopback;"
                            " repeatable (env NEWSFLOW_ALLOW_NETWORKS, comma-separated)")
    group.add_argument("--user-agent", default=env("NEWSFLOW_USER_AGENT", None),
                       help="User-Agent header (env NEWSFLOW_USER_AGENT)")
    group.add_argument("--timeout", type=SECONDS, default=env_number("NEWSFLOW_HTTP_TIMEOUT", 15.0, SECONDS),
                       help="total seconds for one HTTP request, body included (env NEWSFLOW_HTTP_TIMEOUT;"
                            " default %(default)s)")
    group.add_argument("--max-bytes", type=COUNT, default=env_number("NEWSFLOW_HTTP_MAX_BYTES", 5 * 1024 * 1024, COUNT),
                       help="largest response body read (env NEWSFLOW_HTTP_MAX_BYTES; default %(default)s)")
    group.add_argument("--max-redirects", type=COUNT_OR_ZERO, default=env_number("NEWSFLOW_HTTP_MAX_REDIRECTS", 5, COUNT_OR_ZERO),
                       help="redirects followed per request (env NEWSFLOW_HTTP_MAX_REDIRECTS; default %(default)s)")
    if metrics:
        group.add_argument("--metrics-port", type=PORT_OR_OFF, default=env_number("NEWSFLOW_METRICS_PORT", 0, PORT_OR_OFF),
                           help="serve /metrics, /healthz, /readyz on this port, 0 = off"
                                " (env NEWSFLOW_METRICS_PORT; default %(default)s)")
        group.add_argument("--metrics-host", default=env("NEWSFLOW_METRICS_HOST", "127.0.0.1"),
                           help="address for the metrics server (env NEWSFLOW_METRICS_HOST; default %(default)s)")


def _allow_networks(args) -> list[str]:
    if args.allow_network:
        return list(args.allow_network)
    try:
        return [network(part) for part in env_list("NEWSFLOW_ALLOW_NETWORKS")]
    except argparse.ArgumentTypeError as exc:
        raise SettingsError(f"NEWSFLOW_ALLOW_NETWORKS: {exc}") from None


def _settings(args) -> Settings:
    """The service's settings with this command's flags over the variables, read as the worker reads
    them (options.settings_with_flags): a valid flag excuses a bad variable, a bad value is a usage
    error named as it was given (--log-level loud, or NEWSFLOW_LOG_LEVEL='loud')."""
    return settings_with_flags(kafka_bootstrap=args.bootstrap, log_level=args.log_level, log_format=args.log_format)


def _setup_logging(args) -> None:
    """The service's structured logs (pipeline.logs), with the HTTP client's chatter kept to warnings.
    The settings are checked first, as the worker's are: a bad one is a usage error, not a traceback."""
    from pipeline import logs

    settings = _settings(args)
    logs.setup(settings.log_level, settings.log_format)
    quiet = logging.DEBUG if logs.level_name(settings.log_level) == "DEBUG" else logging.WARNING
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(quiet)


def _make_sink(args, connector: str, *, check_topics: bool = True, **producer_options):
    from connectors.sink import make_sink

    if check_topics and not args.stdout:
        _topic_check(args)()
    kafka_options = {} if args.stdout else {"connector": connector, **producer_options}
    settings = _settings(args)
    # a raw article larger than the worker takes (NEWSFLOW_MAX_RAW_BYTES), as encoded, is dead-lettered
    # by the sink on its own (too_large) instead of failing its batch
    return make_sink(stdout=args.stdout, bootstrap=settings.kafka_bootstrap, topic=args.topic,
                     deadletter_topic=args.deadletter_topic, max_record_bytes=settings.max_raw_bytes, **kafka_options)


def _topic_check(args, timeout: float | None = None):
    """The topics are declared with their partitions and configs before anything is produced: the
    broker never creates them by accident (auto-creation is off on our brokers). By default the
    broker is waited for a minute, or --delivery-timeout when shorter: that asks to give up sooner."""
    from pipeline.topics import ensure_topics

    timeout = min(60.0, args.delivery_timeout) if timeout is None else timeout
    settings = _settings(args)
    return lambda: ensure_topics(settings, timeout, required=(args.topic, args.deadletter_topic))


def _make_fetcher(args, connector: str):
    from connectors.net import Fetcher, NetworkPolicy
    policy = NetworkPolicy(allow=_allow_networks(args))
    kwargs = {}
    if args.user_agent:
        kwargs["user_agent"] = args.user_agent
    return Fetcher(policy, timeout=args.timeout, max_bytes=args.max_bytes, max_redirects=args.max_redirects,
                   connector=connector, **kwargs)


def _start_metrics(args, ready):
    if not getattr(args, "metrics_port", 0):
        return None
    from connectors.metrics import HealthServer
    try:
        server = HealthServer(args.metrics_host, args.metrics_port, ready=ready)
    except OSError as exc:  # said alone ('[Errno 98] Address already in use'), it named neither address nor setting
        raise RuntimeError(f"cannot serve /metrics on {args.metrics_host}:{args.metrics_port} ({exc.strerror or exc}):"
                           " give --metrics-port (NEWSFLOW_METRICS_PORT) a free port, or 0 for none, and"
                           " --metrics-host (NEWSFLOW_METRICS_HOST) an address of this host") from None
    server.start()
    logging.getLogger("newsflow.ingest").info("metrics on http://%s:%d/metrics", args.metrics_host, server.port)
    return server


# -- commands ------------------------------------------------------------------------------------
def cmd_files(args) -> int:
    from .options import require_paths

    require_paths("ingest files", args.paths, stdin=False)
    _setup_logging(args)
    from tqdm import tqdm

    from connectors.files import ingest_files
    stop = _stop_between_batches()
    sink = _make_sink(args, "files")
    # the record count is not known before the files are read: the bar shows the count and the rate
    bar = tqdm(desc="ingest files", unit=" records", file=sys.stderr, mininterval=1.0, disable=args.no_progress)
    settled = 0

    def batch_settled(records: int) -> None:
        nonlocal settled
        settled += records
        bar.update(records)
        stop()

    try:
        stop()  # asked while the broker was waited for
        result = ingest_files(args.paths, sink, source=args.source, max_bytes=args.max_bytes,
                              delivery_timeout=args.delivery_timeout, progress=batch_settled, rows=args.rows)
    except SystemExit as exc:
        if isinstance(exc.code, int) and exc.code > 128:  # the stop asked for by a signal
            bar.close()
            print(f"files: stopped by {signal.Signals(exc.code - 128).name} after {settled} records delivered or"
                  " rejected", file=sys.stderr)
        raise
    finally:
        bar.close()
        try:
            sink.close()
        except Exception as exc:  # noqa: BLE001
            print(f"closing the producer failed: {exc}", file=sys.stderr)
    reasons = ", ".join(f"{reason}={n}" for reason, n in sorted(result.rejected.items())) or "none"
    print(f"files: {result.files} read, {result.delivered} raw articles delivered to {args.topic if not args.stdout else 'stdout'},"
          f" {result.rejected_total} rejected ({reasons}), {result.skipped} skipped"
          + ("; DELIVERY FAILED" if result.failed else ""), file=sys.stderr)
    return 1 if result.failed else 0


def cmd_rss(args) -> int:
    from .options import require_paths

    require_paths("ingest rss --feeds", [args.feeds], stdin=False, files_only=True)
    _setup_logging(args)
    from connectors.rss import FeedListError, RssConnector, load_feeds
    try:
        feeds = load_feeds(args.feeds, default_interval=args.interval)
    except FeedListError as exc:  # one line: a YAML parser's message spans several, with a caret under the fault
        raise SettingsError(f"--feeds {' '.join(str(exc).split())}") from None
    fetcher = _make_fetcher(args, "rss")  # first: a bad NEWSFLOW_ALLOW_NETWORKS is refused before a producer is made
    sink = _make_sink(args, "rss", check_topics=False)  # _run checks them
    state = args.state or str(state_dir() / "rss.sqlite")
    connector = RssConnector(feeds, sink, fetcher, state_path=state, fetch_pages=args.fetch_pages,
                             delivery_timeout=args.delivery_timeout, jitter=args.jitter,
                             max_backoff=args.max_backoff)
    return _run(args, connector, sink, connector.poll_all)


def _stop_on_signals(connector) -> None:
    """SIGTERM (systemd stop, a Kubernetes rollout) or Ctrl-C ends the loop after the request in
    hand, so the sink is flushed and closed; by default Python would die with messages in flight.

    The handler hands the work to a thread: Event.set() inside it could wait for a lock the
    interrupted code holds. A second signal ends the process at once."""
    def on_signal(signum, frame):  # noqa: ARG001
        if connector.stop_event.is_set():
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        logging.getLogger("newsflow.ingest").info("stopping after the current item (%s)",
                                                  signal.Signals(signum).name)
        threading.Thread(target=connector.stop_event.set, daemon=True).start()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)


def _stop_between_batches():
    """SIGTERM (systemd, `timeout`) or Ctrl-C stops `ingest files` once the batch in hand is settled,
    never inside a Kafka client call, which loses the exit (see service._exit_on_signal); the returned
    check raises SystemExit(128 + the signal) then. A second signal ends the process at once."""
    asked: list[int] = []

    def on_signal(signum, frame):  # noqa: ARG001
        if asked:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        asked.append(signum)
        logging.getLogger("newsflow.ingest").info("stopping after the batch in hand (%s); a second signal stops"
                                                  " at once", signal.Signals(signum).name)

    def check() -> None:
        if asked:
            raise SystemExit(128 + asked[0])

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)
    return check


def _run(args, connector, sink, one_pass) -> int:
    """One pass (--once, exit 1 if delivery failed or every feed or URL did) or poll until SIGTERM or Ctrl-C; metrics served
    meanwhile. A stop asked for by a signal is a clean exit (0).

    The topics are checked first. A single pass gives up after a minute, as a batch job should; a
    poller started before its broker waits for it, /healthz up and /readyz 503 meanwhile."""
    reachable = threading.Event()
    server = _start_metrics(args, lambda: reachable.is_set() and connector.ready())
    _stop_on_signals(connector)
    try:
        if not args.stdout and not _topics_ready(args, connector.stop_event):
            return 0  # stopped while waiting for the broker
        reachable.set()
        if args.once:
            summary = one_pass()
            print(summary.describe(), file=sys.stderr)
            return 1 if summary.delivery_failed or summary.all_failed else 0
        connector.run_forever()
        return 0
    finally:
        connector.close()
        sink.close()
        if server:
            server.stop()


def _topics_ready(args, stop: threading.Event) -> bool:
    if args.once:
        _topic_check(args)()
        return True
    from connectors.sink import wait_until_reachable
    from pipeline.topics import MissingTopics

    return wait_until_reachable(_topic_check(args, timeout=10.0), stop, name=f"ingest {args.ingest_command}",
                                fatal=(MissingTopics,))


def cmd_urls(args) -> int:
    from .options import require_paths

    require_paths("ingest urls", [args.file] if args.file else [], stdin=False, files_only=True)
    _setup_logging(args)
    from connectors.pages import PagesConnector
    if not args.file and not args.sitemap:
        print("newsflow ingest urls: give a FILE of URLs or --sitemap URL", file=sys.stderr)
        return 2
    fetcher = _make_fetcher(args, "pages")  # first: a bad NEWSFLOW_ALLOW_NETWORKS is refused before a producer is made
    sink = _make_sink(args, "pages", check_topics=False)  # _run checks them
    state = args.state or str(state_dir() / "pages.sqlite")
    connector = PagesConnector(sink, fetcher, url_file=args.file, sitemaps=args.sitemap or [],
                               source=args.source, state_path=state, per_host_delay=args.per_host_delay,
                               per_host_concurrency=args.per_host_concurrency, concurrency=args.concurrency,
                               delivery_timeout=args.delivery_timeout, interval=args.interval,
                               respect_robots=not args.ignore_robots)
    return _run(args, connector, sink, connector.run_once)


def cmd_serve_ingest(args) -> int:
    _setup_logging(args)
    from connectors.http_ingest import serve
    token = args.token
    if not token and not args.no_auth:
        print("newsflow serve-ingest: set NEWSFLOW_INGEST_TOKEN (or --token), or pass --no-auth for a local test",
              file=sys.stderr)
        return 2
    from pipeline.topics import MissingTopics

    # The port opens first and answers 503 until the topics are checked, so a broker that starts
    # later is waited for (with /healthz up) instead of ending the process. A send waits for the
    # broker no longer than an answer does (the producer's max_block_ms).
    sink = _make_sink(args, "http", check_topics=False, max_block_ms=int(args.ack_timeout * 1000))
    try:
        serve(sink, host=args.host, port=args.port, token=None if args.no_auth else token,
              max_body=args.max_body, max_items=args.max_items, ack_timeout=args.ack_timeout,
              client_timeout=args.client_timeout, max_connections=args.max_connections,
              prepare=None if args.stdout else _topic_check(args, timeout=10.0), fatal=(MissingTopics,))
    finally:
        # all that is still queued was answered 503 (the client resends it): a stop waits little for it
        sink.close(timeout=min(args.ack_timeout, 5.0))
    return 0


# -- registration --------------------------------------------------------------------------------
def register(subparsers) -> None:
    ingest = subparsers.add_parser("ingest", help="put articles on news.raw (files, RSS/Atom feeds, web pages)")
    ingest_sub = ingest.add_subparsers(dest="ingest_command", metavar="{files,rss,urls}")
    ingest_sub.required = True

    files = ingest_sub.add_parser("files", help="local .txt/.html/.json/.jsonl files, gzipped or not, and folders (and .csv/.tsv with --rows)")
    files.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (walked recursively, sorted)")
    files.add_argument("--source", default=env("NEWSFLOW_SOURCE"),
                       help="source of .txt/.html files (default: the parent folder's name) and of JSON records"
                            " that carry none (default: none, and such a record is rejected; with --rows, the row's"
                            " URL host, else 'row:' and its id) (env NEWSFLOW_SOURCE)")
    files.add_argument("--max-bytes", type=COUNT, default=env_number("NEWSFLOW_FILE_MAX_BYTES", 8 * 1024 * 1024, COUNT),
                       help="largest file or record accepted (env NEWSFLOW_FILE_MAX_BYTES; default %(default)s); a raw"
                            " article larger than NEWSFLOW_MAX_RAW_BYTES once encoded as JSON is rejected too (too_large)")
    files.add_argument("--rows", action="store_true",
                       help="each JSON object, and each row of a .csv/.tsv file (with a header line), is a row exported "
                            "from elsewhere (a dataset, a scraper's output, a spreadsheet) under its own field names "
                            "(doc_id/article_id, body/maintext, headline, pubDate/published_at, link ...), "
                            "not a raw article; other fields, such as labels, are left out")
    files.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    _add_sink_options(files)
    files.set_defaults(func=cmd_files)

    rss = ingest_sub.add_parser("rss", help="poll RSS, Atom and JSON Feed feeds (conditional GET, persisted state)")
    rss.add_argument("--feeds", default=env("NEWSFLOW_FEEDS"), required=env("NEWSFLOW_FEEDS") is None,
                     help="feed list: OPML, YAML with a 'feeds:' list of URLs or of {url, name, interval}, or plain text"
                          " with one URL per line (env NEWSFLOW_FEEDS)")
    rss.add_argument("--once", action="store_true", help="poll every feed once and exit")
    rss.add_argument("--state", default=env("NEWSFLOW_RSS_STATE"),
                     help="SQLite state file (env NEWSFLOW_RSS_STATE; default $NEWSFLOW_STATE_DIR/rss.sqlite)")
    rss.add_argument("--interval", type=INTERVAL, default=env_number("NEWSFLOW_FEED_INTERVAL", 900.0, INTERVAL),
                     help="default seconds between polls of one feed (env NEWSFLOW_FEED_INTERVAL; default %(default)s)")
    rss.add_argument("--jitter", type=FRACTION, default=env_number("NEWSFLOW_FEED_JITTER", 0.1, FRACTION),
                     help="random fraction added to/removed from each interval (env NEWSFLOW_FEED_JITTER;"
                          " default %(default)s)")
    rss.add_argument("--max-backoff", type=SECONDS, default=env_number("NEWSFLOW_FEED_MAX_BACKOFF", 6 * 3600.0, SECONDS),
                     help="longest wait after repeated errors (env NEWSFLOW_FEED_MAX_BACKOFF; default %(default)s)")
    rss.add_argument("--fetch-pages", action="store_true", default=env_bool("NEWSFLOW_FETCH_PAGES"),
                     help="fetch the full page of each new entry as html (env NEWSFLOW_FETCH_PAGES)")
    _add_http_options(rss)
    _add_sink_options(rss)
    rss.set_defaults(func=cmd_rss)

    urls = ingest_sub.add_parser("urls", help="fetch web pages from a URL list or a sitemap (robots.txt respected)")
    urls.add_argument("file", nargs="?", help="text file with one URL per line (# comments)")
    urls.add_argument("--sitemap", action="append", metavar="URL", help="sitemap or sitemap index URL; repeatable")
    urls.add_argument("--once", action="store_true", help="fetch every listed URL once and exit")
    urls.add_argument("--source", default=env("NEWSFLOW_SOURCE"),
                      help="source name (env NEWSFLOW_SOURCE; default: the page's host name)")
    urls.add_argument("--state", default=env("NEWSFLOW_PAGES_STATE"),
                      help="SQLite state file (env NEWSFLOW_PAGES_STATE; default $NEWSFLOW_STATE_DIR/pages.sqlite)")
    urls.add_argument("--interval", type=INTERVAL, default=env_number("NEWSFLOW_URLS_INTERVAL", 900.0, INTERVAL),
                      help="seconds between re-reading the list/sitemap without --once (env NEWSFLOW_URLS_INTERVAL;"
                           " default %(default)s)")
    urls.add_argument("--per-host-delay", type=SECONDS_OR_ZERO, default=env_number("NEWSFLOW_PER_HOST_DELAY", 1.0, SECONDS_OR_ZERO),
                      help="minimum seconds between requests to one host; robots.txt Crawl-delay wins when longer"
                           " (env NEWSFLOW_PER_HOST_DELAY; default %(default)s)")
    urls.add_argument("--per-host-concurrency", type=COUNT, default=env_number("NEWSFLOW_PER_HOST_CONCURRENCY", 1, COUNT),
                      help="requests in flight per host (env NEWSFLOW_PER_HOST_CONCURRENCY; default %(default)s)")
    urls.add_argument("--concurrency", type=COUNT, default=env_number("NEWSFLOW_CONCURRENCY", 4, COUNT),
                      help="requests in flight in all (env NEWSFLOW_CONCURRENCY; default %(default)s)")
    urls.add_argument("--ignore-robots", action="store_true", default=env_bool("NEWSFLOW_IGNORE_ROBOTS"),
                      help="do not read robots.txt (only for sites you run; env NEWSFLOW_IGNORE_ROBOTS)")
    _add_http_options(urls)
    _add_sink_options(urls)
    urls.set_defaults(func=cmd_urls)

    serve = subparsers.add_parser("serve-ingest", help="HTTP endpoint that puts posted articles on news.raw")
    serve.add_argument("--host", default=env("NEWSFLOW_INGEST_HOST", "127.0.0.1"),
                       help="listen address (env NEWSFLOW_INGEST_HOST; default %(default)s)")
    serve.add_argument("--port", type=PORT, default=env_number("NEWSFLOW_INGEST_PORT", 8088, PORT),
                       help="listen port (env NEWSFLOW_INGEST_PORT; default %(default)s)")
    serve.add_argument("--token", default=env("NEWSFLOW_INGEST_TOKEN"),
                       help="bearer token clients must send (env NEWSFLOW_INGEST_TOKEN)")
    serve.add_argument("--no-auth", action="store_true", help="accept requests without a token (local tests only)")
    serve.add_argument("--max-body", type=COUNT, default=env_number("NEWSFLOW_INGEST_MAX_BYTES", 8 * 1024 * 1024, COUNT),
                       help="largest request body; larger ones get 413 (env NEWSFLOW_INGEST_MAX_BYTES;"
                            " default %(default)s)")
    serve.add_argument("--max-items", type=COUNT, default=env_number("NEWSFLOW_INGEST_MAX_ITEMS", 1000, COUNT),
                       help="largest batch (env NEWSFLOW_INGEST_MAX_ITEMS; default %(default)s)")
    serve.add_argument("--ack-timeout", type=SECONDS, default=env_number("NEWSFLOW_INGEST_ACK_TIMEOUT", 10.0, SECONDS),
                       help="seconds to wait for the broker's ack before answering 503"
                            " (env NEWSFLOW_INGEST_ACK_TIMEOUT; default %(default)s)")
    serve.add_argument("--client-timeout", type=SECONDS,
                       default=env_number("NEWSFLOW_INGEST_CLIENT_TIMEOUT", 60.0, SECONDS),
                       help="seconds a client has to send its request's headers, as long again for its body (408"
                            " after), and that an idle connection is kept (env NEWSFLOW_INGEST_CLIENT_TIMEOUT;"
                            " default %(default)s)")
    # under the usual soft limit of 1024 file descriptors, with room for Kafka's sockets and the process's own
    serve.add_argument("--max-connections", type=COUNT,
                       default=env_number("NEWSFLOW_INGEST_MAX_CONNECTIONS", 512, COUNT),
                       help="connections served at once; one more is answered 503 (Retry-After: 1), /healthz and"
                            " /metrics still 200 (env NEWSFLOW_INGEST_MAX_CONNECTIONS; default %(default)s)")
    _add_sink_options(serve, delivery_timeout=False)  # its deadline is --ack-timeout
    serve.set_defaults(func=cmd_serve_ingest)
