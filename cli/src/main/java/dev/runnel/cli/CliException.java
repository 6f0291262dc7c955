package dev.runnel.cli;

/**
 * An expected failure with a message for the user and an exit code; reported as one line
 * without a stack trace (unless --verbose).
 */
public final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /** A runtime failure (exit code {@link Main#EXIT_FAILURE}). */
  public CliException(String message) {
    this(message, Main.EXIT_FAILURE, null);
  }

  /** A failure with a chosen exit code and an optional cause. */
  public CliException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
