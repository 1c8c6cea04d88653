"""Parsed process versions kept per process by content hash: a bundle never changes once published,
so its spec is parsed once and shared by every step of every application on it."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from engine.core.errors import ProcessDefinitionError
from engine.workflow.specs import ParsedProcess, parse_bundle

log = logging.getLogger(__name__)


class SpecCache:
    """Parsed specs keyed by content hash; parsing costs far more than a workflow step."""

    def __init__(self, size: int = 64):
        self._size = size
        self._items: OrderedDict[str, ParsedProcess] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, content_hash: str, load_files) -> ParsedProcess:
        """The parsed bundle; ``load_files()`` is called only on a miss."""
        with self._lock:
            if content_hash in self._items:
                self._items.move_to_end(content_hash)
                return self._items[content_hash]
        files = load_files()
        try:
            parsed = parse_bundle(files)
        except ProcessDefinitionError as exc:
            # A published bundle passed the checks of its day; one added since must not stop the
            # applications running on it. Scripts are still checked again each time they run.
            log.warning(
                "Published process %s no longer passes a newer check (%s); loading it anyway.",
                content_hash[:12],
                "; ".join(f"{e}: {m}" for e, m in exc.findings[:3]),
            )
            parsed = parse_bundle(files, lint=False)
        self.put(content_hash, parsed)
        return parsed

    def put(self, content_hash: str, parsed: ParsedProcess) -> None:
        with self._lock:
            self._items[content_hash] = parsed
            self._items.move_to_end(content_hash)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


SPECS = SpecCache()
