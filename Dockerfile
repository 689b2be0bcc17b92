# Zhike (智客) production image: `docker build -t zhike .`, then see docker-compose.yml.
# Stage 1 installs everything and builds the console, the widget and the server bundle; stage 2 keeps
# only what the server runs (production dependencies, the bundle, the built assets, the templates) and
# runs as an unprivileged user.

FROM node:20-bookworm-slim AS build
WORKDIR /src
# Native modules (better-sqlite3, argon2, jieba) build from source when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY . .
RUN npm ci --no-audit --no-fund \
 && node scripts/build.mjs \
 && npm prune --omit=dev --no-audit --no-fund \
 # The bundle carries the workspace's own packages; their links would only dangle in the image.
 && rm -rf node_modules/@zhike node_modules/.cache

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    ZHIKE_DATA_DIR=/data \
    DATABASE_URL=/data/zhike.db
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/apps/cli/package.json ./apps/cli/package.json
COPY --from=build /src/apps/cli/bin ./apps/cli/bin
COPY --from=build /src/apps/server/package.json ./apps/server/package.json
COPY --from=build /src/apps/server/dist ./apps/server/dist
COPY --from=build /src/apps/server/node_modules ./apps/server/node_modules
COPY --from=build /src/apps/console/dist ./apps/console/dist
COPY --from=build /src/apps/widget/dist ./apps/widget/dist
COPY --from=build /src/apps/widget/demo ./apps/widget/demo
COPY --from=build /src/templates ./templates
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness only: readiness (/readyz, the database answers) is for the proxy and orchestrators.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains: no new requests, sockets told to reconnect elsewhere, stored work finished, then exit.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "apps/cli/bin/zhike.mjs"]
CMD ["serve"]
