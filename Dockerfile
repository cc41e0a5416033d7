# Hearth in one container: builds the app and runs the relay that serves it.
#   docker build -t hearth .
#   docker run -d --name hearth -p 8787:8787 -v hearth-data:/data --restart unless-stopped hearth
# Data (the encrypted mailbox, one SQLite file) lives in the /data volume.

FROM node:20-bookworm-slim AS build
# Compilers only in case better-sqlite3 has no prebuilt binary for this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Sources are listed one by one so a host's node_modules, data or dist never enter the image.
COPY index.html vite.config.ts tsconfig.json LICENSE ./
COPY app ./app
COPY public ./public
COPY relay ./relay
COPY scripts ./scripts
COPY docs ./docs
# Build, then drop what only the build needs (Vite, test tools) before the runtime copy.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    HEARTH_DATA=/data \
    HEARTH_STATIC=/app/dist
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8787
# The relay's own port and scheme (HEARTH_TLS_CERT turns on https); the certificate names the
# public host, not 127.0.0.1, so this one local check does not verify it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD NODE_TLS_REJECT_UNAUTHORIZED=0 node -e "fetch((process.env.HEARTH_TLS_CERT?'https':'http')+'://127.0.0.1:'+(process.env.PORT||8787)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The relay directly (not through npm), so `docker stop` SIGTERM reaches it and it shuts
# down gracefully.
CMD ["node", "node_modules/tsx/dist/cli.mjs", "relay/main.ts"]
