// The sidecar's stderr lines reach the TrackIT log at their own level, once each, split on line ends.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { levelledChannel, lineLevel, splitLines } from "../../src/sidecar/stderrLog";

describe("the sidecar's stderr in the log", () => {
  it("reads the level word the sidecar writes", () => {
    assert.deepEqual(lineLevel("WARNING trackit.kernel: preprocess.ipynb: kernel did not answer"), { level: "warn", text: "trackit.kernel: preprocess.ipynb: kernel did not answer" });
    assert.deepEqual(lineLevel("ERROR trackit.server: boom"), { level: "error", text: "trackit.server: boom" });
    assert.deepEqual(lineLevel("CRITICAL x"), { level: "error", text: "x" });
    assert.deepEqual(lineLevel("INFO trackit.server: stored 1 execution"), { level: "info", text: "trackit.server: stored 1 execution" });
    assert.deepEqual(lineLevel('  File "x.py", line 3'), { level: "info", text: '  File "x.py", line 3' });
    assert.deepEqual(lineLevel("WARNINGS are plural"), { level: "info", text: "WARNINGS are plural" });
  });

  it("keeps a line cut between chunks whole", () => {
    assert.deepEqual(splitLines("", "INFO a\nWARN"), { lines: ["INFO a"], rest: "WARN" });
    assert.deepEqual(splitLines("WARN", "ING b\r\n\n"), { lines: ["WARNING b"], rest: "" });
  });

  it("writes each line at its level through the log channel", () => {
    const seen: string[] = [];
    const log = {
      name: "TrackIT",
      info: (t: string) => seen.push(`info ${t}`),
      warn: (t: string) => seen.push(`warn ${t}`),
      error: (t: string) => seen.push(`error ${t}`),
      debug: (t: string) => seen.push(`debug ${t}`),
      append: () => seen.push("raw append"),
      appendLine: () => seen.push("raw appendLine"),
    };
    const channel = levelledChannel(log as any);
    channel.append("INFO s: one\nWARNING s: t");
    channel.append("wo\n");
    channel.appendLine("ERROR s: three");
    channel.info("direct");
    assert.equal(channel.name, "TrackIT");
    assert.deepEqual(seen, ["info s: one", "warn s: two", "error s: three", "info direct"]);
  });
});
