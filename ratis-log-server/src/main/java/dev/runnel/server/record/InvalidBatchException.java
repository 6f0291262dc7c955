package dev.runnel.server.record;

import dev.runnel.proto.v1.ErrorCode;
import java.util.Objects;

/**
 * A produced batch was rejected by {@link BatchValidator}. Carries the {@link ErrorCode} to report
 * to the client and a message that names what was wrong.
 */
public final class InvalidBatchException extends Exception {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public InvalidBatchException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }
}
