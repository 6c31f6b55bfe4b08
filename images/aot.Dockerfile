# Adds a JDK AOT cache (JEP 483/514/515) to a service image built by Jib, trained with the image's own
# JVM and classpath (a cache only loads on the exact JVM build and classpath that wrote it). Starts the
# service in about a third of the time, and a new pod serves faster in its first seconds
# (docs/benchmarks.md, "Startup"); the chart's probes assume it.
#
#   docker build -f images/aot.Dockerfile --build-arg IMAGE=cumsum-autoscale/cumsum-api:0.1.0 \
#     -t cumsum-autoscale/cumsum-api:0.1.0 images
#
# images/build-images.sh runs it for both services after jib:dockerBuild; images/check-images.sh
# replays these steps without Docker. Keep to FROM/ARG/ENV/RUN [exec form]/COPY --from: that replay
# reads this file and stops on anything else.
ARG IMAGE

FROM ${IMAGE} AS training
# The training run: Jib's entrypoint (same classpath file and main class) with TRAINING_REQUESTS set,
# so that once ready the service sends that many requests through its own endpoints (checking every
# answer), then exits; the JVM then writes the classes it loaded and linked, and the profiles of the
# request path, into the cache. With -Dspring.aot.enabled=true like the entrypoint (Jib's jvmFlags), so
# the cache holds the classes of the start the pods make: Spring AOT's generated bean definitions.
# cumsum-api trains without a transaction-api (delivery off); transaction-api stores into its embedded
# store in /tmp, which the final image does not keep.
ENV TRAINING_REQUESTS=20000
ENV CUMSUM_DELIVERY_MODE=off
ENV HISTORY_EMBEDDED_DATADIR=/tmp/training-data
RUN ["java", "-XX:AOTCacheOutput=/tmp/app.aot", "-Djava.io.tmpdir=/tmp", "-Dspring.aot.enabled=true", "-cp", "@/app/jib-classpath-file", "@/app/jib-main-class-file"]

FROM ${IMAGE}
COPY --from=training /tmp/app.aot /app/aot/app.aot
# JDK_JAVA_OPTIONS is read by the java launcher only, so the chart's JAVA_TOOL_OPTIONS stay its own
ENV JDK_JAVA_OPTIONS=-XX:AOTCache=/app/aot/app.aot
