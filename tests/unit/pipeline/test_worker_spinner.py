"""The worker writes log records only: Faust's terminal spinner drew on stderr for each record at a log
level of warning or above (escape codes in JSON logs and pipes) and set the root logger to DEBUG."""
import logging

from pipeline import logs
from pipeline.app import create_app
from pipeline.settings import Settings
from pipeline.worker import make_worker


def test_at_warning_level_the_worker_writes_no_spinner_and_keeps_the_root_level(tmp_path, capfd):
    settings = Settings(kafka_bootstrap="127.0.0.1:1", data_dir=str(tmp_path), log_level="warning", web_port=7395)
    root = logging.getLogger()
    saved = root.level, list(root.handlers)
    try:
        logs.setup(settings.log_level, settings.log_format)
        worker = make_worker(create_app(settings), settings)
        worker._setup_logging()  # what execute_from_commandline does first
        capfd.readouterr()
        for n in range(3):
            logging.getLogger("newsflow.worker").debug("nothing to see %d", n)
            logging.getLogger("newsflow.worker").warning("something to see %d", n)
        out, err = capfd.readouterr()
        assert "\x1b[" not in out + err
        assert (out + err).count("something to see") == 3 and "nothing to see" not in out + err
        assert root.level >= logging.WARNING
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
