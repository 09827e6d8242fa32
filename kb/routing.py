"""URL rules whose compiled URL builders are shared by every app of the process.

Werkzeug compiles two Python functions per URL rule (building a URL with and without extra query
arguments) by generating and compiling an AST, when the rule is added. The test suite builds one app per
test, about 160 rules each: that compiling was a third of the suite's time. A builder depends only on the
rule's text, its host or subdomain, its parsed parts and its defaults, so apps of one process can share
it. A production process builds one app, and gains nothing and loses nothing.
"""
from __future__ import annotations

from typing import Any, Callable, ClassVar

from werkzeug.routing import Rule


class SharedBuilderRule(Rule):
    """A werkzeug `Rule` whose URL builders come from a process-wide cache (see the module docstring)."""

    _builders: ClassVar[dict[tuple[Any, ...], Callable[..., tuple[str, str]]]] = {}

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        defaults = tuple(sorted((key, repr(value)) for key, value in (self.defaults or {}).items()))
        key = (self.rule, self.subdomain, self.host, self.merge_slashes, tuple(self._trace), defaults,
               append_unknown)
        builder = self._builders.get(key)
        if builder is None:
            # An unbound function taking the rule as its first argument: Rule.compile binds it to self.
            builder = self._builders[key] = super()._compile_builder(append_unknown)
        return builder
