# One image for every process of the cluster (docker-compose.yml):
#   /app/silo      OrleansCqrs.Silo: the default entry point, one silo; with the argument `migrate` it applies the
#                  PostgreSQL schema and exits.
#   /app/frontend  OrleansCqrs.Api: the HTTP API, a grain client of the silos; compose chooses it by
#                  setting `working_dir: /app/frontend` and `entrypoint: ["dotnet", "OrleansCqrs.Api.dll"]`.
# One image rather than two targets: both apps share every library, the build runs once, and compose builds a single
# tag (orleanscqrs:local) that all services run. The two apps live in separate folders because each has its own
# appsettings.json, read from the working directory (the content root).
# Configuration comes only from the environment (silo-config/*.env through compose), nothing is baked in.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source

# Restore first, from the project files alone, so that a source change does not download the packages again.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/OrleansCqrs.Framework/OrleansCqrs.Framework.csproj src/OrleansCqrs.Framework/
COPY src/OrleansCqrs.Bank/OrleansCqrs.Bank.csproj src/OrleansCqrs.Bank/
COPY src/OrleansCqrs.Hosting/OrleansCqrs.Hosting.csproj src/OrleansCqrs.Hosting/
COPY src/OrleansCqrs.Framework.AspNetCore/OrleansCqrs.Framework.AspNetCore.csproj src/OrleansCqrs.Framework.AspNetCore/
COPY src/OrleansCqrs.Silo/OrleansCqrs.Silo.csproj src/OrleansCqrs.Silo/
COPY src/OrleansCqrs.Api/OrleansCqrs.Api.csproj src/OrleansCqrs.Api/
RUN dotnet restore src/OrleansCqrs.Silo/OrleansCqrs.Silo.csproj \
    && dotnet restore src/OrleansCqrs.Api/OrleansCqrs.Api.csproj

COPY src/ src/
RUN dotnet publish src/OrleansCqrs.Silo/OrleansCqrs.Silo.csproj -c Release --no-restore -p:UseAppHost=false -o /app/silo \
    && dotnet publish src/OrleansCqrs.Api/OrleansCqrs.Api.csproj -c Release --no-restore -p:UseAppHost=false -o /app/frontend

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl for the compose health checks (GET /health/ready).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
# The image's unprivileged user: the apps keep all their state in PostgreSQL.
USER $APP_UID
WORKDIR /app/silo
ENTRYPOINT ["dotnet", "OrleansCqrs.Silo.dll"]
