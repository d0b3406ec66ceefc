"""``jobmon sources``: list, show and check the source files that describe sites to crawl."""
from __future__ import annotations

import dataclasses
import sys

import click
import yaml

from crawlers.sources import (
    SourceInvalid,
    find_source,
    load_source,
    source_files,
    validate,
)

from .output import write_rows

LIST_TABLE = {"name": "name", "kind": "kind", "shape": "shape", "city": "city", "schedule": "schedule",
              "status": "status", "file": "file"}


@click.group()
def sources():
    """Source files: one YAML file per site, in sources/ (and $JOBMON_SOURCES).

    A source file says what to crawl (start URLs or sitemaps), how the site is built (shape:
    jsonld, json_api, embedded_json, html, feed), where each field sits, how to page and how
    politely to go. README "Configure a source" describes every key; sources/examples/ has one
    file for every shape.

    \b
    Example:
        jobmon sources list
        jobmon sources check sources/mysite.yaml
        jobmon crawl mysite
    """


@sources.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def list_sources(fmt):
    """List every source file with its name, kind, shape, city, schedule and whether it is valid.

    \b
    Example:
        jobmon sources list
        jobmon sources list --format csv
    """
    rows = []
    for path in source_files():
        try:
            source = load_source(path)
        except SourceInvalid as error:
            rows.append({"name": None, "kind": None, "shape": None, "city": None, "schedule": None,
                         "status": f"{len(error.errors)} error(s): jobmon sources check {path}", "file": str(path)})
            continue
        rows.append({"name": source.name, "kind": source.kind, "shape": source.shape, "city": source.city,
                     "schedule": source.schedule, "status": "ok", "file": str(path)})
    if not rows and fmt == "table":
        click.echo("No source files. Copy one from sources/examples/ into sources/ and edit it.", err=True)
        return
    write_rows(rows, fmt, LIST_TABLE)


@sources.command()
@click.argument("source")
def show(source):
    """Print a source with every default filled in (what the crawl will use), as YAML.

    SOURCE is a file or a source name.

    \b
    Example:
        jobmon sources show example-json-api
    """
    try:
        loaded = load_source(source)
    except (SourceInvalid, FileNotFoundError) as error:
        raise click.ClickException(str(error)) from None
    data = _plain(dataclasses.asdict(loaded))
    data["pagination"]["in"] = data["pagination"].pop("location")  # its key in a source file
    _mask(data)
    click.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110).rstrip())


def _mask(data: dict) -> None:
    """Secrets as ``${NAME}`` (read from the environment) or ``***`` (Cookie, Authorization, token
    parameters written into the file): `sources show` is pasted into tickets and chats."""
    from crawlers.secrets import mask_headers, mask_mapping, mask_url

    request = data["request"]
    request["headers"] = mask_headers(request["headers"])
    request["params"] = mask_mapping(request["params"])
    if isinstance(request.get("body"), dict):
        request["body"] = mask_mapping(request["body"])
    for key in ("start_urls", "sitemaps"):
        data[key] = [mask_url(url) for url in data[key]]


def _plain(value):
    """Tuples → lists and field specs in their source-file form, so the YAML reads like a source file."""
    if isinstance(value, dict) and set(value) == {"paths", "mode", "sep"}:
        paths = list(value["paths"])
        if value["mode"] == "template":
            return {"template": paths[0]}
        if value["mode"] == "first":
            return {"first": paths}
        if value["sep"] != " ":
            return {"paths": paths, "join": value["sep"]}
        return paths[0] if len(paths) == 1 else paths
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@sources.command()
@click.argument("files", nargs=-1)
def check(files):
    """Check source files: print each problem with its line and the fix; exit code 1 on any.

    FILES are paths or source names; none checks every file in the source folders.

    \b
    Example:
        jobmon sources check sources/mysite.yaml
        jobmon sources check
    """
    paths = list(files) or [str(p) for p in source_files()]
    if not paths:
        raise click.ClickException("no source files to check; give a FILE")
    failed = 0
    for ref in paths:
        errors = validate(ref)
        if errors:
            failed += 1
            for error in errors:
                click.echo(error)
        else:
            source = load_source(ref)
            click.echo(f"{find_source(ref)}: ok ({source.name}: {source.kind}, shape {source.shape})")
    if failed:
        click.echo(f"{failed} of {len(paths)} source file(s) have problems.", err=True)
        sys.exit(1)
