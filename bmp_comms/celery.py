import os

from celery import Celery, Task

from bmp_comms.scoping import unscoped

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bmp_comms.settings.local")


class UnscopedTask(Task):
    """Every task runs with scoping off: a beat job works over every commune, and a task by id
    loads a row that the request which queued it had already scoped (bmp_comms.scoping)."""

    def __call__(self, *args, **kwargs):
        with unscoped():
            return super().__call__(*args, **kwargs)


app = Celery("bmp_comms", task_cls=UnscopedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
