// A notebook file's text with one code cell per source (ids bench-cell-N), for the benchmarks and probes that run
// real notebooks in code-server.
export function notebookJson(sources) {
  return JSON.stringify({
    cells: sources.map((source, i) => ({ cell_type: "code", id: `bench-cell-${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" }, language_info: { name: "python" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}
