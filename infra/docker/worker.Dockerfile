# syntax=docker/dockerfile:1
# The worker image (the Temporal worker; its port 8081 serves actuator only). Build from the
# repository root (the whole Maven reactor is the build context):
#   docker build -f infra/docker/worker.Dockerfile -t outbound-worker:0.1.0 .
# InfraManifestsTest checks this file statically (stages, user, port, layers): no Docker engine runs
# where CI runs.

# Build stage: the Maven wrapper builds the worker module and the modules it depends on. Tests and
# the format check are CI's job, not the image build's.
FROM eclipse-temurin:17-jdk-noble AS build
WORKDIR /workspace
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl worker -am package -DskipTests -Dspotless.check.skip=true \
 && cp worker/target/outbound-worker-*-exec.jar app.jar \
 && java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

# Runtime stage: a JRE and the exploded jar, one image layer per Spring Boot layer, least likely to
# change first, so a code change rebuilds and ships only the last layer.
FROM eclipse-temurin:17-jre-noble
RUN groupadd --system --gid 10001 outbound \
 && useradd --system --uid 10001 --gid outbound --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin outbound
WORKDIR /app
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
# Heap as a share of the container's memory limit (the JVM reads the cgroup limit); exit on OOM so
# that Kubernetes restarts a broken pod instead of leaving it half alive. /tmp is the only writable
# path (an emptyDir in the manifests, which mount the root file system read-only).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -XX:InitialRAMPercentage=50.0 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
# Numeric, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
EXPOSE 8081
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
