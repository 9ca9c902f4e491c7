package dev.outbound.vocabulary.template;

/** A template that cannot be parsed, with a message fit for an API error. */
public class TemplateException extends IllegalArgumentException {

  public TemplateException(String message) {
    super(message);
  }
}
