"""`newsflow up` and `demo` ask the worker they started for /readyz where it listens: before, always
127.0.0.1, so a worker bound to ::1 or to one interface was never seen ready."""
from cli.service import readyz_url
from pipeline.settings import Settings


def test_the_readiness_url_follows_the_web_host():
    assert readyz_url(Settings(web_host="127.0.0.1", web_port=7000)) == "http://127.0.0.1:7000/readyz"
    assert readyz_url(Settings(web_host="::1", web_port=7000)) == "http://[::1]:7000/readyz"
    assert readyz_url(Settings(web_host="10.1.2.3", web_port=7000)) == "http://10.1.2.3:7000/readyz"


def test_a_worker_on_every_address_is_asked_on_loopback():
    assert readyz_url(Settings(web_host="0.0.0.0", web_port=7000)) == "http://127.0.0.1:7000/readyz"
    assert readyz_url(Settings(web_host="::", web_port=7000)) == "http://[::1]:7000/readyz"
