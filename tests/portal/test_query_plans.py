"""The long lists read their first page from an index on their sort order.

At the large benchmark scale, sorting every row before the LIMIT cost 40-60 ms a page (bench/RESULTS.md);
reading the index costs a few. The statement the page really runs is captured, then explained on the test
database. PostgreSQL would rightly prefer a sequential scan on a test-sized table: the plan is asked with
sequential scans and sorts discouraged, so it shows whether an index able to give the order is there and
usable by that statement. SQLite (demonstration, one Mission Locale) plans from no statistics on an empty
table: there the index is checked to exist on the page's sort columns.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import event, insert, inspect

from crm.employers.models import Task

from portal.extensions import db

LISTS = [
    ("/entreprises", "FROM company", "ix_company_name_id", ["name", "id"]),
    ("/jeunes", "FROM youth_profile", "ix_youth_profile_name", ["last_name", "first_name", "id"]),
    ("/offres", "FROM offer", "ix_offer_updated_at_id", ["updated_at", "id"]),
    # difficulties first (the derived flag), then by due date: 9,716 open check-ins at large scale
    ("/suivis?tous=1", "FROM check_in", "ix_check_in_queue", ["needs_attention", "due_on", "id"]),
]


def _page_statement(client, url: str, table_from: str):
    """The statement (and its parameters) that reads the page's rows: the one with ORDER BY and LIMIT."""
    seen = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if table_from in statement and "ORDER BY" in statement and "LIMIT" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert response.status_code == 200
    assert seen, f"aucune requête paginée sur {table_from} pour {url}"
    return seen[0]


def _postgresql_plan(statement: str, parameters, *, sort: bool = False) -> str:
    connection = db.session.connection()
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    connection.exec_driver_sql(f"SET LOCAL enable_sort = {'on' if sort else 'off'}")
    return "\n".join(r[0] for r in connection.exec_driver_sql("EXPLAIN " + statement, parameters).all())


@pytest.mark.parametrize("url, table_from, index, columns", LISTS, ids=[u for u, *_ in LISTS])
def test_list_reads_its_order_from_an_index(url, table_from, index, columns, client, auth, make):
    auth.login(make.counsellor())
    statement, parameters = _page_statement(client, url, table_from)
    table = table_from.split()[1]
    order = statement.rsplit("ORDER BY", 1)[1]
    assert [c for c in columns if f"{table}.{c}" in order] == columns, order  # the page sorts by these
    indexes = {i["name"]: i["column_names"] for i in inspect(db.session.connection()).get_indexes(table)}
    assert indexes.get(index) == columns
    if db.session.connection().dialect.name == "postgresql":
        plan = _postgresql_plan(statement, parameters)
        assert index in plan, plan
        assert "Sort Key" not in plan, plan




@pytest.mark.parametrize("table", ["youth_profile", "company", "offer", "directory_service", "placement"])
def test_word_searches_have_a_trigram_index_on_postgresql(table):
    if db.session.connection().dialect.name != "postgresql":
        pytest.skip("index trigramme : PostgreSQL seulement (SQLite lit la table)")
    definition = db.session.connection().exec_driver_sql(
        "SELECT indexdef FROM pg_indexes WHERE indexname = %(name)s", {"name": f"ix_{table}_search_trgm"}).scalar()
    assert definition and "gin (search_text gin_trgm_ops)" in definition


def test_word_search_does_not_walk_the_name_order(client, auth, make):
    """A searched word is not looked for by walking the name index and filtering, which reads half the table
    when the word is a frequent last name (the « Martin » all sit under M): the matches are found (trigram
    index on PostgreSQL, measured in bench/RESULTS.md), then sorted."""
    auth.login(make.counsellor())
    statement, parameters = _page_statement(client, "/jeunes?q=martin", "FROM youth_profile")
    order = statement.rsplit("ORDER BY", 1)[1]
    assert "youth_profile.last_name ||" in order
    if db.session.connection().dialect.name == "postgresql":
        assert "ix_youth_profile_name" not in _postgresql_plan(statement, parameters)


def test_my_tasks_are_read_from_the_assignees_index(client, auth, make):
    """« Mes tâches » (and the home's to-do) reads one assignee's open tasks through (assignee, done, due
    date), not every open task of the team by due date, filtered (bench/RESULTS.md: a counsellor holds
    about 80 open tasks among the team's 8,000); those few rows may then be sorted."""
    me, colleague = make.counsellor(), make.counsellor()
    for n in range(3):
        make.task(me, due_on=date(2026, 12, 1 + n))
    # the team's other open tasks, as the planner sees them at scale (else it picks any index of a tiny table)
    db.session.execute(insert(Task), [{"title": f"Tâche {n}", "due_on": date(2026, 11, 1) + timedelta(days=n % 60),
                                       "assignee_id": colleague.id, "version": 1} for n in range(400)])
    if db.session.connection().dialect.name == "postgresql":
        db.session.connection().exec_driver_sql("ANALYZE task")
    auth.login(me)
    statement, parameters = _page_statement(client, "/taches", "FROM task")
    where = statement.split("WHERE", 1)[1]
    assert "task.assignee_id =" in where and "task.done_at IS NULL" in where, statement
    indexes = {i["name"]: i["column_names"] for i in inspect(db.session.connection()).get_indexes("task")}
    assert indexes.get("ix_task_assignee_open_due") == ["assignee_id", "done_at", "due_on", "id"]
    if db.session.connection().dialect.name == "postgresql":
        plan = _postgresql_plan(statement, parameters, sort=True)
        assert "ix_task_assignee_open_due" in plan, plan


def test_convention_search_reads_the_conventions_own_search_text(client, auth, make):
    """The PMSMP list looks the word up in the convention's derived search text (its young person's and its
    company's), one trigram index read on PostgreSQL, not in the young people and companies first, then their
    conventions (20 ms twice at large scale, bench/RESULTS.md)."""
    auth.login(make.counsellor())
    statement, parameters = _page_statement(client, "/pmsmp/?q=martin", "FROM placement")
    assert "placement.search_text LIKE" in statement
    assert "youth_profile" not in statement and "company" not in statement.replace("company_id", "")
    if db.session.connection().dialect.name == "postgresql":
        count = "SELECT count(*) FROM placement WHERE search_text LIKE %(word)s"
        assert "ix_placement_search_trgm" in _postgresql_plan(count, {"word": "% martin%"})
