// Pure: VS Code notebook output items -> wire CellOutput, capped before they leave the editor.
// Hashing uses node's native sha256 (hundreds of MB/s), so even a large output costs milliseconds,
// and binary payloads over the cap are never base64-encoded at all.
import { createHash } from "node:crypto";
import type { CellOutput, OutputType } from "../sidecar/protocol";

export const ERROR_MIME = "application/vnd.code.notebook.error";
export const STDOUT_MIME = "application/vnd.code.notebook.stdout";
export const STDERR_MIME = "application/vnd.code.notebook.stderr";
export const DEFAULT_MAX_TEXT_BYTES = 65536;
export const DEFAULT_MAX_BINARY_BYTES = 256 * 1024;

export interface OutputItemLike {
  mime: string;
  data: Uint8Array;
}
export interface OutputLike {
  items: readonly OutputItemLike[];
  metadata?: { [key: string]: unknown };
}

export interface CapLimits {
  maxTextBytes: number;
  maxBinaryBytes: number;
}

export function isTextMime(mime: string): boolean {
  const m = mime.toLowerCase();
  return (
    m.startsWith("text/") ||
    m === STDOUT_MIME ||
    m === STDERR_MIME ||
    m === ERROR_MIME ||
    m === "application/json" ||
    m === "application/javascript" ||
    m === "application/xml" ||
    m === "image/svg+xml" ||
    m.endsWith("+json") ||
    m.endsWith("+xml")
  );
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The first `maxBytes` bytes of UTF-8 `data` as text, never ending in half a character. */
export function truncateUtf8(data: Uint8Array, maxBytes: number): string {
  if (data.byteLength <= maxBytes) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  let end = Math.max(0, maxBytes);
  // Step back over continuation bytes (10xxxxxx) so a multi-byte character is never split.
  while (end > 0 && end < data.byteLength && (data[end] & 0xc0) === 0x80) end--;
  return Buffer.from(data.buffer, data.byteOffset, end).toString("utf8");
}

function outputTypeFor(item: OutputItemLike, output: OutputLike): OutputType {
  if (item.mime === ERROR_MIME) return "error";
  if (item.mime === STDOUT_MIME || item.mime === STDERR_MIME) return "stream";
  // The Jupyter extension and the ipynb serializer keep nbformat's output_type in metadata.
  const declared = output.metadata?.outputType ?? output.metadata?.output_type;
  if (declared === "execute_result" || declared === "display_data" || declared === "stream" || declared === "error") {
    return declared;
  }
  return "display_data";
}

export function capOutputItem(item: OutputItemLike, output: OutputLike, limits: CapLimits): CellOutput {
  const size = item.data.byteLength;
  const sha256 = sha256Hex(item.data);
  const base = { output_type: outputTypeFor(item, output), mime: item.mime, size, sha256 };
  if (isTextMime(item.mime)) {
    const truncated = size > limits.maxTextBytes;
    return { ...base, text: truncateUtf8(item.data, limits.maxTextBytes), truncated };
  }
  if (size <= limits.maxBinaryBytes) {
    return {
      ...base,
      base64: Buffer.from(item.data.buffer, item.data.byteOffset, size).toString("base64"),
      truncated: false,
    };
  }
  return { ...base, truncated: true };
}

export function capOutputs(outputs: readonly OutputLike[], limits: CapLimits): CellOutput[] {
  const result: CellOutput[] = [];
  for (const output of outputs) {
    for (const item of output.items) result.push(capOutputItem(item, output, limits));
  }
  return result;
}

export interface NotebookErrorInfo {
  name?: string;
  message?: string;
}

/** name/message of the first error output, or undefined when the cell produced none. */
export function findError(outputs: readonly OutputLike[]): NotebookErrorInfo | undefined {
  for (const output of outputs) {
    for (const item of output.items) {
      if (item.mime !== ERROR_MIME) continue;
      try {
        const parsed = JSON.parse(Buffer.from(item.data.buffer, item.data.byteOffset, item.data.byteLength).toString("utf8"));
        return { name: stringOrUndefined(parsed?.name), message: stringOrUndefined(parsed?.message) };
      } catch {
        // A malformed error payload still means the cell failed; keep the fact, lose only the details.
        return {};
      }
    }
  }
  return undefined;
}

function stringOrUndefined(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
