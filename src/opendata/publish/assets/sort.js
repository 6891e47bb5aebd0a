// Sortable tables: a heading's button sorts its column by data-sort (numbers numerically).
"use strict";
document.querySelectorAll("table.sortable").forEach(function (table) {
  var headings = table.querySelectorAll("thead th");
  headings.forEach(function (heading, column) {
    var button = heading.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var ascending = heading.getAttribute("aria-sort") !== "ascending";
      headings.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
      heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a.cells[column]), y = key(b.cells[column]);
        var order = (typeof x === "number" && typeof y === "number") ? x - y
          : String(x).localeCompare(String(y), document.documentElement.lang);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
function key(cell) {
  var text = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
  var number = Number(text);
  return text !== "" && !isNaN(number) ? number : text;
}
