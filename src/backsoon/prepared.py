"""A query built and compiled by the ORM once per database connection.

The away page's poll runs every 20 s on every open away page, and building and compiling
its one query (a filtered join and three subqueries) cost about four times as much Python
as running it. `Prepared` builds the queryset once with stand-in numbers for the values
that change per request, finds where those numbers landed among the SQL parameters, and
afterwards only swaps the real values in, executes, and applies the ORM's own converters
(aware datetimes, JSON) to the rows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

_STAND_IN = -7_310_000_000  # beyond any id, and negative: never a real parameter


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], *names: str):
        """`build(**values)` makes the `values()` queryset; `names` are its per-request values."""
        self.build = build
        self.names = names

    def rows(self, **values: int) -> list[dict]:
        """For a `values()` queryset: the rows as dicts."""
        connection, prepared = self._prepared()
        sql, params, slots, compiler, columns = prepared
        fetched = self._fetch(connection, sql, params, slots, values)
        return [dict(zip(columns, row, strict=True)) for row in _converted(compiler, fetched)]

    def objects(self, **values: int) -> list[Model]:
        """For a model queryset (select_related allowed, no annotations): the instances,
        made as Django's ModelIterable makes them."""
        connection, prepared = self._prepared()
        sql, params, slots, compiler, _columns = prepared
        fetched = self._fetch(connection, sql, params, slots, values)
        model, init_list, start, end, populators = self._makers(connection, compiler)
        made = []
        for row in _converted(compiler, fetched):
            obj = model.from_db(connection.alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            made.append(obj)
        return made

    def _prepared(self):
        connection = connections[DEFAULT_DB_ALIAS]
        # One per connection object (each thread has its own): the compiler is tied to it.
        cache = connection.__dict__.setdefault("_backsoon_prepared", {})
        prepared = cache.get(self)
        if prepared is None:
            prepared = cache[self] = self._compile(connection)
        return connection, prepared

    @staticmethod
    def _fetch(connection, sql, params, slots, values):
        params = list(params)
        for index, name in slots:
            params[index] = int(values[name])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _makers(self, connection, compiler):
        cache = connection.__dict__.setdefault("_backsoon_prepared_makers", {})
        makers = cache.get(self)
        if makers is None:
            if compiler.annotation_col_map:
                raise ValueError("objects() takes a queryset without annotations")
            klass_info, select = compiler.klass_info, compiler.select
            fields = klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            init_list = [f[0].target.attname for f in select[start:end]]
            populators = get_related_populators(klass_info, select, connection.alias)
            makers = cache[self] = (klass_info["model"], init_list, start, end, populators)
        return makers

    def _compile(self, connection):
        stand_ins = {name: _STAND_IN - i for i, name in enumerate(self.names)}
        queryset = self.build(**stand_ins)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in stand_ins.items()}
        slots = [(i, by_value[p]) for i, p in enumerate(params) if type(p) is int and p in by_value]
        missing = set(self.names) - {name for _i, name in slots}
        if missing:
            raise ValueError(f"not a parameter of the compiled query: {sorted(missing)}")
        # As QuerySet.values() names the columns (Django 5.2: `selected` keeps their order).
        columns = list(query.selected or [])
        if not columns:
            columns = [*query.extra_select, *query.values_select, *query.annotation_select]
        return sql, tuple(params), slots, compiler, columns


def _converted(compiler, fetched: list[tuple]):
    """The rows through the ORM's converters (aware datetimes, JSON, booleans on SQLite), as
    `compiler.results_iter` applies them, with the list of converters worked out only once."""
    converters = compiler.__dict__.get("_backsoon_converters")
    if converters is None:
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("a prepared query can't select composite fields")
        converters = compiler._backsoon_converters = compiler.get_converters(fields)
    if not converters:
        return fetched
    return list(compiler.apply_converters(fetched, converters))
