"""A worker refuses a web port another process holds, before it joins the consumer group."""
import socket

import pytest

from pipeline.settings import Settings
from pipeline.worker import require_web_port


def test_a_taken_web_port_is_refused_with_a_clear_error():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(RuntimeError, match=f"127.0.0.1:{port} is taken"):
            require_web_port(Settings(web_host="127.0.0.1", web_port=port))
    require_web_port(Settings(web_host="127.0.0.1", web_port=port))  # free again once released


def test_a_web_host_that_is_no_address_here_is_not_called_a_taken_port():
    """Before, any failure to bind said the port was taken by another worker."""
    with pytest.raises(RuntimeError, match="the web host 'no-such-host.invalid' is not an address of this machine"):
        require_web_port(Settings(web_host="no-such-host.invalid", web_port=6066))
    with pytest.raises(RuntimeError, match=r"cannot serve the web port on 192\.0\.2\.1:6066 \(.*\): check NEWSFLOW_WEB_HOST"):
        require_web_port(Settings(web_host="192.0.2.1", web_port=6066))  # TEST-NET-1: on no interface here


def test_an_ipv6_web_host_makes_a_worker_url_faust_can_read(tmp_path):
    """NEWSFLOW_WEB_HOST=::1 passed the port check, then Faust made http://::1:6066 of it and the
    worker ended in a ValueError traceback before it started."""
    from pipeline.app import create_app

    for host, url in (("::1", "http://[::1]:7000"), ("0.0.0.0", "http://0.0.0.0:7000")):
        app = create_app(Settings(kafka_bootstrap="127.0.0.1:1", data_dir=str(tmp_path), web_host=host, web_port=7000))
        assert str(app.conf.canonical_url) == url
        assert app.conf.web_bind == host
