"""Derived data, kept by one mechanism that every write passes through (DESIGN.md §2).

A capability declares what a row's derived columns are made of, once:

    search.derive(Offer, compute=offer_search_data, reads=("title", "company_id", ...),
                  follows=[(Offer.company_id, ("name",))])

- `compute(session, ids)` reads the rows as they are in the database and gives each id its derived values
  ({"search_text": ...}); it is the only definition of the search data.
- `reads` are the row's own columns the values depend on; `follows` are the other rows they depend on, each
  given by a foreign-key column and the columns read from the other side. The key may sit on the derived row
  (an offer's `company_id`: renaming the company refreshes its offers) or on the other row (a contact's
  `company_id`: editing, archiving or moving a contact refreshes its company, the old one too).
- The columns followed may be the other row's own derived columns (a PMSMP convention follows its young
  person's and its company's `search_text`): the rows are then refreshed after that derivation writes new
  values, whatever changed them (a company's search text changes with its contacts), never before.
- `siblings` are the other rows of the same table the values depend on, those sharing a key: a column of the
  derived row and the columns read from its siblings (a check-in's `hire_id` and `situation`: recording,
  correcting, moving or deleting a check-in refreshes every check-in of its hire, of the old hire too).

Every ORM flush is followed (`after_flush`, the database then holds the flushed rows) by the recomputation of
the rows it touched, directly or through what they follow; SQL statements run through the session (the
`UPDATE ... WHERE` of a merge, bulk imports) are followed the same way (`do_orm_execute`: the keys the
statement changes are read before and after it). The derived values are written at once (on PostgreSQL, many
rows through a temporary table filled by COPY, then one UPDATE), without touching `updated_at` or the
optimistic-locking version (a derived change is not an edit: nobody's open form becomes stale because a
contact was added), and the loaded objects are given the new values. The values are folded in Python
(`portal.text.fold`: accents, case, punctuation), so SQL
searches them with a plain LIKE, served on PostgreSQL by a pg_trgm GIN index (no `unaccent` needed).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, any_, bindparam, event, inspect, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

Compute = Callable[[Session, list[Any]], dict[Any, dict[str, Any]]]

_CHUNK = 500  # keys named by one statement: bound parameters on SQLite, one array parameter on PostgreSQL
_ARRAY_CHUNK = 10_000
_WRITING = "search.writing"


@dataclass(frozen=True, eq=False)
class Derivation:
    """The derived columns of one model and how to compute them."""

    model: type
    columns: tuple[str, ...]
    compute: Compute

    @property
    def table(self) -> Table:
        return self.model.__table__

    @property
    def key(self):
        (column,) = self.table.primary_key.columns
        return column


@dataclass(frozen=True, eq=False)
class Watch:
    """Rows of `source` whose `columns` change make the derivation's rows matching their `source_key` stale."""

    derivation: Derivation
    source: Table
    columns: frozenset[str]
    source_key: str
    target_column: Any  # column of the derived table compared with the source key's values
    own: bool = False  # the derived rows' watch on their own columns (a deleted row has nothing left to refresh)


_DERIVATIONS: dict[type, Derivation] = {}
_WATCHES: dict[str, list[Watch]] = defaultdict(list)


def derive(model: type, *, compute: Compute, reads: Iterable[str], columns: Iterable[str] = ("search_text",),
           follows: Iterable[tuple[Any, Iterable[str]]] = (),
           siblings: Iterable[tuple[Any, Iterable[str]]] = ()) -> Derivation:
    """Declare the derived `columns` of `model` (see the module's docstring). Declaring a model again
    replaces its declaration (a module imported twice registers once)."""
    old = _DERIVATIONS.get(model)
    if old is not None:
        for watches in _WATCHES.values():
            watches[:] = [w for w in watches if w.derivation is not old]
    derivation = Derivation(model, tuple(columns), compute)
    _DERIVATIONS[model] = derivation
    table = derivation.table
    _WATCHES[table.name].append(Watch(derivation, table, frozenset(reads), derivation.key.name, derivation.key,
                                      own=True))
    for link, read in follows:
        column = link.property.columns[0] if hasattr(link, "property") else link
        (foreign_key,) = column.foreign_keys
        referenced = foreign_key.column
        if column.table is table:  # the derived row holds the other row's key
            watch = Watch(derivation, referenced.table, frozenset(read), referenced.name, column)
        else:  # the other row holds the derived row's key (moving it changes two derived rows)
            watch = Watch(derivation, column.table, frozenset(read) | {column.name}, column.name, referenced)
        _WATCHES[watch.source.name].append(watch)
    for link, read in siblings:  # rows of the same table sharing the key (moving a row changes two groups)
        column = link.property.columns[0] if hasattr(link, "property") else link
        _WATCHES[table.name].append(Watch(derivation, table, frozenset(read) | {column.name}, column.name, column))
    return derivation


def derivations() -> list[Derivation]:
    return list(_DERIVATIONS.values())


# --- recomputation ---------------------------------------------------------------------------------------


def among(session: Session, column, values: Iterable[Any]):
    """`column IN values`; on PostgreSQL `column = ANY(array)`: one parameter however many values, where an IN
    list of thousands of bound parameters is slow to compile and to send."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
    return column.in_(values)


def _chunks(session: Session, values: Iterable[Any]) -> Iterable[list[Any]]:
    values = values if isinstance(values, list) else sorted(values)
    size = _ARRAY_CHUNK if session.get_bind().dialect.name == "postgresql" else _CHUNK
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _stored(session: Session, derivation: Derivation, ids: list[Any]) -> dict[Any, dict[str, Any]]:
    table = derivation.table
    stmt = select(derivation.key, *(table.c[c] for c in derivation.columns)).where(among(session, derivation.key, ids))
    return {row[0]: dict(zip(derivation.columns, row[1:], strict=True)) for row in session.execute(stmt)}


def _write(session: Session, derivation: Derivation, kept: dict, changes: list[tuple[Any, dict[str, Any]]]) -> None:
    """Write the changed derived values. On PostgreSQL, several rows go through a temporary table filled by COPY,
    then one `UPDATE … FROM` it: a bulk import of 10,000 rows costs four statements, with no bind parameters
    to compile nor split. Elsewhere (SQLite), one executemany of an UPDATE by primary key."""
    table, key = derivation.table, derivation.key
    names = list(derivation.columns)
    if session.get_bind().dialect.name != "postgresql" or len(changes) == 1:
        statement = (update(table).where(key == bindparam("_key"))
                     .values({c: bindparam("_" + c) for c in names} | kept))
        session.execute(statement, [{"_key": ident} | {"_" + c: v for c, v in values.items()}
                                    for ident, values in changes])
        return
    from psycopg import sql  # PostgreSQL only: SQLite runs without psycopg

    scratch = sql.Identifier("_derived_" + table.name)
    target = sql.Identifier(table.name)
    fields = [sql.Identifier(n) for n in [key.name, *names]]
    connection = session.connection().connection.driver_connection
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(
            scratch, sql.SQL(", ").join(fields), target))
        with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(scratch, sql.SQL(", ").join(fields))) as copy:
            for ident, values in changes:
                copy.write_row([ident, *(values[c] for c in names)])
        # a derived change is not an edit: columns with an `onupdate` (updated_at, version) are left as they are
        cursor.execute(sql.SQL("UPDATE {target} SET {sets} FROM {scratch} WHERE {target}.{key} = {scratch}.{key}")
                       .format(target=target, scratch=scratch, key=fields[0],
                               sets=sql.SQL(", ").join(sql.SQL("{} = {}.{}").format(f, scratch, f)
                                                       for f in fields[1:])))
        cursor.execute(sql.SQL("DROP TABLE {}").format(scratch))


def refresh(session: Session, derivation: Derivation, ids: Iterable[Any]) -> list[Any]:
    """Recompute the derived columns of these rows and write those that changed; returns the changed ones' keys."""
    table = derivation.table
    kept = {c.name: c for c in table.columns if c.onupdate is not None and c.name not in derivation.columns}
    changes: list[tuple[Any, dict[str, Any]]] = []
    for chunk in _chunks(session, set(ids)):
        stored = _stored(session, derivation, chunk)
        fresh = derivation.compute(session, list(stored))
        changes += [(ident, values) for ident, values in fresh.items() if values != stored.get(ident)]
    if not changes:
        return []
    session.info[_WRITING] = True
    try:
        _write(session, derivation, kept, changes)
    finally:
        session.info.pop(_WRITING, None)
    just_inserted = {inspect(o).mapper.identity_key_from_instance(o): o for o in session.new
                     if isinstance(o, derivation.model)}  # not in the identity map before the flush ends
    for ident, values in changes:
        key = identity_key(derivation.model, ident)
        instance = session.identity_map.get(key) or just_inserted.get(key)
        if instance is not None:
            for column, value in values.items():
                set_committed_value(instance, column, value)
    return [ident for ident, _ in changes]


def _targets(session: Session, keys: dict[Watch, set[Any]]) -> dict[Derivation, set[Any]]:
    """The derived rows that the changed source keys reach."""
    found: dict[Derivation, set[Any]] = defaultdict(set)
    for watch, values in keys.items():
        values.discard(None)
        if not values:
            continue
        if watch.target_column is watch.derivation.key:
            found[watch.derivation] |= values
            continue
        for chunk in _chunks(session, values):
            found[watch.derivation].update(session.scalars(
                select(watch.derivation.key).where(among(session, watch.target_column, chunk))))
    return found


def _derived(table: Table) -> frozenset[str]:
    """The columns of `table` that a derivation writes."""
    return frozenset(c for d in _DERIVATIONS.values() if d.table is table for c in d.columns)


def _watches(table_name: str) -> list[Watch]:
    """The watches a write to the table may trigger; those following only derived columns are triggered when
    the derivation writes them (`_refresh_all`)."""
    return [w for w in _WATCHES.get(table_name, ()) if not w.columns or not w.columns <= _derived(w.source)]


def _depth(derivation: Derivation) -> int:
    """How many derivations stand before this one (a convention's search text after its company's)."""
    before = [d for d in _DERIVATIONS.values() if d is not derivation and any(
        w.derivation is derivation and w.columns & set(d.columns) for w in _WATCHES.get(d.table.name, ()))]
    return 1 + max(map(_depth, before)) if before else 0


def _followers(session: Session, derivation: Derivation, changed: list[Any]) -> dict[Watch, set[Any]]:
    """The keys, for each watch following the derivation's columns, of the rows whose derived values changed."""
    keys: dict[Watch, set[Any]] = defaultdict(set)
    for watch in _WATCHES.get(derivation.table.name, ()):
        if watch.derivation is derivation or not watch.columns & set(derivation.columns):
            continue
        for chunk in _chunks(session, changed):
            keys[watch].update(chunk if watch.source_key == derivation.key.name else session.scalars(
                select(derivation.table.c[watch.source_key]).where(among(session, derivation.key, chunk))))
    return keys


def _refresh_all(session: Session, keys: dict[Watch, set[Any]]) -> None:
    """Refresh the rows the keys reach, then the rows following the derived values that changed."""
    pending = _targets(session, keys)
    while pending:
        derivation = min(pending, key=_depth)
        changed = refresh(session, derivation, pending.pop(derivation))
        for follower, ids in _targets(session, _followers(session, derivation, changed)).items():
            pending.setdefault(follower, set()).update(ids)


def copied(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows written beside the session's statements (PostgreSQL COPY, portal/bulk.py): recompute what depends
    on them, as after an INSERT through the session. Rows carry their primary key when a derivation needs it."""
    watches = _watches(table.name)
    if not watches or not rows:
        return
    keys: dict[Watch, set[Any]] = defaultdict(set)
    for watch in watches:
        if watch.source_key not in rows[0]:
            raise RuntimeError(f"Insertion groupée dans {table.name} sans « {watch.source_key} » : données de "
                               "recherche impossibles à tenir.")
        keys[watch].update(row[watch.source_key] for row in rows)
    _refresh_all(session, keys)


def stale(session: Session) -> dict[type, list[Any]]:
    """Rows whose stored derived values differ from a fresh computation (a check, for tests and the CLI)."""
    found = {}
    for derivation in derivations():
        ids = list(session.scalars(select(derivation.key)))
        wrong = []
        for chunk in _chunks(session, ids):
            stored = _stored(session, derivation, chunk)
            fresh = derivation.compute(session, chunk)
            wrong += [ident for ident in chunk if fresh.get(ident) != stored.get(ident)]
        if wrong:
            found[derivation.model] = wrong
    return found


# --- ORM flushes -----------------------------------------------------------------------------------------


def _value_sets(state, key: str, *, loadable: bool) -> set[Any]:
    """Every value the attribute had in this flush: the new one and the one it replaced."""
    if key not in state.dict and loadable and not state.was_deleted:
        getattr(state.obj(), key)  # expired: read the flushed row
    history = state.attrs[key].history
    values = set(history.added or ()) | set(history.deleted or ()) | set(history.unchanged or ())
    if key in state.dict:
        values.add(state.dict[key])
    return values


def _changed(state, key: str) -> bool:
    """Whether the flush wrote the attribute (one set to an SQL expression is expired, without history)."""
    return state.attrs[key].history.has_changes() or key in state.expired_attributes


def _attribute(state, column: str) -> str:
    return state.mapper.get_property_by_column(state.mapper.local_table.c[column]).key


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context) -> None:
    keys: dict[Watch, set[Any]] = defaultdict(set)
    for kind, instances in (("new", session.new), ("dirty", session.dirty), ("deleted", session.deleted)):
        for instance in instances:
            state = inspect(instance)
            for watch in _watches(state.mapper.local_table.name):
                if kind == "deleted" and watch.own:
                    continue  # the derived row itself is gone (its siblings stay, to refresh)
                if kind == "dirty" and not any(_changed(state, _attribute(state, c)) for c in watch.columns):
                    continue
                keys[watch] |= _value_sets(state, _attribute(state, watch.source_key), loadable=kind != "deleted")
    if keys:
        _refresh_all(session, keys)


# --- statements run through the session (bulk UPDATE, DELETE, INSERT) --------------------------------------


def _names(keys: Iterable[Any]) -> set[str]:
    return {getattr(k, "key", k) for k in keys}


def _statement_rows(state: ORMExecuteState) -> list[dict[str, Any]]:
    """The rows a DML statement writes: its parameters, or its inline VALUES."""
    parameters = state.parameters
    if isinstance(parameters, list):
        return [_plain(p) for p in parameters]
    inline = {getattr(k, "key", k): getattr(v, "value", v) for k, v in (getattr(state.statement, "_values", None)
                                                                           or {}).items()}
    return [inline | _plain(parameters or {})]


def _plain(row: dict) -> dict[str, Any]:
    return {getattr(k, "key", k): v for k, v in row.items()}


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: ORMExecuteState):
    if not (state.is_update or state.is_delete or state.is_insert) or state.session.info.get(_WRITING):
        return None
    statement = state.statement
    watches = _watches(getattr(statement.table, "name", None))
    if not watches:
        return None
    session = state.session
    rows = _statement_rows(state)
    if state.is_update:
        written = _names(k for row in rows for k in row)
        watches = [w for w in watches if not written or w.columns & written]
    if not watches:
        return None
    table = watches[0].source
    (primary,) = table.primary_key.columns
    wanted = sorted({w.source_key for w in watches})
    keys: dict[Watch, set[Any]] = defaultdict(set)

    def read(ids: list[Any]) -> None:
        for chunk in _chunks(session, ids):
            for row in session.execute(select(*(table.c[k] for k in wanted)).where(among(session, primary, chunk))):
                values = dict(zip(wanted, row, strict=True))
                for watch in watches:
                    keys[watch].add(values[watch.source_key])

    if state.is_insert:
        result = state.invoke_statement()
        ids = [row.get(primary.key) for row in rows]
        if None in ids and any(w.source_key == primary.name for w in watches):
            if statement._returning:  # noqa: SLF001 (give the caller the rows it asked for, read them too)
                frozen = result.freeze()
                ids = [row._mapping[primary.key] for row in frozen().all()]
                result = frozen()
            elif len(rows) == 1 and result.inserted_primary_key:
                ids = [result.inserted_primary_key[0]]
            else:
                raise RuntimeError(f"Insertion groupée dans {table.name} sans identifiants : données de recherche "
                                   "impossibles à tenir (donnez les identifiants ou RETURNING).")
        for row, ident in zip(rows, ids, strict=True):
            for watch in watches:
                keys[watch].add(ident if watch.source_key == primary.name else row.get(watch.source_key))
    else:
        if isinstance(state.parameters, list):  # bulk UPDATE by primary key
            ids = [row.get(primary.key) for row in rows]
        else:
            where = statement.whereclause
            ids = list(session.scalars(select(primary).where(where) if where is not None else select(primary)))
        read(ids)
        result = state.invoke_statement()
        if state.is_update:
            read(ids)
    _refresh_all(session, keys)
    return result
