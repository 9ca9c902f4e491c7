package dev.outbound.vocabulary.template;

/**
 * A variable has no value and no fallback. The message names the variable only, never lead data, so
 * it can go on the lead's timeline.
 */
public class MissingVariableException extends RuntimeException {

  private final String variable;

  public MissingVariableException(String variable) {
    super("variable {{" + variable + "}} has no value for this lead and no fallback");
    this.variable = variable;
  }

  public String variable() {
    return variable;
  }
}
