# The dlp HTTP service in a container: slim Python, a non-root user, the packs baked in,
# a healthcheck on /readyz. See docs/deploy.md.
#
#   docker build -t dlp .
#   docker run -d -p 8080:8080 -v dlp-state:/var/lib/dlp -e DLP_API_KEYS='mail-gateway:scan:CHANGE-ME' dlp
#   (or: docker run --rm -v dlp-state:/var/lib/dlp dlp keys add mail-gateway --scope scan)
# The security team's own packs: -v /srv/dlp/patterns:/etc/dlp/patterns:ro

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# -- build the wheel (it carries patterns/ and samples/ as package data) --------------------------
FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
RUN pip install --no-cache-dir build==1.2.2.post1
COPY pyproject.toml setup.py MANIFEST.in README.md LICENSE ./
COPY dlp ./dlp
COPY service ./service
COPY patterns ./patterns
COPY samples ./samples
RUN python -m build --wheel --outdir /dist .

# -- the service ---------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DLP_PATTERNS_DIR=/etc/dlp/patterns \
    DLP_KEYS_FILE=/var/lib/dlp/keys.json \
    DLP_AUDIT_LOG=/var/lib/dlp/audit.jsonl \
    DLP_RUN_DIR=/run/dlp
RUN groupadd --system --gid 10001 dlp \
    && useradd --system --uid 10001 --gid dlp --home-dir /var/lib/dlp --shell /usr/sbin/nologin dlp \
    && mkdir -p /var/lib/dlp /run/dlp \
    && chown dlp:dlp /var/lib/dlp /run/dlp \
    && chmod 700 /var/lib/dlp /run/dlp
COPY --from=build /dist/ /tmp/dist/
RUN pip install --no-cache-dir /tmp/dist/*.whl && rm -rf /tmp/dist
COPY patterns /etc/dlp/patterns
USER 10001:10001
WORKDIR /var/lib/dlp
VOLUME ["/var/lib/dlp"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/readyz', timeout=4).status != 200)"]
ENTRYPOINT ["dlp"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080", "--workers", "2"]
