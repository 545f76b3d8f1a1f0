# syntax=docker/dockerfile:1
# Build stage: compiles TypeScript (better-sqlite3 builds its native module here).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts=false --no-audit --no-fund
COPY tsconfig.json ./
COPY shared ./shared
COPY services ./services
COPY tests ./tests
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies and compiled code only, as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    NIGHTSHIFT_DATA_DIR=/var/lib/nightshift \
    NIGHTSHIFT_PORT=8080
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/nightshift && chown node:node /var/lib/nightshift
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist/shared ./dist/shared
COPY --from=build --chown=node:node /app/dist/services ./dist/services
COPY --chown=node:node package.json ./
COPY --chown=node:node bin ./bin
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.NIGHTSHIFT_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/nightshift"]
CMD ["start"]
