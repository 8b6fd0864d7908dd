import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bmp_comms.settings.production")

application = get_wsgi_application()

# The URL conf and every view it names are loaded now rather than by the first request; then
# all that the worker has loaded, which lives as long as it does, is frozen out of the garbage
# collector's way, so that a page that makes a nation's ten thousand rows does not walk it all
# again at each full collection.
get_resolver().url_patterns  # noqa: B018 (loading it is the point)
gc.freeze()
