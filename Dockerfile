# syntax=docker/dockerfile:1
# KIS production image. Build: docker build -t kis .   Run: see docker-compose.yml.
# The build steps are scripts (scripts/build-css, scripts/collectstatic) that CI also
# runs without Docker, so this path is tested even where no Docker engine runs.

# ---------------------------------------------------------------- 1. CSS (Node)
FROM node:20-bookworm-slim AS css
WORKDIR /app
# Tailwind scans templates, Python and JS for class names.
COPY theme/static_src/package.json theme/static_src/package-lock.json theme/static_src/
COPY scripts/build-css scripts/
COPY theme/static_src/ theme/static_src/
COPY templates/ templates/
COPY apps/ apps/
COPY common/ common/
COPY static/js/ static/js/
RUN scripts/build-css

# ---------------------------------------------------------------- 2. Python dependencies
FROM python:3.13-slim AS deps
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
ENV PATH=/venv/bin:$PATH
COPY requirements/ /tmp/requirements/
RUN pip install -r /tmp/requirements/prod.txt

# ---------------------------------------------------------------- 3. Runtime
FROM python:3.13-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/venv/bin:$PATH \
    PYTHON=/venv/bin/python \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000
RUN groupadd --system --gid 10001 kis \
 && useradd --system --uid 10001 --gid kis --home-dir /app --shell /usr/sbin/nologin kis
WORKDIR /app
COPY --from=deps /venv /venv
COPY --chown=kis:kis . .
COPY --from=css --chown=kis:kis /app/theme/static/css/dist/ theme/static/css/dist/
# Hashed + gzip/brotli files baked into the image; whitenoise serves them.
RUN scripts/collectstatic && mkdir -p /app/media && chown kis:kis /app/media
USER kis
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os,urllib.request,sys; sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"8000\")}/healthz', timeout=2).status == 200 else 1)"]
# SIGTERM lets gunicorn finish in-flight requests (GUNICORN_GRACEFUL_TIMEOUT).
STOPSIGNAL SIGTERM
ENTRYPOINT ["scripts/entrypoint"]
CMD ["web"]
