package dev.runnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatLimitFilterTest {
  private final LoggerContext context = new LoggerContext();
  private final AtomicLong now = new AtomicLong();
  private final RepeatLimitFilter filter = new RepeatLimitFilter(now::get);
  private final Logger ratis = context.getLogger("org.apache.ratis.server.RaftServer$Division");
  private final Logger ours = context.getLogger("dev.runnel.server.Broker");

  RepeatLimitFilterTest() {
    filter.setBurst(3);
    filter.setWindowMs(1000);
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
  }

  private FilterReply decide(Logger logger, Level level, String format) {
    return filter.decide(null, logger, level, format, new Object[] {"group-1"}, null);
  }

  @Test
  void dropsRepeatsOfOneKindBeyondTheBurstUntilTheWindowEnds() {
    for (int i = 0; i < 3; i++) {
      assertEquals(FilterReply.NEUTRAL, decide(ratis, Level.ERROR, "{}: Failed appendEntries* {}"));
    }
    assertEquals(FilterReply.DENY, decide(ratis, Level.ERROR, "{}: Failed appendEntries* {}"));
    assertEquals(FilterReply.NEUTRAL, decide(ratis, Level.ERROR, "{}: another failure"),
        "another kind has its own budget");
    now.set(999);
    assertEquals(FilterReply.DENY, decide(ratis, Level.ERROR, "{}: Failed appendEntries* {}"));
    now.set(1000);
    assertEquals(FilterReply.NEUTRAL, decide(ratis, Level.ERROR, "{}: Failed appendEntries* {}"),
        "a new window");
  }

  @Test
  void leavesOtherLoggersAndLowerLevelsAlone() {
    for (int i = 0; i < 10; i++) {
      assertEquals(FilterReply.NEUTRAL, decide(ours, Level.ERROR, "{}: repeated"));
      assertEquals(FilterReply.NEUTRAL, decide(ratis, Level.INFO, "{}: repeated info"));
    }
    ratis.setLevel(Level.OFF);
    for (int i = 0; i < 10; i++) {
      assertEquals(FilterReply.NEUTRAL, decide(ratis, Level.ERROR, "{}: disabled anyway"),
          "lines the logger drops anyway do not use the budget");
    }
    ratis.setLevel(null);
    assertEquals(FilterReply.NEUTRAL, decide(ratis, Level.ERROR, "{}: disabled anyway"));
  }

  @Test
  void refusesSettingsThatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> filter.setBurst(0));
    assertThrows(IllegalArgumentException.class, () -> filter.setWindowMs(0));
  }
}
