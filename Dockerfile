# syntax=docker/dockerfile:1
# --- build stage: the same Maven wrapper the README uses -------------------------------------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q -DskipTests package && cp target/faceroster-*.jar /faceroster.jar

# --- runtime stage: a JRE, a non-root user, data as a volume (models seed the database) -----------------
FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system faceroster && useradd --system --gid faceroster --home /app faceroster
WORKDIR /app
COPY --from=build /faceroster.jar /app/faceroster.jar
COPY models /app/models
RUN mkdir -p /app/data /app/djl-cache && chown -R faceroster:faceroster /app
USER faceroster
# libtorch is extracted from the jar into the DJL cache on first start; nothing is downloaded.
ENV FACEROSTER_MODEL_DJL_CACHE_DIR=/app/djl-cache \
    OMP_NUM_THREADS=1 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError --add-modules=jdk.incubator.vector"
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
    CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-jar", "/app/faceroster.jar"]
