"""Publish the built graph to any triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph (one per source, reference, ontology, inferred, then the description) goes in
its own ``PUT <endpoint>?graph=<graph IRI>`` with an N-Triples body, so publishing again replaces
each graph instead of adding to it. Works with Fuseki (``http://host:3030/<dataset>/data``),
GraphDB (``http://host:7200/repositories/<repo>/rdf-graphs/service``) and Oxigraph
(``http://host:7878/store``).

Credentials come from the environment only and are never printed: ``MEAKG_PUBLISH_TOKEN``
(Bearer), or ``MEAKG_PUBLISH_USER`` and ``MEAKG_PUBLISH_PASSWORD`` (Basic). When credentials are sent,
nothing the store says is shown (its status is named by the standard phrase, its body left out): a
store can echo a credential cut, upper-cased or base64-encoded, which no redaction can catch.
Credentials sent over plain ``http`` get a warning first.

>>> graph_url("http://localhost:7878/store", "https://w3id.org/meakg/graph/reference")
'http://localhost:7878/store?graph=https%3A%2F%2Fw3id.org%2Fmeakg%2Fgraph%2Freference'
"""

from __future__ import annotations

import base64
import http
import http.client
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from meakg.ontology.errors import MeakgError

MEDIA_TYPE = "application/n-triples"
TOKEN, USER, PASSWORD = "MEAKG_PUBLISH_TOKEN", "MEAKG_PUBLISH_USER", "MEAKG_PUBLISH_PASSWORD"


@dataclass(frozen=True)
class Upload:
    """One named graph to publish: its IRI, its triple count and its N-Triples body."""

    graph: str
    triples: int
    body: bytes = field(repr=False)


@dataclass(frozen=True)
class Published:
    """What a publish did: the endpoint and the graphs it sent (or, in a dry run, would send)."""

    endpoint: str
    uploads: tuple[Upload, ...]
    dry_run: bool

    @property
    def triples(self) -> int:
        return sum(u.triples for u in self.uploads)


class PublishError(MeakgError):
    """The store refused a graph or could not be reached: says which graphs made it and which did not."""

    def __init__(self, endpoint: str, failed: Upload, reason: str, published: list[Upload], remaining: list[Upload]):
        done = ", ".join(f"<{u.graph}>" for u in published) or "none"
        left = ", ".join(f"<{u.graph}>" for u in remaining) or "none"
        super().__init__(f"publishing to {endpoint} failed at graph <{failed.graph}>: {reason}. "
                         f"Published before the failure: {done}. Not published: <{failed.graph}>"
                         f"{', ' + left if remaining else ''}. Publishing again replaces every graph.")
        self.failed, self.reason = failed, reason
        self.published, self.remaining = tuple(published), tuple(remaining)


def uploads(directory: Path | None = None, *, sparql_endpoint: str | None = None) -> list[Upload]:
    """Return the stored build's named graphs as uploads: data graphs by IRI, the description last.

    *sparql_endpoint*, the store's query URL if known, goes into the description (void:sparqlEndpoint).
    """
    from meakg.graph.export.describe import DESCRIPTION
    from meakg.graph.export.rdf import Format, choose, load, new_dataset, render

    ds = choose(load(directory), "all", endpoint=sparql_endpoint)
    graphs = sorted(ds.graphs(), key=lambda g: (g.identifier == DESCRIPTION, str(g.identifier)))
    found = []
    for g in graphs:
        if not len(g):
            continue
        single = new_dataset()
        target = single.graph(g.identifier)
        for triple in g:
            target.add(triple)
        found.append(Upload(str(g.identifier), len(g), render(single, Format.NTRIPLES).encode("utf-8")))
    found.insert(len(found) - 1, _catalogue_upload(sparql_endpoint))  # the saved queries, before the description
    return found


def _catalogue_upload(sparql_endpoint: str | None) -> Upload:
    from meakg.graph.export.catalogue import QUERIES_GRAPH, ntriples

    body = ntriples(sparql_endpoint)
    return Upload(QUERIES_GRAPH, body.count(b"\n"), body)


def graph_url(endpoint: str, graph: str) -> str:
    """Return the Graph Store Protocol URL of *graph* at *endpoint* (indirect graph identification)."""
    return endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode({"graph": graph})


def auth_header(env: Mapping[str, str] | None = None) -> str | None:
    """Return the Authorization header the environment asks for, or None."""
    env = os.environ if env is None else env
    if env.get(TOKEN, "").strip():
        return f"Bearer {_header_safe(TOKEN, env[TOKEN].strip())}"
    user, password = env.get(USER), env.get(PASSWORD)
    if user or password:
        if not (user and password):
            raise MeakgError(f"expected both {USER} and {PASSWORD} for Basic authentication, found only "
                             f"{USER if user else PASSWORD}")
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return None


def _header_safe(name: str, value: str) -> str:
    """Return *value* if an HTTP header can carry it; fail naming the variable and position, never the value.

    A token read from a file written on Windows ends in a carriage return: surrounding whitespace is
    stripped before this check (auth_header).

    >>> _header_safe("MEAKG_PUBLISH_TOKEN", "tok\\x00en")
    Traceback (most recent call last):
    ...
    meakg.ontology.errors.MeakgError: expected MEAKG_PUBLISH_TOKEN to hold printable Latin-1 characters only,
    found a control character at position 4
    """
    for position, char in enumerate(value, 1):
        if ord(char) < 0x20 or ord(char) == 0x7F:
            found = "a control character"
        elif ord(char) > 0xFF:
            found = "a character outside Latin-1"
        else:
            continue
        raise MeakgError(f"expected {name} to hold printable Latin-1 characters only, found {found} "
                         f"at position {position}")
    return value


def publish(endpoint: str, *, directory: Path | None = None, dry_run: bool = False,
            sparql_endpoint: str | None = None, env: Mapping[str, str] | None = None, timeout: float = 120.0,
            progress: Callable[[Upload, int], None] | None = None, warn: Callable[[str], None] | None = None
            ) -> Published:
    """PUT every named graph of the stored build to the Graph Store endpoint *endpoint*; return what was sent.

    In a dry run nothing is sent. *progress* is called with each upload and the HTTP status after it
    succeeds; *warn* (default: a UserWarning) with a warning when credentials would go over plain http.
    Raises PublishError, naming the graphs that made it, when the store refuses one.
    """
    check_endpoint(endpoint)
    authorization = auth_header(env)
    if authorization and urllib.parse.urlsplit(endpoint).scheme == "http":
        message = plain_http_warning(endpoint, authorization)
        if warn is None:
            import warnings

            warnings.warn(message, UserWarning, stacklevel=2)
        else:
            warn(message)
    todo = uploads(directory, sparql_endpoint=sparql_endpoint)
    if dry_run:
        return Published(endpoint, tuple(todo), True)
    secrets = _secrets(env, authorization)
    opener = urllib.request.build_opener(_NoRedirect())  # never replay credentials to another address
    done: list[Upload] = []
    for number, upload in enumerate(todo):
        headers = {"Content-Type": MEDIA_TYPE}
        if authorization:
            headers["Authorization"] = authorization
        request = urllib.request.Request(graph_url(endpoint, upload.graph), data=upload.body, method="PUT",
                                         headers=headers)
        try:
            with opener.open(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as err:
            reason = _refusal(err, shown=not authorization)
            raise PublishError(endpoint, upload, _redact(reason, secrets), done, todo[number + 1:]) from None
        except (urllib.error.URLError, OSError) as err:
            reason = str(getattr(err, "reason", err))
            raise PublishError(endpoint, upload, _redact(reason, secrets), done, todo[number + 1:]) from None
        except (http.client.HTTPException, ValueError) as err:
            # a server that does not speak HTTP may echo the request (Authorization included) as its
            # status line: say what kind of failure it was, never what it sent
            reason = f"the server did not answer in HTTP ({err.__class__.__name__})"
            raise PublishError(endpoint, upload, reason, done, todo[number + 1:]) from None
        done.append(upload)
        if progress:
            progress(upload, status)
    return Published(endpoint, tuple(done), False)


def plain_http_warning(endpoint: str, authorization: str) -> str:
    """Return the warning for credentials sent to *endpoint* over plain http (never the credentials).

    >>> plain_http_warning("http://store.example/data", "Bearer x").split(": ")[0]
    'sending a Bearer token (MEAKG_PUBLISH_TOKEN) over plain http to store.example'
    """
    kind = "a Bearer token (MEAKG_PUBLISH_TOKEN)" if authorization.startswith("Bearer ") else \
        "a Basic login (MEAKG_PUBLISH_USER, MEAKG_PUBLISH_PASSWORD)"
    host = urllib.parse.urlsplit(endpoint).hostname
    return f"sending {kind} over plain http to {host}: anyone on the way can read it; use an https endpoint"


def _refusal(err: urllib.error.HTTPError, *, shown: bool) -> str:
    """Say how the store refused: the status with its standard phrase; its body only if no credential was sent."""
    try:
        phrase = http.HTTPStatus(err.code).phrase
    except ValueError:
        phrase = "(a status HTTP does not define)"
    if not shown:
        return f"HTTP {err.code} {phrase} (the store's answer is not shown: it could echo the credentials)"
    body = err.read(300).decode("utf-8", "replace")
    return f"HTTP {err.code} {phrase}" + (f" ({' '.join(body.split())[:200]})" if body.strip() else "")


def check_endpoint(endpoint: str) -> None:
    """Fail unless *endpoint* is an http(s) URL without credentials in it."""
    try:
        parts = urllib.parse.urlsplit(endpoint)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError:
        if "@" in endpoint:
            raise MeakgError(f"expected an endpoint URL without credentials; set {USER} and {PASSWORD} "
                             f"(or {TOKEN}) in the environment instead") from None
        raise MeakgError(f"expected an http(s) Graph Store endpoint with a numeric port (0-65535), such as "
                         f"http://localhost:7878/store, found {endpoint!r}") from None
    if parts.username or parts.password:
        # do not echo the URL: it holds a secret
        raise MeakgError(f"expected an endpoint URL without credentials; set {USER} and {PASSWORD} "
                         f"(or {TOKEN}) in the environment instead")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MeakgError(f"expected an http(s) Graph Store endpoint such as http://localhost:7878/store, "
                         f"found {endpoint!r}")


def _secrets(env: Mapping[str, str] | None, authorization: str | None) -> list[str]:
    env = os.environ if env is None else env
    found = [env.get(TOKEN, ""), env.get(TOKEN, "").strip(), env.get(PASSWORD, "")]
    if authorization:
        found += [authorization, authorization.split(" ", 1)[1]]
    return sorted((s for s in found if s), key=len, reverse=True)


def _redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # report the 3xx as an error instead of following it
