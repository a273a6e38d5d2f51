# One image for every Compose service of ours: the API (serverless-offline), the event runner,
# the migrations and the chain replicas. Node 20, as on the development machines.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=development \
    SLS_TELEMETRY_DISABLED=1 \
    SLS_NOTIFICATIONS_MODE=off

# Dependencies first, so a code change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
# the web app's static files, which the API's webApp function serves at /
RUN npx tsx web/build.ts

# The API by default; docker-compose.yml gives the other services their own command.
EXPOSE 4000 3002
CMD ["npx", "serverless", "offline", "start", "--stage", "local", "--host", "0.0.0.0", "--httpPort", "4000", "--lambdaPort", "3002", "--noSponsor"]
