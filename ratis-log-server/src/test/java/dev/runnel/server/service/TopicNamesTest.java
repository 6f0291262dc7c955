package dev.runnel.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runnel.proto.v1.ErrorCode;
import dev.runnel.server.common.ServiceException;
import org.junit.jupiter.api.Test;

class TopicNamesTest {
  @Test
  void acceptsKafkaLegalNames() {
    TopicNames.validate("orders.v1_EU-west");
    TopicNames.validate("a".repeat(249));
  }

  @Test
  void rejectsIllegalNamesNamingTheRule() {
    assertEquals(ErrorCode.INVALID_TOPIC, reject("").code());
    assertEquals("topic name '.' must not be '.' or '..'", reject(".").getMessage());
    assertEquals(ErrorCode.INVALID_TOPIC, reject("..").code());
    assertEquals(ErrorCode.INVALID_TOPIC, reject("a b").code());
    assertEquals(ErrorCode.INVALID_TOPIC, reject("é").code());
    assertEquals(ErrorCode.INVALID_TOPIC, reject("a".repeat(250)).code());
  }

  private static ServiceException reject(String name) {
    return assertThrows(ServiceException.class, () -> TopicNames.validate(name));
  }
}
