package dev.outbound.launcher.infra;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with the real kustomize, as embedded in {@code kubectl kustomize}. No JVM
 * implementation of kustomize exists, and re-implementing its merge rules would test our copy
 * instead of what Argo CD and {@code kubectl apply -k} will do. The machines this project builds on
 * (developers' and CI's) carry kubectl in their image; where it is missing, {@link #kubectl()} is
 * empty and the tests decide whether that is a skip or a failure.
 */
final class Kustomize {

  private Kustomize() {}

  /**
   * The kubectl to use: {@code -Doutbound.kubectl=/path} or {@code $KUBECTL} when set, else the
   * first {@code kubectl} on the {@code PATH}.
   */
  static Optional<Path> kubectl() {
    String configured = System.getProperty("outbound.kubectl", System.getenv("KUBECTL"));
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "kubectl"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** The multi-document YAML that {@code kubectl kustomize dir} prints; fails on any error. */
  static String render(Path kubectl, Path kustomizationDir)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("kustomize", ".yaml");
    Path err = Files.createTempFile("kustomize", ".err");
    try {
      Process process =
          new ProcessBuilder(kubectl.toString(), "kustomize", kustomizationDir.toString())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      // A guard against a hung process, not a measurement: rendering takes well under a second.
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl kustomize " + kustomizationDir + " hung");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "kubectl kustomize "
                + kustomizationDir
                + " failed: "
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
