# The service with LibreOffice and its fonts; the system packages come from the same list as
# scripts/install (scripts/apt-packages.txt).
FROM python:3.11-slim-bookworm

COPY scripts/apt-packages.txt /tmp/apt-packages.txt
RUN apt-get update \
 && grep -v '^\s*#' /tmp/apt-packages.txt | grep -v '^\s*$' \
    | xargs apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
COPY service ./service
COPY templates_actes ./templates_actes
COPY examples ./examples
COPY schemas ./schemas
# Editable install: the service finds templates_actes/ beside its package.
RUN pip install --no-cache-dir -c requirements.lock -e . \
 && useradd --system --create-home --home-dir /home/actes actes \
 && mkdir -p /data && chown actes /data

USER actes
# Safe by default: bound to 0.0.0.0 so that the port can be published, the service refuses to
# start until an access token exists (docker run … actes token create NOM --siren SIREN, on the
# /data volume) unless ACTES_UNSAFE_ALLOW_ANONYMOUS=1; and it answers only Host headers listed
# in ACTES_ALLOWED_HOSTS (default localhost and 127.0.0.1: set it to the public name).
ENV ACTES_HOST=0.0.0.0 ACTES_PORT=8000 ACTES_DATA_DIR=/data HOME=/home/actes \
    ACTES_UNSAFE_ALLOW_ANONYMOUS=0
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["actes", "serve"]
