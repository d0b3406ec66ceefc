"""What every jobmon command shares: the --db option, opening the store, reading a week."""
from __future__ import annotations

from datetime import datetime, timedelta

import click

from db.store import StoreError, open_db

from .weeks import parse_week, week_of


def db_option(command):
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False), default=None,
        help="SQLite store to use. Default: $JOBMON_DB, else ./jobmon.db.",
    )(command)


def open_store(db_path):
    try:
        return open_db(db_path)
    except StoreError as error:
        raise click.ClickException(str(error)) from None


def last_complete_week() -> str:
    return week_of(datetime.now().date() - timedelta(days=7))


def checked_week(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parse_week(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    return value
