import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_SETTLE_MS, ExecutionReducer } from "../../src/notebook/reducer";
import { ResendBuffer } from "../../src/notebook/resendBuffer";
import { Tracker } from "../../src/notebook/tracker";
import type { CellExecution } from "../../src/sidecar/protocol";
import { FakeNotebook, FakeTimers, runFinished, sequentialIds, stdout, outputsChanged } from "../fakes";

/** Stands in for the sidecar connection: up or down, records what arrived. */
class FakeSidecar {
  up = false;
  received: CellExecution[] = [];
  send = (e: CellExecution) => {
    if (!this.up) return false;
    this.received.push(e);
    return true;
  };
}

function setup(opts: { capacity?: number; paused?: Set<string>; settleMs?: number } = {}) {
  const timers = new FakeTimers();
  const sidecar = new FakeSidecar();
  const warnings: string[] = [];
  const tracker = new Tracker({
    reducer: new ExecutionReducer({ settleMs: opts.settleMs ?? 150, limits: { maxTextBytes: 100, maxBinaryBytes: 100 }, newId: sequentialIds() }),
    buffer: new ResendBuffer<CellExecution>(opts.capacity ?? 100),
    send: sidecar.send,
    isTracked: (nb) => !(opts.paused ?? new Set()).has(nb.uri.toString()),
    log: { info: () => undefined, warn: (m) => warnings.push(m) },
    timers,
  });
  return { timers, sidecar, tracker, warnings };
}

function runCell(tracker: Tracker, timers: FakeTimers, nb: FakeNotebook, source: string, order: number) {
  const cell = nb.add(source, { id: `cell-${order}` });
  tracker.handleChange(outputsChanged(nb, cell, [stdout(source)]));
  tracker.handleChange(runFinished(nb, cell, order, true, timers.t, timers.t + 1));
}

describe("Tracker", () => {
  it("sends settled runs via its timer, keeps them until confirmed, re-sends after a restart in order", () => {
    const { timers, sidecar, tracker } = setup();
    const nb = new FakeNotebook();
    runCell(tracker, timers, nb, "a = 1", 1);
    timers.advance(200);
    assert.equal(sidecar.received.length, 0, "no sidecar ready yet: buffered");
    sidecar.up = true;
    tracker.handleSidecarReady(1);
    assert.deepEqual(sidecar.received.map((e) => e.event_id), ["ev-1"]);
    runCell(tracker, timers, nb, "b = a", 2);
    runCell(tracker, timers, nb, "c = b", 3);
    timers.advance(100);
    assert.equal(sidecar.received.length, 1, "still settling");
    timers.advance(100);
    assert.deepEqual(sidecar.received.map((e) => e.event_id), ["ev-1", "ev-2", "ev-3"]);
    tracker.handleLineageChanged({ notebook_uri: nb.uri.toString(), seq: 2, event_ids: ["ev-1", "ev-2"] });
    assert.equal(tracker.unconfirmed, 1);

    // The sidecar dies before committing ev-3; an event finishes while it is down.
    sidecar.up = false;
    runCell(tracker, timers, nb, "d = c", 4);
    timers.advance(200);
    sidecar.up = true;
    sidecar.received = [];
    tracker.handleSidecarReady(2);
    assert.deepEqual(sidecar.received.map((e) => e.event_id), ["ev-3", "ev-4"], "unconfirmed only, oldest first");
    tracker.handleSidecarReady(2);
    assert.equal(sidecar.received.length, 2, "once per restart");
    tracker.handleLineageChanged({ notebook_uri: nb.uri.toString(), seq: 4, event_ids: ["ev-3", "ev-4"] });
    assert.equal(tracker.unconfirmed, 0);
    sidecar.received = [];
    tracker.handleSidecarReady(3);
    assert.deepEqual(sidecar.received, [], "confirmed events are never re-sent");
  });

  it("with the default settle, sends a finished run in the call that reported its end: no timer's turn", () => {
    const { timers, sidecar, tracker } = setup({ settleMs: DEFAULT_SETTLE_MS });
    sidecar.up = true;
    tracker.handleSidecarReady(1);
    const nb = new FakeNotebook();
    runCell(tracker, timers, nb, "a = 1", 1);
    assert.deepEqual(sidecar.received.map((e) => e.event_id), ["ev-1"], "sent before any timer fired");
    assert.deepEqual(sidecar.received[0].outputs.map((o) => o.text), ["a = 1"], "with the outputs appended before the end");
    const second = nb.add("b = a", { id: "cell-2" });
    tracker.handleChange(runFinished(nb, second, 2, true, timers.t, timers.t + 1));
    assert.deepEqual(sidecar.received.map((e) => e.event_id), ["ev-1", "ev-2"]);
  });

  it("records nothing for a paused notebook", () => {
    const nb = new FakeNotebook("/paused.ipynb");
    const { timers, sidecar, tracker } = setup({ paused: new Set([nb.uri.toString()]) });
    sidecar.up = true;
    tracker.handleSidecarReady(1);
    runCell(tracker, timers, nb, "x = 1", 1);
    timers.advance(1000);
    assert.equal(sidecar.received.length, 0);
    assert.equal(tracker.unconfirmed, 0);
  });

  it("flushes a closing notebook's pending runs at once", () => {
    const { timers, sidecar, tracker } = setup();
    sidecar.up = true;
    tracker.handleSidecarReady(1);
    const nb = new FakeNotebook();
    runCell(tracker, timers, nb, "x = 1", 1);
    tracker.handleClose(nb);
    assert.equal(sidecar.received.length, 1);
  });

  it("logs when the bounded buffer drops unconfirmed events", () => {
    const { timers, tracker, warnings } = setup({ capacity: 2 });
    const nb = new FakeNotebook();
    for (let i = 1; i <= 3; i++) runCell(tracker, timers, nb, `x${i} = ${i}`, i);
    timers.advance(200);
    assert.equal(tracker.unconfirmed, 2);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /dropped 1 unconfirmed/);
  });
});
