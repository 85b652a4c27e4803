# syntax=docker/dockerfile:1
# One image for every Foreman process; docker-compose.yml picks the command:
#   web     node --import tsx --import ./scripts/node-hooks.mjs server.ts          (the default CMD)
#   runner  node --import tsx worker-runner/main.ts
#   migrate node --import tsx scripts/migrate.ts

FROM node:24-bookworm-slim AS base
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false

# All dependencies: the Next build needs TypeScript, Tailwind and PostCSS.
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci

# Runtime dependencies only. tsx is a runtime dependency, so the final image can
# still run TypeScript entry points without devDependencies.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM deps AS build
COPY . .
RUN npx next build \
 && rm -rf node_modules .next/cache

FROM base AS runtime
# Workers run git (clones, worktrees, commits); ca-certificates for HTTPS remotes;
# bubblewrap is Foreman's containment layer around every agent process.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates bubblewrap \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    FOREMAN_DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000
# A fresh named volume mounted at /data takes this directory's owner, so the
# non-root user can write repositories, worktrees and codex homes there.
RUN mkdir -p /data && chown node:node /data
COPY --from=build --chown=node:node /app ./
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "--import", "./scripts/node-hooks.mjs", "server.ts"]
