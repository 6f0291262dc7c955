package dev.runnel.client.internals;

import dev.runnel.client.errors.ApiException;
import dev.runnel.client.errors.BatchTooLargeException;
import dev.runnel.client.errors.BrokerBusyException;
import dev.runnel.client.errors.BrokerCapacityExceededException;
import dev.runnel.client.errors.BrokerNotAvailableException;
import dev.runnel.client.errors.ControllerNotAvailableException;
import dev.runnel.client.errors.CorruptRecordException;
import dev.runnel.client.errors.InvalidConfigurationException;
import dev.runnel.client.errors.InvalidPartitionsException;
import dev.runnel.client.errors.InvalidReplicationFactorException;
import dev.runnel.client.errors.InvalidRequestException;
import dev.runnel.client.errors.InvalidTimestampException;
import dev.runnel.client.errors.InvalidTopicException;
import dev.runnel.client.errors.LeaderNotAvailableException;
import dev.runnel.client.errors.NotEnoughReplicasException;
import dev.runnel.client.errors.NotLeaderException;
import dev.runnel.client.errors.OffsetOutOfRangeException;
import dev.runnel.client.errors.OutOfOrderSequenceException;
import dev.runnel.client.errors.RecordTooLargeException;
import dev.runnel.client.errors.RequestTooLargeException;
import dev.runnel.client.errors.StorageErrorException;
import dev.runnel.client.errors.TimeoutException;
import dev.runnel.client.errors.TopicDeletionInProgressException;
import dev.runnel.client.errors.TopicExistsException;
import dev.runnel.client.errors.UnknownProducerIdException;
import dev.runnel.client.errors.UnknownServerException;
import dev.runnel.client.errors.UnknownTopicOrPartitionException;
import dev.runnel.client.errors.UnsupportedCompressionTypeException;
import dev.runnel.proto.v1.ErrorCode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The one mapping from the protocol's {@link ErrorCode} to client exceptions, in the manner of Kafka's
 * {@code Errors} enum. Whether a code is retriable is declared here and matches the exception's class
 * (a {@link dev.runnel.client.errors.RetriableException} or not); a test checks both agree and that
 * every code is mapped.
 */
public final class Errors {

  /** One row of the table. */
  public record Mapping(ErrorCode code, boolean retriable, Function<String, ApiException> factory) {}

  private static final Map<ErrorCode, Mapping> TABLE = build();

  private Errors() {}

  private static Map<ErrorCode, Mapping> build() {
    Map<ErrorCode, Mapping> m = new EnumMap<>(ErrorCode.class);
    put(m, ErrorCode.UNKNOWN_SERVER_ERROR, true, UnknownServerException::new);
    put(m, ErrorCode.INVALID_REQUEST, false, InvalidRequestException::new);
    put(m, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, true, UnknownTopicOrPartitionException::new);
    put(m, ErrorCode.INVALID_TOPIC, false, InvalidTopicException::new);
    put(m, ErrorCode.TOPIC_ALREADY_EXISTS, false, TopicExistsException::new);
    put(m, ErrorCode.INVALID_PARTITIONS, false, InvalidPartitionsException::new);
    put(m, ErrorCode.INVALID_REPLICATION_FACTOR, false, InvalidReplicationFactorException::new);
    put(m, ErrorCode.INVALID_CONFIG, false, InvalidConfigurationException::new);
    put(m, ErrorCode.NOT_LEADER, true, NotLeaderException::new);
    put(m, ErrorCode.LEADER_NOT_AVAILABLE, true, LeaderNotAvailableException::new);
    put(m, ErrorCode.OFFSET_OUT_OF_RANGE, false, OffsetOutOfRangeException::new);
    put(m, ErrorCode.RECORD_TOO_LARGE, false, RecordTooLargeException::new);
    put(m, ErrorCode.BATCH_TOO_LARGE, false, BatchTooLargeException::new);
    put(m, ErrorCode.REQUEST_TOO_LARGE, false, RequestTooLargeException::new);
    put(m, ErrorCode.CORRUPT_BATCH, false, CorruptRecordException::new);
    put(m, ErrorCode.OUT_OF_ORDER_SEQUENCE, false, OutOfOrderSequenceException::new);
    put(m, ErrorCode.UNKNOWN_PRODUCER_ID, false, UnknownProducerIdException::new);
    put(m, ErrorCode.REQUEST_TIMED_OUT, true, TimeoutException::new);
    put(m, ErrorCode.BROKER_BUSY, true, BrokerBusyException::new);
    put(m, ErrorCode.TOPIC_DELETION_IN_PROGRESS, false, TopicDeletionInProgressException::new);
    put(m, ErrorCode.CONTROLLER_NOT_AVAILABLE, true, ControllerNotAvailableException::new);
    put(m, ErrorCode.STORAGE_ERROR, true, StorageErrorException::new);
    put(m, ErrorCode.INVALID_TIMESTAMP, false, InvalidTimestampException::new);
    put(m, ErrorCode.UNSUPPORTED_COMPRESSION, false, UnsupportedCompressionTypeException::new);
    put(m, ErrorCode.NOT_ENOUGH_REPLICAS, true, NotEnoughReplicasException::new);
    put(m, ErrorCode.BROKER_NOT_AVAILABLE, true, BrokerNotAvailableException::new);
    put(m, ErrorCode.BROKER_CAPACITY_EXCEEDED, false, BrokerCapacityExceededException::new);
    for (ErrorCode c : ErrorCode.values()) {
      if (c != ErrorCode.ERROR_NONE && c != ErrorCode.UNRECOGNIZED && !m.containsKey(c)) {
        throw new IllegalStateException("ErrorCode " + c + " has no client exception mapping");
      }
    }
    return Collections.unmodifiableMap(m);
  }

  private static void put(Map<ErrorCode, Mapping> m, ErrorCode code, boolean retriable,
      Function<String, ApiException> factory) {
    m.put(code, new Mapping(code, retriable, factory));
  }

  /** Every row, for tests and documentation. */
  public static Map<ErrorCode, Mapping> table() {
    return TABLE;
  }

  /** Whether a code may succeed on retry. Unknown codes (from a newer broker) are not retriable. */
  public static boolean isRetriable(ErrorCode code) {
    Mapping m = TABLE.get(code);
    return m != null && m.retriable();
  }

  /**
   * The exception for a code. {@code message} is the broker's message; an empty one is replaced by the
   * code's name so the user always sees what went wrong.
   */
  public static ApiException exception(ErrorCode code, String message) {
    String msg = message == null || message.isEmpty() ? describe(code) : message;
    Mapping m = TABLE.get(code);
    if (m == null) {
      return new UnknownServerException("the broker answered with an error code this client does not"
          + " know (" + code + "): " + msg);
    }
    return m.factory().apply(msg);
  }

  private static String describe(ErrorCode code) {
    return code.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
