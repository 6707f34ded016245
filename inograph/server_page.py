"""The offline HTML page of ``inograph serve``: the library, an editor and a results table.

Plain HTML and JavaScript, no CDN or external reference: it talks only to the server it came
from (``/queries`` and ``/sparql``).
"""

from __future__ import annotations

__all__ = ["PAGE"]

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>inograph SPARQL</title>
<link rel="icon" href="data:,">
<style>
  body { font: 14px system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: 18em 1fr;
         height: 100vh; }
  nav { overflow: auto; border-right: 1px solid #ccc; padding: .5em; }
  nav button { display: block; width: 100%; text-align: left; margin: 2px 0; background: none; border: 0;
               padding: .3em; cursor: pointer; }
  nav button:hover { background: #eef; }
  main { overflow: auto; padding: .5em 1em; }
  textarea { width: 100%; height: 16em; font: 13px monospace; }
  table { border-collapse: collapse; margin-top: .5em; }
  td, th { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; font-size: 12px; }
  #status { margin-left: 1em; color: #555; }
  .error { color: #a00; white-space: pre-wrap; }
</style>
</head>
<body>
<nav><h3>Question library</h3><div id="library"></div></nav>
<main>
  <h2 id="title">inograph: write a SPARQL query</h2>
  <p id="question"></p>
  <textarea id="editor" spellcheck="false">PREFIX ino: <https://w3id.org/inograph/ontology#>
SELECT ?publication ?year WHERE { ?publication a ino:Publication ; ino:year ?year } ORDER BY ?year</textarea>
  <div><button id="run">Run</button><span id="status"></span></div>
  <div id="results"></div>
</main>
<script>
"use strict";
const editor = document.getElementById("editor");
const statusLine = document.getElementById("status");
const results = document.getElementById("results");

function show(data) {
  results.textContent = "";
  if ("boolean" in data) { results.textContent = data.boolean ? "yes" : "no"; return; }
  const table = document.createElement("table");
  const head = table.insertRow();
  for (const name of data.head.vars) {
    const th = document.createElement("th"); th.textContent = name; head.appendChild(th);
  }
  for (const binding of data.results.bindings) {
    const row = table.insertRow();
    for (const name of data.head.vars) {
      row.insertCell().textContent = binding[name] ? binding[name].value : "";
    }
  }
  results.appendChild(table);
  statusLine.textContent = data.results.bindings.length + " rows";
}

async function run() {
  statusLine.textContent = "running…";
  results.textContent = "";
  const response = await fetch("sparql", {
    method: "POST",
    headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    body: editor.value,
  });
  if (!response.ok) {
    statusLine.textContent = "HTTP " + response.status;
    const error = document.createElement("div");
    error.className = "error"; error.textContent = await response.text();
    results.appendChild(error);
    return;
  }
  show(await response.json());
}

async function library() {
  const entries = await (await fetch("queries")).json();
  const list = document.getElementById("library");
  for (const entry of entries) {
    const button = document.createElement("button");
    button.textContent = entry.name;
    button.title = entry.title;
    button.dataset.name = entry.name;
    button.addEventListener("click", async () => {
      document.getElementById("title").textContent = entry.title;
      document.getElementById("question").textContent = entry.question;
      editor.value = await (await fetch("queries/" + entry.name + "/text")).text();
    });
    list.appendChild(button);
  }
}

document.getElementById("run").addEventListener("click", run);
library();
</script>
</body>
</html>
"""
