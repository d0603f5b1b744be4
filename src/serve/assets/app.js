// The query page: runs the editor's query against /sparql and shows the answer as a table whose
// IRIs link to resource pages on this server (hash IRIs, whose fragment a browser does not send,
// through /resource?iri=), with download links in every format.
"use strict";

const base = document.querySelector('meta[name="dealgraph-base"]').content;
const basePath = document.querySelector('meta[name="dealgraph-base-path"]').content;
const prefixes = JSON.parse(document.getElementById("prefixes").textContent);
const editor = document.getElementById("query");
const statusLine = document.getElementById("status");
const downloads = document.getElementById("downloads");
const results = document.getElementById("results");

const RESULT_FORMATS = [["json", "JSON"], ["xml", "XML"], ["csv", "CSV"], ["tsv", "TSV"]];
const GRAPH_FORMATS = [["ttl", "Turtle"], ["nt", "N-Triples"], ["nq", "N-Quads"],
  ["trig", "TriG"], ["jsonld", "JSON-LD"], ["rdfxml", "RDF/XML"]];

function pageOf(iri) {
  if (iri.startsWith(base) && !iri.includes("#")) {
    return basePath + iri.slice(base.length);
  }
  return "/resource?iri=" + encodeURIComponent(iri);
}

function shorten(iri) {
  for (const [prefix, namespace] of Object.entries(prefixes)) {
    if (iri.startsWith(namespace)) {
      return prefix + ":" + iri.slice(namespace.length);
    }
  }
  return iri.startsWith(base) ? iri.slice(base.length) : iri;
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) {
    return td;
  }
  if (term.type === "uri") {
    const link = document.createElement("a");
    link.href = pageOf(term.value);
    link.textContent = shorten(term.value);
    link.title = term.value;
    td.appendChild(link);
  } else if (term.type === "bnode") {
    td.textContent = "_:" + term.value;
  } else {
    td.textContent = term.value;
  }
  return td;
}

function showTable(answer) {
  const table = document.createElement("table");
  table.className = "results";
  const head = table.createTHead().insertRow();
  for (const variable of answer.head.vars) {
    const th = document.createElement("th");
    th.textContent = variable;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const binding of answer.results.bindings) {
    const row = body.insertRow();
    for (const variable of answer.head.vars) {
      row.appendChild(cell(binding[variable]));
    }
  }
  results.replaceChildren(table);
  const count = answer.results.bindings.length;
  statusLine.textContent = count + (count === 1 ? " row" : " rows");
}

function showDownloads(query, formats) {
  downloads.replaceChildren(document.createTextNode("Download: "));
  for (const [name, shown] of formats) {
    const link = document.createElement("a");
    link.href = "/sparql?" + new URLSearchParams({ query, format: name });
    link.download = "results." + name;
    link.textContent = shown;
    downloads.append(link, " ");
  }
}

async function run(query) {
  statusLine.textContent = "Running…";
  statusLine.className = "";
  results.replaceChildren();
  downloads.replaceChildren();
  try {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: new URLSearchParams({ query }),
    });
    const text = await response.text();
    if (!response.ok) {
      statusLine.textContent = response.status + " " + text;
      statusLine.className = "error";
      return;
    }
    if ((response.headers.get("Content-Type") || "").startsWith("application/sparql-results+json")) {
      const answer = JSON.parse(text);
      if ("boolean" in answer) {
        statusLine.textContent = "Answer: " + answer.boolean;
      } else {
        showTable(answer);
      }
      showDownloads(query, RESULT_FORMATS);
    } else {
      const pre = document.createElement("pre");
      pre.className = "graph";
      pre.textContent = text;
      results.replaceChildren(pre);
      statusLine.textContent = "Graph (Turtle)";
      showDownloads(query, GRAPH_FORMATS);
    }
  } catch (error) {
    statusLine.textContent = "The request failed: " + error;
    statusLine.className = "error";
  }
}

document.getElementById("editor").addEventListener("submit", (event) => {
  event.preventDefault();
  const query = editor.value;
  history.replaceState(null, "", "/?" + new URLSearchParams({ query }));
  run(query);
});

if (document.body.dataset.autorun === "true") {
  run(editor.value);
}
