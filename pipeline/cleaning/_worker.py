"""Entry point of one extractor process (started by HtmlExtractor; not meant to be run by hand)."""
import sys
from multiprocessing.connection import Connection

from pipeline.cleaning.extract import _worker_main

if __name__ == "__main__":
    _worker_main(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False),
                 int(sys.argv[3]) if len(sys.argv) > 3 else 0)
