"""The one wiring point: settings in, ASGI application out. No I/O happens at import time."""

from __future__ import annotations

from imageshare.api.all import build_registry
from imageshare.api.registry import Registry
from imageshare.config import Settings
from imageshare.http.asgi import RpcApp
from imageshare.http.requestlog import configure_logging
from imageshare.pipeline.handle import Pipeline
from imageshare.store.database import Store
from imageshare.store.engine import make_engine


def create_app(
    settings: Settings, *, store: Store | None = None, registry: Registry | None = None
) -> RpcApp:
    store = store or Store(make_engine(settings.database_url))
    return RpcApp(Pipeline(settings, store, registry or build_registry()))


def create_app_from_env() -> RpcApp:
    """Factory for ``uvicorn --factory``: each worker process builds its own app, and sets up
    its own logging (the request log) as the settings say."""
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
