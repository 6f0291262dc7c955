package dev.runnel.server.service;

import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.ServiceException;
import java.util.regex.Pattern;

/** Kafka's topic naming rules. */
public final class TopicNames {
  public static final int MAX_LENGTH = 249;
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

  private TopicNames() {}

  public static void validate(String name) {
    String why = null;
    if (name == null || name.isEmpty()) {
      why = "must not be empty";
    } else if (name.equals(".") || name.equals("..")) {
      why = "must not be '.' or '..'";
    } else if (name.length() > MAX_LENGTH) {
      why = "is " + name.length() + " characters; the maximum is " + MAX_LENGTH;
    } else if (!LEGAL.matcher(name).matches()) {
      why = "may contain only ASCII letters, digits, '.', '_' and '-'";
    }
    if (why != null) {
      String shown = name == null ? "" : name.length() > 60 ? name.substring(0, 60) + "..." : name;
      throw new ServiceException(ErrorCode.INVALID_TOPIC, "topic name '" + shown + "' " + why);
    }
  }
}
