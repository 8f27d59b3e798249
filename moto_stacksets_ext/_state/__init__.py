"""The plugin's state outside the engine: the one store of namespaces (and the resets of process-wide
state), persistence and its codec, strict-signature credentials."""
