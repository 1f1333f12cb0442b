// A stand-in sidecar speaking JSON-RPC over stdio (vscode-jsonrpc, the library under
// vscode-languageclient). Used to test the client's lifecycle, not the real sidecar's logic:
// answers initialize/shutdown/trackit/status, confirms each trackit/cellExecuted with
// trackit/lineageChanged, and exits abruptly on the test-only notification "test/crash".
// Every received message is appended to TRACKIT_FAKE_LOG (JSON lines) so the test can inspect them.
const fs = require("node:fs");
const rpc = require("vscode-jsonrpc/node");

const logFile = process.env.TRACKIT_FAKE_LOG;
const record = (method, params) => logFile && fs.appendFileSync(logFile, JSON.stringify({ pid: process.pid, method, params }) + "\n");
const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(process.stdin), new rpc.StreamMessageWriter(process.stdout));
let seq = 0;
conn.onRequest("initialize", (params) => {
  record("initialize", { args: process.argv.slice(2), initializationOptions: params.initializationOptions });
  return { capabilities: {}, serverInfo: { name: "fake-trackit", version: "0" } };
});
conn.onNotification("initialized", () => record("initialized", {}));
conn.onRequest("shutdown", () => null);
conn.onNotification("exit", () => process.exit(0));
conn.onRequest("trackit/status", () => ({ version: "fake", protocol_version: 1, db_path: process.argv[process.argv.indexOf("--db") + 1], db_mode: "owner", executions_stored: seq }));
conn.onNotification("trackit/setConfig", (p) => record("trackit/setConfig", p));
conn.onNotification("trackit/cellExecuted", (p) => {
  record("trackit/cellExecuted", p);
  if (process.env.TRACKIT_FAKE_NO_CONFIRM) return;
  seq += 1;
  conn.sendNotification("trackit/lineageChanged", { notebook_uri: p.notebook_uri, seq, cell_id: p.cell_id, event_ids: [p.event_id] });
});
conn.onNotification("test/crash", () => process.exit(3));
conn.listen();
