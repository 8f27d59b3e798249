"""The test-control surface behind ``moto_stacksets_ext.control``: the HTTP control API and its remote
client, argument checks, the OpenAPI document, the record of calls and the live view."""
