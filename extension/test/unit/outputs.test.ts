import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { capOutputItem, capOutputs, findError, isTextMime, truncateUtf8 } from "../../src/notebook/outputs";
import { errorOutput, text } from "../fakes";

const limits = { maxTextBytes: 10, maxBinaryBytes: 16 };
const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

describe("output capping", () => {
  it("keeps short text whole, with size and sha256", () => {
    const [o] = capOutputs([text("text/plain", "hello", { outputType: "execute_result" })], limits);
    assert.deepEqual(o, { output_type: "execute_result", mime: "text/plain", size: 5, sha256: sha("hello"), text: "hello", truncated: false });
  });

  it("truncates long text to the byte cap, keeping the full size and the hash of the full text", () => {
    const full = "0123456789abcdef";
    const [o] = capOutputs([text("text/html", full)], limits);
    assert.equal(o.text, "0123456789");
    assert.equal(o.truncated, true);
    assert.equal(o.size, 16);
    assert.equal(o.sha256, sha(full));
    assert.equal(o.output_type, "display_data");
  });

  it("never splits a multi-byte character", () => {
    const data = Buffer.from("aaaaaaaaa\u00e9\u00e9", "utf8"); // 9 + 2 + 2 bytes; the cap falls inside the first é
    assert.equal(truncateUtf8(data, 10), "aaaaaaaaa");
    assert.equal(truncateUtf8(data, 11), "aaaaaaaaa\u00e9");
    assert.equal(truncateUtf8(Buffer.from("\u{1F600}", "utf8"), 3), "");
  });

  it("base64-encodes small binary outputs and only hashes big ones", () => {
    const small = new Uint8Array([1, 2, 3, 250]);
    const o = capOutputItem({ mime: "image/png", data: small }, { items: [] }, limits);
    assert.equal(o.base64, Buffer.from(small).toString("base64"));
    assert.equal(o.text, undefined);
    assert.equal(o.truncated, false);
    const big = new Uint8Array(17).fill(7);
    const b = capOutputItem({ mime: "image/png", data: big }, { items: [] }, limits);
    assert.equal(b.base64, undefined);
    assert.equal(b.size, 17);
    assert.equal(b.sha256, sha(big));
    assert.equal(b.truncated, true);
  });

  it("handles a Uint8Array that is a view into a larger buffer", () => {
    const backing = Buffer.from("XXhelloYY");
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, 5);
    const o = capOutputItem({ mime: "text/plain", data: view }, { items: [] }, limits);
    assert.equal(o.text, "hello");
    assert.equal(o.sha256, sha("hello"));
    const bin = capOutputItem({ mime: "application/octet-stream", data: view }, { items: [] }, limits);
    assert.equal(Buffer.from(bin.base64!, "base64").toString(), "hello");
  });

  it("maps VS Code's stream and error mimes to nbformat output types", () => {
    const outs = capOutputs(
      [text("application/vnd.code.notebook.stderr", "warn"), errorOutput("ValueError", "bad")],
      { maxTextBytes: 1000, maxBinaryBytes: 10 },
    );
    assert.deepEqual(outs.map((o) => o.output_type), ["stream", "error"]);
  });

  it("recognises text mimes", () => {
    for (const m of ["text/plain", "application/json", "application/vnd.plotly.v1+json", "image/svg+xml", "application/vnd.code.notebook.stdout"]) {
      assert.equal(isTextMime(m), true, m);
    }
    for (const m of ["image/png", "application/octet-stream", "application/pdf"]) assert.equal(isTextMime(m), false, m);
  });

  it("extracts the first error output's name and message", () => {
    assert.deepEqual(findError([text("text/plain", "x"), errorOutput("KeyError", "'a'")]), { name: "KeyError", message: "'a'" });
    assert.equal(findError([text("text/plain", "x")]), undefined);
  });
});
