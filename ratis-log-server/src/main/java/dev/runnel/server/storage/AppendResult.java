package dev.runnel.server.storage;

import dev.runnel.proto.v1.ErrorCode;

/** Outcome of appending one batch. On error nothing was stored and the offsets are -1. */
public record AppendResult(
    ErrorCode error, String message, long baseOffset, long logStartOffset, boolean duplicate) {

  public static AppendResult appended(long baseOffset, long logStartOffset) {
    return new AppendResult(ErrorCode.ERROR_NONE, "", baseOffset, logStartOffset, false);
  }

  public static AppendResult duplicateOf(long baseOffset, long logStartOffset) {
    return new AppendResult(ErrorCode.ERROR_NONE, "", baseOffset, logStartOffset, true);
  }

  public static AppendResult rejected(ErrorCode error, String message) {
    return new AppendResult(error, message, -1, -1, false);
  }

  public boolean ok() {
    return error == ErrorCode.ERROR_NONE;
  }
}
