"""Who is calling: the client address as seen through the configured proxies."""

from flask import request


def client_address() -> str:
    # ProxyFix (installed when TRUST_PROXY_HOPS > 0) has already rewritten remote_addr.
    return request.remote_addr or "unknown"
