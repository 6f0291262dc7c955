package dev.runnel.client.errors;

/**
 * The live brokers cannot host the new topic's Raft group replicas: each broker hosts at most
 * {@code raft.max.group.replicas}, which its direct memory bounds. Delete topics, add brokers, create
 * the topic with fewer partitions or replicas, or raise the brokers' limit.
 */
public class BrokerCapacityExceededException extends ApiException {
  private static final long serialVersionUID = 1L;

  public BrokerCapacityExceededException(String message) {
    super(message);
  }
}
