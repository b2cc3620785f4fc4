"""Base view sets of the API."""

from __future__ import annotations

from rest_framework import mixins, viewsets

from . import params


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    # List and retrieve, objects addressed by numeric id only (anything else matches no route);
    # ``detail_serializer_class``, when set, serialises the retrieved object (lists show less).
    # (A comment, not a docstring: drf-spectacular would print a docstring in every operation.)

    lookup_value_regex = params.ID_PATH
    detail_serializer_class = None

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()
