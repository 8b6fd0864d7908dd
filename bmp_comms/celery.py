import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bmp_comms.settings.local")

app = Celery("bmp_comms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
