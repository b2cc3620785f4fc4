"""Serving stored files only through views that have checked access.

- :func:`protected_response`: the file as a download (or inline), with the sanitised original
  name; when ``GONGKAI_X_ACCEL_REDIRECT`` names an internal nginx location (e.g.
  ``/_protected/``, mapped with ``internal; alias <MEDIA_ROOT>/;``), the response only carries
  ``X-Accel-Redirect`` and nginx sends the bytes; by default Django streams the file.
- :class:`RandomUploadTo`: ``upload_to`` giving unguessable storage names
  (:func:`gongkai.core.filenames.random_name`).
- :func:`move_to_random_names`: used by the data migrations that moved files stored under the
  old guessable paths (``applications/<agency>/<case>/<original name>``).

Nothing under MEDIA_URL is routed (gongkai.config.urls).
"""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

from gongkai.core.filenames import display_name, is_random_name, random_name


@deconstructible
class RandomUploadTo:
    def __init__(self, area: str):
        self.area = area

    def __call__(self, instance, filename: str) -> str:
        return random_name(self.area, filename)

    def __eq__(self, other):
        return isinstance(other, RandomUploadTo) and other.area == self.area


def protected_response(
    fieldfile, *, filename: str, content_type: str = "", inline: bool = False, private: bool = True
):
    """The stored file for a request that passed its view's permission check (``private``: a
    file with personal data, never cached)."""
    if not fieldfile:
        raise Http404("文件不存在")
    name = display_name(filename)
    ctype = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    prefix = getattr(settings, "GONGKAI_X_ACCEL_REDIRECT", "")
    if prefix:
        resp = HttpResponse(content_type=ctype)
        resp["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(fieldfile.name)
        resp["Content-Disposition"] = content_disposition_header(not inline, name)
    else:
        try:
            handle = fieldfile.open("rb")
        except FileNotFoundError:
            raise Http404("文件不存在") from None
        resp = FileResponse(handle, as_attachment=not inline, filename=name, content_type=ctype)
    resp["X-Content-Type-Options"] = "nosniff"
    if private:
        resp["Cache-Control"] = "private, no-store"
    return resp


def move_to_random_names(model, field_names, area: str) -> int:
    """Move the files of ``model`` (a historical model in a migration) stored under guessable
    names to random ones; rows are updated with ``QuerySet.update`` (no save() hooks). Returns
    the number of files moved. Missing files are left as they are."""
    from django.core.files.storage import default_storage

    moved = 0
    for row in model.objects.all().iterator(chunk_size=500):
        changes = {}
        for field in field_names:
            old = getattr(row, field).name if getattr(row, field) else ""
            if not old or is_random_name(old) or not default_storage.exists(old):
                continue
            with default_storage.open(old, "rb") as f:
                new = default_storage.save(random_name(area, old), f)
            changes[field] = new
            moved += 1
        if changes:
            model.objects.filter(pk=row.pk).update(**changes)
            for field in changes:
                default_storage.delete(getattr(row, field).name)
    return moved
