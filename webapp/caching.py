"""Static files named by their content: their URLs carry a hash of the file (``?v=…``), so a
browser keeps each for a year and asks again only when the file changed."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, request

from .assets import ASSETS

YEAR = 365 * 24 * 3600
_ENDPOINTS = ("static", "assets.asset")


@lru_cache(maxsize=512)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def register(app: Flask) -> None:
    def file_of(endpoint: str, values: dict) -> Path | None:
        if endpoint == "static" and values.get("filename"):
            return Path(app.static_folder) / values["filename"]
        if endpoint == "assets.asset" and ASSETS.get(values.get("name", "")):
            return Path(app.config["NODE_MODULES_DIR"]) / ASSETS[values["name"]]
        return None

    def version(endpoint: str, values: dict) -> str | None:
        path = file_of(endpoint, values or {})
        try:
            stat = path.stat() if path else None
        except OSError:
            return None
        return _digest(str(path), stat.st_mtime_ns, stat.st_size) if stat else None

    @app.url_defaults
    def _fingerprint(endpoint, values):
        if endpoint in _ENDPOINTS and "v" not in values:
            stamp = version(endpoint, values)
            if stamp:
                values["v"] = stamp

    @app.after_request
    def _long_cache(response):
        if (
            request.endpoint in _ENDPOINTS
            and response.status_code == 200
            and request.args.get("v")
            and request.args["v"] == version(request.endpoint, request.view_args)
        ):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
