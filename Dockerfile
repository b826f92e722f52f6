# One image for every MicAi role. The command picks the role:
#   api (default) | worker | scheduler | all | migrate
#   docker run micai            -> api on $PORT (8000)
#   docker run micai worker     -> queue worker
# Render, compose and this file all start the same command line: dotnet MicAi.Host.dll <role>.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Published for this runtime so that OpenTelemetry's assemblies are precompiled (MicAi.Host.csproj says why). Render
# and Azure run x64; for an arm64 image pass --build-arg RID=linux-arm64.
ARG RID=linux-x64
WORKDIR /src
# Restore first, from the project and central package files only, so code edits reuse the restore layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY MicAi.Core/MicAi.Core.csproj MicAi.Core/
COPY MicAi.Host/MicAi.Host.csproj MicAi.Host/
RUN dotnet restore MicAi.Host/MicAi.Host.csproj -r $RID
COPY MicAi.Core/ MicAi.Core/
COPY MicAi.Host/ MicAi.Host/
RUN dotnet publish MicAi.Host/MicAi.Host.csproj -c Release -r $RID --self-contained false -o /out --no-restore -p:UseAppHost=false
COPY docker/healthcheck /out/micai-healthcheck
RUN chmod 0755 /out/micai-healthcheck

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /out/ ./
# The api listens on PORT; Render, compose and Fly.io set or map it. 8000 keeps the Python service's contract.
# The Host binds PORT itself: clear the base image's ASPNETCORE_HTTP_PORTS=8080 so Kestrel has nothing to override.
ENV PORT=8000 \
    ASPNETCORE_HTTP_PORTS="" \
    DOTNET_NOLOGO=1
EXPOSE 8000
# The aspnet image ships a non-root user "app" (uid $APP_UID); nothing in /app is writable by it.
USER $APP_UID
# No curl in the runtime image: the check speaks HTTP over bash's /dev/tcp and passes for roles without HTTP.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/app/micai-healthcheck"]
ENTRYPOINT ["dotnet", "MicAi.Host.dll"]
CMD ["api"]
