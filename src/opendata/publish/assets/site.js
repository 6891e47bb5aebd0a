// The site's one script. Every page is whole without it: it sorts, filters and downloads
// the rows shown, highlights a quote in the source text and copies a citation.
"use strict";

function key(cell) {
  var text = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
  var number = Number(text);
  return text !== "" && !isNaN(number) ? number : text;
}

// Sortable tables: a heading's button sorts its column by data-sort (numbers numerically);
// empty cells go last whichever the direction.
document.querySelectorAll("table.sortable").forEach(function (table) {
  var headings = table.querySelectorAll("thead th");
  headings.forEach(function (heading, column) {
    var button = heading.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var ascending = heading.getAttribute("aria-sort") !== "ascending";
      headings.forEach(function (other) {
        if (other.hasAttribute("aria-sort")) { other.setAttribute("aria-sort", "none"); }
      });
      heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a.cells[column]), y = key(b.cells[column]);
        if (x === "" || y === "") { return (x === "") - (y === ""); }
        var order = (typeof x === "number" && typeof y === "number") ? x - y
          : String(x).localeCompare(String(y), document.documentElement.lang);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});

// Find and filter: a text filter and facets; each facet counts the rows that match every
// other filter, so a facet's counts add up to the rows its own choice leaves to pick from.
(function () {
  var form = document.getElementById("finder");
  var table = document.getElementById("rows");
  if (!form || !table) { return; }
  form.hidden = false;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var text = rows.map(function (row) { return row.textContent.toLowerCase(); });
  var facets = Array.prototype.slice.call(form.querySelectorAll(".facet"));
  var input = document.getElementById("filter");
  var shown = document.getElementById("shown");
  function attribute(column) { return "data-" + column.replace(/_/g, "-"); }
  function chosen(facet) {
    return Array.prototype.slice.call(facet.querySelectorAll("input:checked"))
      .map(function (box) { return box.value; });
  }
  function matches(index, except) {
    var words = input.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
    if (!words.every(function (w) { return text[index].indexOf(w) !== -1; })) { return false; }
    return facets.every(function (facet) {
      if (facet === except) { return true; }
      var values = chosen(facet);
      return !values.length ||
        values.indexOf(rows[index].getAttribute(attribute(facet.dataset.column))) !== -1;
    });
  }
  function update() {
    var count = 0;
    rows.forEach(function (row, index) {
      row.hidden = !matches(index, null);
      if (!row.hidden) { count += 1; }
    });
    facets.forEach(function (facet) {
      facet.querySelectorAll("input").forEach(function (box) {
        var n = 0;
        rows.forEach(function (row, index) {
          if (row.getAttribute(attribute(facet.dataset.column)) === box.value &&
              matches(index, facet)) { n += 1; }
        });
        box.parentNode.querySelector(".facet-count").textContent = n;
      });
    });
    shown.textContent = shown.dataset.template.replace("{shown}", count)
      .replace("{total}", rows.length);
  }
  form.addEventListener("input", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  update();

  // "Download this view": the visible rows, every column of the published CSV.
  var button = document.getElementById("download-view");
  var data = JSON.parse(document.getElementById("rows-data").textContent);
  var byId = {};
  var idColumn = data.columns.indexOf("id");
  data.rows.forEach(function (values) { byId[values[idColumn]] = values; });
  function field(value) {
    return /[",\r\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var lines = [data.columns.map(field).join(",")];
    Array.prototype.slice.call(table.tBodies[0].rows).forEach(function (row) {
      if (!row.hidden && byId[row.id]) { lines.push(byId[row.id].map(field).join(",")); }
    });
    var blob = new Blob([lines.join("\r\n") + "\r\n"], {type: "text/csv;charset=utf-8"});
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = button.dataset.name + "-view.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
}());

// The source text: mark the quotes of the row named in ?row=, on the line of the #L anchor.
(function () {
  var evidence = document.getElementById("evidence");
  if (!evidence) { return; }
  var row = new URLSearchParams(window.location.search).get("row");
  var pieces = (JSON.parse(evidence.textContent)[row] || []).slice();
  // Later pieces of a line first: the text before them stays one node.
  pieces.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
  pieces.forEach(function (piece) {
    var line = document.getElementById("L" + piece[0]);
    if (!line) { return; }
    var node = line.querySelector(".t").firstChild;
    if (!node || node.nodeType !== 3) { return; }
    var text = node.textContent, mark = document.createElement("mark");
    mark.className = "quote";
    mark.textContent = text.slice(piece[1], piece[2]);
    var after = document.createTextNode(text.slice(piece[2]));
    node.textContent = text.slice(0, piece[1]);
    node.parentNode.insertBefore(after, node.nextSibling);
    node.parentNode.insertBefore(mark, after);
  });
  if (pieces.length) { document.documentElement.classList.add("has-quote"); }
}());

// Copy the citation.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  var source = document.getElementById(button.dataset.copy);
  var status = button.parentNode.querySelector(".copied");
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function () { status.textContent = status.dataset.copied; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.textContent.trim()).then(done);
    } else {
      var range = document.createRange();
      range.selectNodeContents(source);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      document.execCommand("copy");
      done();
    }
  });
});
