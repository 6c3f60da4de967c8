# syntax=docker/dockerfile:1
# Production image: needs DATABASE_URL and SECRET_KEY (SAMPLEBASE_ENV=production).
FROM python:3.11-slim AS build
# The environment lives where it will run: venv scripts hard-code their interpreter path.
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/samplebase
RUN pip install --no-cache-dir uv
WORKDIR /build
# Dependencies first, so that code changes reuse this layer.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY app ./app
COPY migrations ./migrations
RUN uv sync --frozen --no-dev --no-editable

FROM python:3.11-slim AS runtime
RUN useradd --system --uid 10001 --create-home --home-dir /srv samplebase
COPY --from=build /opt/samplebase /opt/samplebase
ENV PATH="/opt/samplebase/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    SAMPLEBASE_ENV=production \
    SAMPLEBASE_DATA_DIR=/srv/data \
    SAMPLEBASE_STORAGE_DIR=/srv/media
RUN install -d -o samplebase -g samplebase /srv/data /srv/media
USER samplebase
WORKDIR /srv
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["samplebase", "serve", "--host", "0.0.0.0", "--port", "8000"]
