import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bmp_comms.settings.local")

app = Celery("bmp_comms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Celery looks for each app's `tasks` module only; the compliance report's tasks sit a floor
# above reports.tasks, in reports/compliance/tasks.py and reports/dashboard/tasks.py, so those
# packages are named here.
app.autodiscover_tasks(["reports.compliance", "reports.dashboard"])
