package dev.runnel.server.raft;

import java.io.IOException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.LifeCycle;

/**
 * Drives the state-machine LifeCycle the way Ratis's snapshot installation expects.
 * {@code StateMachineUpdater.reload()} asserts the state machine is PAUSED before calling
 * {@link #reinitialize()}; BaseStateMachine never leaves NEW, so without these transitions a
 * snapshot install closes the whole division (ratis-guide section 2).
 */
public abstract class LifecycleStateMachine extends BaseStateMachine {

  @Override
  public final void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage)
      throws IOException {
    super.initialize(server, groupId, storage);
    getLifeCycle().startAndTransition(() -> open(storage));
  }

  @Override
  public final void pause() {
    LifeCycle lc = getLifeCycle();
    if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
      lc.transition(LifeCycle.State.PAUSING);
      closeState();
      lc.transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public final void reinitialize() throws IOException {
    LifeCycle lc = getLifeCycle();
    lc.transition(LifeCycle.State.STARTING);
    reload();
    lc.transition(LifeCycle.State.RUNNING);
  }

  @Override
  public final void close() throws IOException {
    getLifeCycle().checkStateAndClose(() -> {
      closeState();
      closeForGood();
    });
  }

  /** Opens the state for the first time, from the group's storage. */
  protected abstract void open(RaftStorage storage) throws IOException;

  /** Re-opens the state after Ratis installed a snapshot into the state-machine directory. */
  protected abstract void reload() throws IOException;

  /** Releases the state (files, handles); called on pause and on close. Must be idempotent. */
  protected abstract void closeState();

  /**
   * Releases what must outlive a pause (Ratis goes on writing its log while it installs a
   * snapshot); called once, on close, after {@link #closeState()}.
   */
  protected void closeForGood() {}
}
