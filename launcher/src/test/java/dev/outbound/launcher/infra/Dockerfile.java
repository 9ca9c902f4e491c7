package dev.outbound.launcher.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Dockerfile read into its build stages, enough to check it without a Docker engine: each {@code
 * FROM} starts a stage, continuation lines are joined, comments and parser directives dropped.
 *
 * @param file where it was read from
 * @param stages the stages in order; the last one is the image
 */
record Dockerfile(Path file, List<Stage> stages) {

  /** One instruction: the upper-case keyword and the rest of the line. */
  record Instruction(String keyword, String arguments) {}

  /** One build stage: its base image, its alias ({@code AS name}) if any, and its instructions. */
  record Stage(String image, Optional<String> alias, List<Instruction> instructions) {

    List<String> arguments(String keyword) {
      return instructions.stream()
          .filter(i -> i.keyword().equals(keyword))
          .map(Instruction::arguments)
          .toList();
    }

    Optional<String> last(String keyword) {
      List<String> all = arguments(keyword);
      return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }
  }

  static Dockerfile read(Path file) throws IOException {
    return parse(file, Files.readString(file));
  }

  static Dockerfile parse(Path file, String text) {
    List<String> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        continue; // comments and parser directives (# syntax=...), also inside continuations
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      if (!current.toString().isBlank()) {
        logical.add(current.toString().strip());
      }
      current.setLength(0);
    }
    List<Stage> stages = new ArrayList<>();
    List<Instruction> instructions = null;
    for (String line : logical) {
      int space = line.indexOf(' ');
      String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
      String arguments = space < 0 ? "" : line.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        String[] words = arguments.split("\\s+");
        Optional<String> alias =
            words.length >= 3 && words[words.length - 2].equalsIgnoreCase("AS")
                ? Optional.of(words[words.length - 1])
                : Optional.empty();
        instructions = new ArrayList<>();
        stages.add(new Stage(words[0], alias, instructions));
      } else if (instructions == null) {
        if (!keyword.equals("ARG")) {
          throw new IllegalArgumentException(file + ": " + keyword + " before the first FROM");
        }
      } else {
        instructions.add(new Instruction(keyword, arguments));
      }
    }
    return new Dockerfile(file, List.copyOf(stages));
  }

  /** The stage that becomes the image. */
  Stage image() {
    return stages.get(stages.size() - 1);
  }
}
