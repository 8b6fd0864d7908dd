# One image for web (gunicorn), worker (celery worker) and beat (celery beat); see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=bmp_comms.settings.production \
    MEDIA_ROOT=/app/var/media

# fonts-liberation2: Liberation Serif for the PDF reports (Vietnamese glyphs).
# libpango/libpangoft2/libharfbuzz: WeasyPrint's runtime libraries.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-liberation2 \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first so that a code change does not reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image; the values below exist only for this RUN
# (production settings refuse to load without them) and are never used at run time.
RUN SECRET_KEY=collectstatic-build-only \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/collectstatic.sqlite3

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --no-create-home app \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var

USER app

EXPOSE 8000

CMD ["gunicorn", "bmp_comms.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
