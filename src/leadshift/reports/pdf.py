"""HTML to PDF with WeasyPrint, resolving static files from the installed apps: nothing is
fetched over the network."""

from __future__ import annotations

import mimetypes
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders

BASE_URL = "https://leadshift.invalid/"


def static_file(url: str) -> tuple[bytes, str] | None:
    """The bytes and type of a static file named by its URL under BASE_URL, or None."""
    prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
    if not url.startswith(prefix):
        return None
    found = finders.find(url[len(prefix) :].split("?", 1)[0])
    if not isinstance(found, str):
        return None
    with open(found, "rb") as fh:
        return fh.read(), mimetypes.guess_type(found)[0] or "application/octet-stream"


@lru_cache(maxsize=1)
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """Static files from disk and data: URLs; anything else is refused."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = static_file(url)
            if found is None:
                raise ValueError(f"a PDF is made from local files only; {url} is not one")
            data, mime = found
            return URLFetcherResponse(url, body=data, headers={"Content-Type": mime})

    return LocalFetcher


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    fetcher = _fetcher_class()(allowed_protocols=("https", "data"))
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf
