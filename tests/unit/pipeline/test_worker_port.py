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
