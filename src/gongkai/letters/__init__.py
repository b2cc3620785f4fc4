"""Letters (文书): reply and notice templates and generated DOCX/PDF documents.

Public API (lazy, so ``from gongkai.letters import generate_document`` works at any time):
``generate_document``, ``build_context``, ``preview_letter``, ``render_letter``, ``LetterError``.
"""

_SERVICES = (
    "generate_document",
    "build_context",
    "preview_letter",
    "render_letter",
    "LetterError",
    "CONTEXT_DOC",
)


def __getattr__(name):
    if name in _SERVICES:
        from . import services

        return getattr(services, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
