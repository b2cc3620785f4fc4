"""The ops app has no models; the module exists so that post_migrate reaches it."""
