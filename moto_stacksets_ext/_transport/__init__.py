"""What carries requests in: the gateway (one request/response shape for the clouds a front-end of the
plugin serves), server-mode routing, TEST_SERVER_MODE forwarding and in-process interception of the clients
with a ``requests`` of their own and of aiohttp."""
