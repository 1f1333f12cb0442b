// The summary webview's DOM layer: renders the Markdown the view model prepared (markdown-it, raw HTML off,
// citations as links), shows the time in the user's locale, and sends the buttons and citation clicks to the host.
import MarkdownIt from "markdown-it";
import { FromSummaryView, SummaryView, ToSummaryView, useCitations } from "../src/webviews/summary/model";

const vscode = acquireVsCodeApi();
const post = (message: FromSummaryView) => vscode.postMessage(message);

let citations: SummaryView["citations"] = [];
const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
useCitations(md, () => citations);

const app = document.getElementById("app")!;
app.innerHTML = "";
const toolbar = document.createElement("header");
toolbar.className = "toolbar";
const buttons: [string, FromSummaryView["type"], string][] = [
  ["Regenerate", "regenerate", "Write the summary again from everything recorded now"],
  ["Export\u2026", "export", "Save the summary as a Markdown file"],
  ["Preview what will be sent", "preview", "The exact text a configured summary provider would receive"],
];
for (const [label, type, tip] of buttons) {
  const button = document.createElement("button");
  button.textContent = label;
  button.title = tip;
  button.addEventListener("click", () => post({ type } as FromSummaryView));
  toolbar.append(button);
}
const status = document.createElement("span");
status.className = "status";
status.setAttribute("role", "status");
toolbar.append(status);
const article = document.createElement("article");
article.className = "summary";
const footer = document.createElement("footer");
app.append(toolbar, article, footer);

article.addEventListener("click", (e) => {
  const link = e.target instanceof Element ? e.target.closest("a") : null;
  if (!link) return;
  e.preventDefault();
  const cellId = link.getAttribute("data-cell-id");
  const cellIndex = Number(link.getAttribute("data-cell-index"));
  if (cellId && Number.isInteger(cellIndex)) post({ type: "reveal", cellId, cellIndex });
});

window.addEventListener("message", (event: MessageEvent<ToSummaryView>) => {
  const msg = event.data;
  if (msg.type === "busy") {
    app.setAttribute("aria-busy", "true");
    status.textContent = msg.what;
    return;
  }
  app.setAttribute("aria-busy", "false");
  if (msg.type === "error") {
    status.textContent = msg.message;
    return;
  }
  const view = msg.view;
  status.textContent = "";
  citations = view.citations;
  article.innerHTML = md.render(view.markdown); // markdown-it with raw HTML off: the text cannot inject markup
  const when = new Date(view.createdAt);
  const time = Number.isNaN(when.getTime()) ? view.createdAt : when.toLocaleString();
  footer.replaceChildren();
  const origin = document.createElement("p");
  origin.textContent = `Summary by ${view.origin}, ${time}.`;
  footer.append(origin);
  for (const warning of view.warnings) {
    const p = document.createElement("p");
    p.className = "warning";
    p.textContent = `\u26a0 ${warning}`;
    footer.append(p);
  }
});

post({ type: "ready" });
