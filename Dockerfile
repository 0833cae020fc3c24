FROM python:3.11-slim
# WeasyPrint renders dossiers with Pango; DejaVu is the template's font.
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY aevon aevon
COPY domain domain
COPY commands commands
COPY projections projections
COPY api api
COPY workers workers
RUN pip install --no-cache-dir .
ENV AEVON_HTTP_HOST=0.0.0.0 AEVON_DATA_DIR=/var/lib/aevon
EXPOSE 8000
CMD ["aevon", "api"]
