"""The ASGI edge: bytes in, pipeline, bytes out."""
