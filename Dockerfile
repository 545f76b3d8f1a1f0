# syntax=docker/dockerfile:1
# Nightshift: one image for every role (`--role ingest|triage|fixer|verifier|console`).
#   docker build -t nightshift .
#   docker run -p 8080:8080 nightshift start --role ingest
ARG NODE_IMAGE=node:20-bookworm-slim

# Build stage: every dependency (dev included) and the TypeScript compiler; only dist/ leaves it.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY patches ./patches
# --ignore-scripts: the package's own `prepare` (tsc) needs sources that are not copied yet;
# better-sqlite3's native module is built explicitly, and patches/ applied, instead.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3 && npx patch-package
COPY tsconfig.json ./
COPY shared ./shared
COPY services ./services
RUN npx tsc -p tsconfig.json

# Dependencies stage: production dependencies only, native modules compiled for the runtime's libc.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3 && npx patch-package && npm cache clean --force

# Runtime stage: no compiler, no dev dependencies, no sources; runs as the unprivileged `node` user (uid 1000).
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NIGHTSHIFT_DATA_DIR=/var/lib/nightshift \
    NIGHTSHIFT_PORT=8080
# git: the fixer's workspaces and suspect commits; bubblewrap: the verifier's sandbox.
RUN apt-get update && apt-get install -y --no-install-recommends git bubblewrap ca-certificates && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/nightshift && chown 1000:1000 /var/lib/nightshift
WORKDIR /app
# Owned by root and read-only to the process: only the data directory is writable.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/shared ./dist/shared
COPY --from=build /app/dist/services ./dist/services
COPY package.json ./
COPY bin ./bin
USER 1000:1000
EXPOSE 8080
VOLUME ["/var/lib/nightshift"]
# No curl in slim images: Node's fetch asks /healthz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.NIGHTSHIFT_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/nightshift"]
CMD ["start"]
