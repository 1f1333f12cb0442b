import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ResendBuffer } from "../../src/notebook/resendBuffer";

const ev = (id: string) => ({ event_id: id });

describe("ResendBuffer", () => {
  it("hands out each event once per generation, in order, until confirmed", () => {
    const b = new ResendBuffer<{ event_id: string }>(100);
    b.add(ev("a"));
    b.add(ev("b"));
    assert.deepEqual(b.takeUnsent(1).map((e) => e.event_id), ["a", "b"]);
    assert.deepEqual(b.takeUnsent(1), [], "not twice in the same generation");
    b.add(ev("c"));
    assert.deepEqual(b.takeUnsent(1).map((e) => e.event_id), ["c"]);
    assert.equal(b.confirm(["b", "unknown"]), 1);
    // Sidecar restarted: everything unconfirmed goes again, oldest first.
    assert.deepEqual(b.takeUnsent(2).map((e) => e.event_id), ["a", "c"]);
    assert.deepEqual(b.takeUnsent(2), []);
    b.confirm(["a", "c"]);
    assert.equal(b.size, 0);
    assert.deepEqual(b.takeUnsent(3), []);
  });

  it("ignores a duplicate event_id", () => {
    const b = new ResendBuffer<{ event_id: string }>(100);
    b.add(ev("a"));
    b.add(ev("a"));
    assert.equal(b.size, 1);
  });

  it("drops the oldest events beyond capacity and counts them", () => {
    const b = new ResendBuffer<{ event_id: string }>(2);
    assert.deepEqual(b.add(ev("a")), []);
    b.add(ev("b"));
    assert.deepEqual(b.add(ev("c")).map((e) => e.event_id), ["a"]);
    assert.deepEqual(b.pendingIds(), ["b", "c"]);
    assert.equal(b.dropped, 1);
  });

  it("rejects a capacity below 1", () => {
    assert.throws(() => new ResendBuffer(0), /capacity/);
  });
});
