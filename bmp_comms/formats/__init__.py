"""How numbers are written, per language (settings.FORMAT_MODULE_PATH).

Django looks a format up name by name: first in bmp_comms.formats.<lang>.formats, then in
django.conf.locale.<lang>.formats, then in the settings. So these files hold only what they
change, and everything else (the dates, the input formats) stays Django's own.
"""
